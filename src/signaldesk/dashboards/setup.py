"""Building every rollup the dashboards read (used by `signaldesk dashboards refresh` and the
demo set-up step)."""

from __future__ import annotations

import datetime as dt

from django.db.models import Max, Min
from django.utils import timezone

from signaldesk.signals.services import local_day


def refresh_span(*, all_days: bool, days: int = 30) -> tuple[dt.date | None, dt.date | None]:
    """(first, last) day to refresh: from the first ticket/order to today (+ nothing later:
    backlog and service rollups stop at today), or the last ``days`` days."""
    from signaldesk.commerce.models import Order
    from signaldesk.tickets.models import Ticket

    today = local_day(timezone.now())
    if not all_days:
        return today - dt.timedelta(days=days), today
    spans = [
        Ticket.objects.aggregate(lo=Min("created_at"), hi=Max("created_at")),
        Order.objects.aggregate(lo=Min("created_at"), hi=Max("created_at")),
    ]
    los = [local_day(s["lo"]) for s in spans if s["lo"] is not None]
    his = [local_day(s["hi"]) for s in spans if s["hi"] is not None]
    if not los:
        return None, None
    return min(los), max([*his, today])


def dashboards_build_all() -> str:
    """Signals rollups (contacts, exposure, cost) and dashboard rollups for every day with
    data, then the repurchase cells: what `demo setup` runs once after the imports."""
    from signaldesk.dashboards.services import dashboards_refresh, repurchase_refresh
    from signaldesk.signals.services import rollup_refresh

    first, last = refresh_span(all_days=True)
    if first is None or last is None:
        return "no tickets or orders"
    span = [first + dt.timedelta(days=k) for k in range((last - first).days + 1)]
    rollup_refresh(days=span)
    dashboards_refresh(days=span)
    customers = repurchase_refresh(months=span)
    return f"{len(span)} days of signals and dashboard rollups, {customers} repurchase anchors"


def dashboards_demo_step() -> str:
    """`demo setup`: enrich the imported history that triage has not seen (closed tickets;
    reasons set by imports and tag mappings are kept), then build every rollup."""
    from signaldesk.core.audit import Actor
    from signaldesk.tickets.models import Ticket
    from signaldesk.triage.services import ticket_triage_many

    ids = list(
        Ticket.objects.filter(enrichment__isnull=True, merged_into__isnull=True)
        .order_by("pk")
        .values_list("pk", flat=True)
    )
    summary = ticket_triage_many(ticket_ids=ids, actor=Actor.system("demo"))
    return f"{summary.tickets} history tickets enriched; " + dashboards_build_all()
