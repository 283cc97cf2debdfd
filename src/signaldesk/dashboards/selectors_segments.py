"""Reads of the contact rates per segment for the dashboards, from the signals rollups
(ContactRollup, ExposureRollup): bounded by the period's days."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any, cast

from django.db.models import Q, Sum

from signaldesk.dashboards.metrics.trends import Trend, per_1000, trend
from signaldesk.dashboards.selectors import Period
from signaldesk.signals.models import ContactRollup, ExposureRollup
from signaldesk.signals.rollups import ALL

# ---- contact rates by segment (signals rollups) -----------------------------------------


@dataclass(frozen=True)
class SegmentRate:
    value: str
    contacts: int
    orders: int
    units: int
    per_1000_orders: float | None
    per_1000_units: float | None
    trend: Trend  # weekly contacts per 1,000 orders, last 7 days vs the 7 before


def _reasons(period: Period, reasons: Sequence[str] | None) -> Sequence[str] | None:
    return (period.reason,) if period.reason else reasons


Windows = dict[str, tuple[dt.date, dt.date]]


def _windows(period: Period) -> Windows:
    """The period and its two comparison weeks (last 7 days, the 7 days before)."""
    last, prev = period.last_week(), period.prev_week()
    return {
        "period": (period.since, period.until),
        "last": (last.since, last.until),
        "prev": (prev.since, prev.until),
    }


def _span(windows: Windows) -> tuple[dt.date, dt.date]:
    return min(w[0] for w in windows.values()), max(w[1] for w in windows.values())


def _rows(qs: Iterable[Any]) -> Iterable[dict[str, Any]]:
    """Rows of a values().annotate(**dynamic) query (keys only known at run time)."""
    return cast(Iterable[dict[str, Any]], qs)


def _in(window: tuple[dt.date, dt.date]) -> Q:
    return Q(day__gte=window[0], day__lte=window[1])


def _contacts(
    dimension: str, windows: Windows, reasons: Sequence[str] | None, channel: str
) -> dict[str, dict[str, int]]:
    """{window: {value: contacts}} in one query (conditional sums over the windows' span)."""
    dim, value = dimension, None
    if dimension == "all" and channel:
        dim, value = "channel", channel
    lo, hi = _span(windows)
    qs = ContactRollup.objects.filter(dimension=dim, day__gte=lo, day__lte=hi)
    if value is not None:
        qs = qs.filter(value=value)
    if reasons is not None:
        qs = qs.filter(reason__in=list(reasons))
    sums = {w: Sum("contacts", filter=_in(span)) for w, span in windows.items()}
    out: dict[str, dict[str, int]] = {w: {} for w in windows}
    for row in _rows(qs.values("value").annotate(**sums)):
        key = ALL if value is not None else row["value"]
        for w in windows:
            if row[w]:
                out[w][key] = int(row[w])
    return out


def _exposure(
    dimension: str, windows: Windows, values: Iterable[str] | None = None
) -> dict[str, dict[str, tuple[int, int]]]:
    """{window: {value: (orders, units)}} in one query, for ``values`` only when given (the
    values that had contacts: a SKU nobody wrote about needs no exposure)."""
    dim = "all" if dimension == "channel" else dimension
    lo, hi = _span(windows)
    sums = {}
    for w, span in windows.items():
        sums[f"{w}_o"] = Sum("orders", filter=_in(span))
        sums[f"{w}_u"] = Sum("units", filter=_in(span))
    qs = ExposureRollup.objects.filter(dimension=dim, day__gte=lo, day__lte=hi)
    if values is not None and dim != "all":
        qs = qs.filter(value__in=sorted(set(values)))
    out: dict[str, dict[str, tuple[int, int]]] = {w: {} for w in windows}
    for row in _rows(qs.values("value").annotate(**sums)):
        for w in windows:
            out[w][row["value"]] = (int(row[f"{w}_o"] or 0), int(row[f"{w}_u"] or 0))
    return out


MIN_BASE = 30  # values with fewer orders (units) in the period rank after the others


def segment_rates(
    *,
    dimension: str,
    period: Period,
    reasons: Sequence[str] | None = None,
    limit: int = 15,
    by_units: bool = False,
    min_base: int = MIN_BASE,
) -> list[SegmentRate]:
    """Contacts (of the given reasons; the page's reason filter wins) per value of a dimension,
    per 1,000 orders and units shipped, with the weekly trend. Highest rate per 1,000 orders
    (``by_units``: units) first among values with at least ``min_base`` orders (units) in the
    period, then the smaller ones, so a SKU with 2 contacts on 3 units does not top the list.
    The channel filter applies to ``dimension='all'`` only: segment rollups are not split by
    channel."""
    rs = _reasons(period, reasons)
    windows = _windows(period)
    contacts = _contacts(dimension, windows, rs, period.channel)
    exposure = _exposure(dimension, windows, contacts["period"])
    base = 1 if by_units else 0
    out = []
    for value, n in contacts["period"].items():
        key = ALL if dimension == "channel" else value
        orders, units = exposure["period"].get(key, (0, 0))
        weekly = trend(
            per_1000(contacts["last"].get(value, 0), exposure["last"].get(key, (0, 0))[base]),
            per_1000(contacts["prev"].get(value, 0), exposure["prev"].get(key, (0, 0))[base]),
        )
        out.append(
            SegmentRate(value, n, orders, units, per_1000(n, orders), per_1000(n, units), weekly)
        )

    def rank(r: SegmentRate) -> tuple[bool, float, int, str]:
        base, rate = (r.units, r.per_1000_units) if by_units else (r.orders, r.per_1000_orders)
        return (base < min_base, -(rate or 0.0), -r.contacts, r.value)

    out.sort(key=rank)
    return out[:limit]


def reason_rates(*, period: Period, reasons: Sequence[str]) -> list[SegmentRate]:
    """Contacts per reason (dimension 'all', or the page's channel) per 1,000 orders, with the
    weekly trend; most contacts first. ``value`` holds the reason."""
    rs = _reasons(period, reasons)
    windows = _windows(period)
    dim = "channel" if period.channel else "all"
    lo, hi = _span(windows)
    qs = ContactRollup.objects.filter(dimension=dim, day__gte=lo, day__lte=hi)
    if period.channel:
        qs = qs.filter(value=period.channel)
    if rs is not None:
        qs = qs.filter(reason__in=list(rs))
    sums = {w: Sum("contacts", filter=_in(span)) for w, span in windows.items()}
    exposure = _exposure("all", windows)
    orders = {w: exposure[w].get(ALL, (0, 0))[0] for w in windows}
    out = []
    for row in _rows(qs.values("reason").annotate(**sums)):
        n = int(row["period"] or 0)
        if not n:
            continue
        weekly = trend(
            per_1000(int(row["last"] or 0), orders["last"]),
            per_1000(int(row["prev"] or 0), orders["prev"]),
        )
        p = orders["period"]
        out.append(SegmentRate(row["reason"], n, p, 0, per_1000(n, p), None, weekly))
    out.sort(key=lambda r: (-r.contacts, r.value))
    return out


def contacts_daily(period: Period, reasons: Sequence[str] | None = None) -> dict[dt.date, int]:
    rs = _reasons(period, reasons)
    dim, qs = "all", ContactRollup.objects.filter(day__gte=period.since, day__lte=period.until)
    if period.channel:
        dim = "channel"
        qs = qs.filter(value=period.channel)
    qs = qs.filter(dimension=dim)
    if rs is not None:
        qs = qs.filter(reason__in=list(rs))
    got = dict(qs.values("day").annotate(n=Sum("contacts")).values_list("day", "n"))
    return {day: int(got.get(day, 0)) for day in period.days}
