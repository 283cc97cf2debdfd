"""Reads of the signals package. Metrics read only the rollup tables, never raw tickets; the one
exception is ``example_ticket_ids`` (at most 5 ids for one segment and window, indexed)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.db.models import QuerySet, Sum

from signaldesk.signals.models import (
    AlertStatus,
    ContactRollup,
    ExposureRollup,
    SpikeAlert,
    Theme,
    ThemeRun,
)
from signaldesk.signals.rollups import ALL, DIMENSIONS, day_bounds

# Segment dimension -> Ticket lookup (for example tickets).
TICKET_LOOKUPS: dict[str, str] = {
    "reason": "contact_reason",
    "sku": "enrichment__sku",
    "size": "enrichment__size",
    "batch": "enrichment__batch_code",
    "supplier": "enrichment__supplier",
    "carrier": "enrichment__carrier",
    "warehouse": "enrichment__warehouse",
    "region": "enrichment__region",
    "channel": "channel",
    "campaign": "enrichment__campaign",
    "discount_code": "enrichment__discount_code",
    "source": "enrichment__order__source",
}


def segment_tickets(*, segment: dict[str, str], since: dt.date, until: dt.date) -> QuerySet[Any]:
    """Tickets of a segment created between ``since`` and ``until`` (inclusive), not merged."""
    from signaldesk.tickets.models import Ticket

    filters: dict[str, str] = {}
    for dim, value in segment.items():
        if dim == "carrier_region":
            carrier, _, region = value.partition("|")
            filters["enrichment__carrier"] = carrier
            filters["enrichment__region"] = region
        else:
            filters[TICKET_LOOKUPS[dim]] = value
    start, _ = day_bounds(since)
    _, end = day_bounds(until)
    return Ticket.objects.filter(
        created_at__gte=start, created_at__lt=end, merged_into__isnull=True, **filters
    )


def example_ticket_ids(
    *, segment: dict[str, str], since: dt.date, until: dt.date, limit: int = 5
) -> list[int]:
    """The latest tickets of a segment created between ``since`` and ``until`` (inclusive)."""
    qs = segment_tickets(segment=segment, since=since, until=until)
    return list(qs.order_by("-created_at", "-id").values_list("id", flat=True)[:limit])


@dataclass(frozen=True)
class ContactRate:
    reason: str
    dimension: str
    value: str
    contacts: int
    orders: int
    units: int
    per_1000_orders: float | None
    per_1000_units: float | None
    last_week_per_1000_orders: float | None
    prev_week_per_1000_orders: float | None
    wow_change: float | None  # relative change of the weekly rate per 1,000 orders


def _per_1000(contacts: int, base: int) -> float | None:
    return None if base <= 0 else round(1000.0 * contacts / base, 4)


def _sum_contacts(
    dimension: str, reason: str | None, since: dt.date, until: dt.date
) -> dict[tuple[str, str], int]:
    qs = ContactRollup.objects.filter(dimension=dimension, day__gte=since, day__lte=until)
    if reason:
        qs = qs.filter(reason=reason)
    rows = qs.values("reason", "value").annotate(n=Sum("contacts"))
    return {(r["reason"], r["value"]): int(r["n"]) for r in rows}


def _sum_exposure(dimension: str, since: dt.date, until: dt.date) -> dict[str, tuple[int, int]]:
    # channel has no exposure of its own: its rate is per all orders.
    dim = "all" if dimension == "channel" else dimension
    rows = (
        ExposureRollup.objects.filter(dimension=dim, day__gte=since, day__lte=until)
        .values("value")
        .annotate(o=Sum("orders"), u=Sum("units"))
    )
    return {r["value"]: (int(r["o"] or 0), int(r["u"] or 0)) for r in rows}


def contact_rates(
    *, dimension: str, since: dt.date, until: dt.date, reason: str | None = None
) -> list[ContactRate]:
    """Contacts per 1,000 orders (and units shipped) by reason x value over [since, until], with
    the week-over-week change of the last 7 days of the period against the 7 days before."""
    if dimension not in DIMENSIONS:
        raise ValueError(f"unknown dimension {dimension!r}; one of {', '.join(DIMENSIONS)}")
    contacts = _sum_contacts(dimension, reason, since, until)
    exposure = _sum_exposure(dimension, since, until)
    last_from = until - dt.timedelta(days=6)
    prev_until, prev_from = last_from - dt.timedelta(days=1), last_from - dt.timedelta(days=7)
    last_c = _sum_contacts(dimension, reason, last_from, until)
    prev_c = _sum_contacts(dimension, reason, prev_from, prev_until)
    last_e = _sum_exposure(dimension, last_from, until)
    prev_e = _sum_exposure(dimension, prev_from, prev_until)
    out = []
    for (rsn, value), n in contacts.items():
        key = ALL if dimension == "channel" else value
        orders, units = exposure.get(key, (0, 0))
        last = _per_1000(last_c.get((rsn, value), 0), last_e.get(key, (0, 0))[0])
        prev = _per_1000(prev_c.get((rsn, value), 0), prev_e.get(key, (0, 0))[0])
        wow = None if last is None or not prev else round(last / prev - 1.0, 4)
        out.append(
            ContactRate(
                rsn,
                dimension,
                value,
                n,
                orders,
                units,
                _per_1000(n, orders),
                _per_1000(n, units),
                last,
                prev,
                wow,
            )
        )
    out.sort(key=lambda r: (-(r.per_1000_orders or 0.0), -r.contacts, r.reason, r.value))
    return out


def alerts_list(
    *,
    status: str | None = None,
    severity: str | None = None,
    primary_only: bool = True,
    limit: int = 100,
) -> QuerySet[SpikeAlert]:
    """Stored spike alerts, latest first (public: the insights note and dashboards read it)."""
    qs = SpikeAlert.objects.all()
    if status:
        qs = qs.filter(status=status)
    if severity:
        qs = qs.filter(severity=severity)
    if primary_only:
        qs = qs.filter(primary=True)
    return qs.order_by("-last_alert_day", "-id")[:limit]


def alerts_to_notify(*, day: dt.date) -> QuerySet[SpikeAlert]:
    """Alerts first raised on ``day`` that are not snoozed (input of future notifications)."""
    return SpikeAlert.objects.filter(
        first_alert_day=day, primary=True, status=AlertStatus.OPEN
    ).order_by("id")


@dataclass(frozen=True)
class SeriesPoint:
    day: dt.date
    observed: int
    expected: float
    exposure: float


def _rollup_cut(alert: SpikeAlert) -> tuple[str, str]:
    """(rollup dimension, value) of an alert's segment."""
    if alert.dimension == "all":
        return "all", ALL
    if alert.dimension == "carrier+region":
        return "carrier_region", alert.value
    return alert.dimension, alert.value


