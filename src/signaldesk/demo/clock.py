"""Time inside the generator: integer seconds since local midnight of the first day (store time,
Europe/Amsterdam). Formatting is cached per day because it runs millions of times."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

DAY = 86_400
MINUTE = 60
HOUR = 3_600
STORE_TZ = ZoneInfo("Europe/Amsterdam")


class Clock:
    def __init__(self, start: dt.date, days: int) -> None:
        self.start = start
        self.days = days
        self.end = days * DAY
        """'Now' of the export: midnight after the last day. Nothing happens after it."""
        self._day_cache: dict[int, tuple[str, str, int, dt.date]] = {}

    def _day(self, d: int) -> tuple[str, str, int, dt.date]:
        hit = self._day_cache.get(d)
        if hit is None:
            date = self.start + dt.timedelta(days=d)
            noon = dt.datetime(date.year, date.month, date.day, 12, tzinfo=STORE_TZ)
            off = noon.utcoffset() or dt.timedelta(0)
            secs = int(off.total_seconds())
            sign = "+" if secs >= 0 else "-"
            hh, mm = divmod(abs(secs) // 60, 60)
            hit = (date.isoformat(), f"{sign}{hh:02d}{mm:02d}", secs, date)
            self._day_cache[d] = hit
        return hit

    def date(self, t: int) -> dt.date:
        return self._day(t // DAY)[3]

    def date_str(self, t: int) -> str:
        return self._day(t // DAY)[0]

    def weekday(self, t: int) -> int:
        return (self.start.weekday() + t // DAY) % 7

    def shopify(self, t: int) -> str:
        """'2026-07-03 14:05:11 +0200' (Shopify export style)."""
        date_s, off, _, _ = self._day(t // DAY)
        r = t % DAY
        return f"{date_s} {r // 3600:02d}:{r // 60 % 60:02d}:{r % 60:02d} {off}"

    def iso(self, t: int) -> str:
        """'2026-07-03T14:05:11+02:00' (generic CSVs)."""
        date_s, off, _, _ = self._day(t // DAY)
        r = t % DAY
        return f"{date_s}T{r // 3600:02d}:{r // 60 % 60:02d}:{r % 60:02d}{off[:3]}:{off[3:]}"

    def utc(self, t: int) -> str:
        """'2026-07-03T12:05:11Z' (Zendesk API style)."""
        u = t - self._day(t // DAY)[2]
        date_s = self._day(u // DAY)[0]
        r = u % DAY
        return f"{date_s}T{r // 3600:02d}:{r // 60 % 60:02d}:{r % 60:02d}Z"

    def email_header(self, t: int) -> str:
        """'Tue, 3 Jul 2026 at 10:02' for quoted-reply lines."""
        date = self.date(t)
        r = t % DAY
        hhmm = f"{r // 3600:02d}:{r // 60 % 60:02d}"
        return f"{date.strftime('%a')}, {date.day} {date.strftime('%b %Y')} at {hhmm}"
