"""Business-hours calendars: adding and counting working time (Django-free).

A calendar has a time zone, opening intervals per weekday (local wall-clock time), and holidays
(local dates with no opening at all); or it is open around the clock. All arithmetic is done on
UTC instants, so DST changes are handled: a 09:00-18:00 day is 9 hours long on the day the clocks
change, and a 24/7 calendar counts real elapsed time (23 or 25 hours on those days).

Inputs must be timezone-aware datetimes; results are aware datetimes in UTC.

Local times that do not exist (the skipped hour of spring-forward) resolve with fold=0, i.e. with
the offset in force before the change; opening hours inside 02:00-03:00 are best avoided."""

from __future__ import annotations

import datetime as dt
import itertools
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from zoneinfo import ZoneInfo

UTC = dt.UTC
WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
# Searching for the next opening gives up after this many days (a calendar with hours on at
# least one weekday always finds one well before that; holidays can only remove single days).
MAX_SEARCH_DAYS = 366 * 5

Interval = tuple[dt.time, dt.time | None]  # end None means midnight at the end of the day


@dataclass(frozen=True)
class BusinessCalendar:
    id: str
    time_zone: str = "UTC"
    # weekday (0 = Monday) -> opening intervals, local wall-clock time, sorted, non-overlapping
    hours: Mapping[int, tuple[Interval, ...]] = field(default_factory=dict)
    holidays: frozenset[dt.date] = frozenset()
    always_open: bool = False

    def __post_init__(self) -> None:
        if not self.always_open and not any(self.hours.get(day) for day in range(7)):
            raise ValueError(f"calendar {self.id!r} has no opening hours")

    @property
    def zone(self) -> ZoneInfo:
        return ZoneInfo(self.time_zone)

    def open_intervals(self, day: dt.date) -> list[tuple[dt.datetime, dt.datetime]]:
        """The opening intervals of one local date, as UTC instants."""
        if self.always_open:
            start = dt.datetime.combine(day, dt.time(0), tzinfo=self.zone)
            end = dt.datetime.combine(day + dt.timedelta(days=1), dt.time(0), tzinfo=self.zone)
            return [(start.astimezone(UTC), end.astimezone(UTC))]
        if day in self.holidays:
            return []
        out = []
        for start_time, end_time in self.hours.get(day.weekday(), ()):
            start = dt.datetime.combine(day, start_time, tzinfo=self.zone)
            if end_time is None:
                end = dt.datetime.combine(day + dt.timedelta(days=1), dt.time(0), tzinfo=self.zone)
            else:
                end = dt.datetime.combine(day, end_time, tzinfo=self.zone)
            out.append((start.astimezone(UTC), end.astimezone(UTC)))
        return out

    def intervals_from(self, start: dt.datetime) -> Iterator[tuple[dt.datetime, dt.datetime]]:
        """Opening intervals (UTC) that end after `start`, in order, for MAX_SEARCH_DAYS."""
        day = start.astimezone(self.zone).date() - dt.timedelta(days=1)
        for offset in range(MAX_SEARCH_DAYS):
            for interval in self.open_intervals(day + dt.timedelta(days=offset)):
                if interval[1] > start:
                    yield interval


def _aware(value: dt.datetime, name: str) -> dt.datetime:
    if value.tzinfo is None or value.utcoffset() is None:
        raise ValueError(f"{name} must be timezone-aware, got {value!r}")
    return value.astimezone(UTC)


def add_business_seconds(
    start: dt.datetime, seconds: float, calendar: BusinessCalendar
) -> dt.datetime:
    """The instant at which `seconds` of business time have passed since `start`.

    Zero returns `start` itself (in UTC). When the time runs out exactly at closing, the result
    is the closing instant, not the next opening."""
    begin = _aware(start, "start")
    if seconds < 0:
        raise ValueError("seconds must not be negative")
    if seconds == 0:
        return begin
    if calendar.always_open:
        return begin + dt.timedelta(seconds=seconds)
    remaining = dt.timedelta(seconds=seconds)
    for open_at, close_at in calendar.intervals_from(begin):
        segment_start = max(open_at, begin)
        available = close_at - segment_start
        if remaining <= available:
            return segment_start + remaining
        remaining -= available
    raise ValueError(f"calendar {calendar.id!r} has no opening within {MAX_SEARCH_DAYS} days")


def business_seconds_between(a: dt.datetime, b: dt.datetime, calendar: BusinessCalendar) -> float:
    """Business time from `a` to `b` in seconds; 0 when `b` is not after `a`."""
    begin, end = _aware(a, "a"), _aware(b, "b")
    if end <= begin:
        return 0.0
    if calendar.always_open:
        return (end - begin).total_seconds()
    total = dt.timedelta(0)
    for open_at, close_at in calendar.intervals_from(begin):
        if open_at >= end:
            break
        total += min(close_at, end) - max(open_at, begin)
    return total.total_seconds()


def add_business_minutes(
    start: dt.datetime, minutes: int, calendar: BusinessCalendar
) -> dt.datetime:
    """The instant at which `minutes` of business time have passed since `start` (UTC)."""
    return add_business_seconds(start, minutes * 60, calendar)


def business_minutes_between(a: dt.datetime, b: dt.datetime, calendar: BusinessCalendar) -> int:
    """Whole business minutes from `a` to `b` (rounded down); 0 when `b` is not after `a`."""
    return int(business_seconds_between(a, b, calendar) // 60)


def parse_interval(text: str) -> Interval:
    """'09:00-18:00' -> (09:00, 18:00); an end of '24:00' means midnight. Raises ValueError."""
    try:
        start_text, end_text = (part.strip() for part in text.split("-"))
    except ValueError:
        raise ValueError(f"{text!r} is not HH:MM-HH:MM") from None
    start = dt.time.fromisoformat(start_text)
    end = None if end_text == "24:00" else dt.time.fromisoformat(end_text)
    if end is not None and end <= start:
        raise ValueError(f"{text!r} ends before it starts")
    return start, end


def check_intervals(intervals: list[Interval]) -> tuple[Interval, ...]:
    """Sorted intervals; raises ValueError when two overlap."""
    ordered = sorted(intervals, key=lambda pair: pair[0])
    for (_, first_end), (second_start, _) in itertools.pairwise(ordered):
        if first_end is None or first_end > second_start:
            raise ValueError("opening intervals overlap")
    return tuple(ordered)