def alert_series(
    *, alert: SpikeAlert, days: int = 56, baseline_days: int = 28
) -> list[SeriesPoint]:
    """Daily observed contacts of the alert's segment up to its last alert day, with the
    expected count = baseline rate (contacts per order over the ``baseline_days`` before the
    onset) x that day's orders of the segment (exposure)."""
    dim, value = _rollup_cut(alert)
    end = alert.last_alert_day
    start = end - dt.timedelta(days=days - 1)
    base_from = alert.onset - dt.timedelta(days=baseline_days)
    first = min(start, base_from)
    contacts = dict(
        ContactRollup.objects.filter(
            reason=alert.reason, dimension=dim, value=value, day__gte=first, day__lte=end
        ).values_list("day", "contacts")
    )
    exp_dim = "all" if dim == "channel" else dim
    orders = dict(
        ExposureRollup.objects.filter(
            dimension=exp_dim,
            value=value if exp_dim != "all" else ALL,
            day__gte=first,
            day__lte=end,
        ).values_list("day", "orders")
    )
    base_days = [base_from + dt.timedelta(days=k) for k in range(baseline_days)]
    base_c = sum(contacts.get(d, 0) for d in base_days)
    base_o = sum(orders.get(d, 0) for d in base_days)
    rate = base_c / base_o if base_o else 0.0
    out = []
    for k in range(days):
        day = start + dt.timedelta(days=k)
        o = float(orders.get(day, 0))
        out.append(SeriesPoint(day, int(contacts.get(day, 0)), round(rate * o, 3), o))
    return out


def themes_latest(*, scope: str | None = None, limit: int = 100) -> QuerySet[Theme]:
    """Themes of the latest discovery run, fastest-growing recent volume first (public: the
    insights note reads it)."""
    run = ThemeRun.objects.order_by("-as_of", "-id").first()
    qs = Theme.objects.filter(run=run).select_related("run", "proposed_version")
    if scope:
        qs = qs.filter(scope=scope)
    return qs.order_by("-recent_count", "id")[:limit]
