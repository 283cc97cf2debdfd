"""Reading triage results: for the console, rules (workflow) and analytics (signals)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from django.db.models import QuerySet

from signaldesk.triage.models import TicketEnrichment


def enrichment_for_ticket(*, ticket_id: int) -> TicketEnrichment | None:
    return (
        TicketEnrichment.objects.select_related("order", "variant")
        .filter(ticket_id=ticket_id)
        .first()
    )


def enrichments_for_tickets(*, ticket_ids: Iterable[int]) -> dict[int, TicketEnrichment]:
    """Enrichment rows by ticket id, in one query (for rules over a batch of tickets)."""
    rows = TicketEnrichment.objects.filter(ticket_id__in=list(ticket_ids))
    return {row.ticket_id: row for row in rows}


def enrichments_between(
    *, start: dt.datetime, end: dt.datetime, **filters: str | int | bool
) -> QuerySet[TicketEnrichment]:
    """Enrichment rows whose customer message falls in [start, end), filtered on typed columns,
    e.g. enrichments_between(start=a, end=b, carrier="DHL", repeat_contact_7d=True). Unknown
    column names raise FieldError: analytics should aggregate this queryset, not iterate it."""
    return TicketEnrichment.objects.filter(as_of__gte=start, as_of__lt=end, **filters)


def ticket_ids_for_triage(*, since: dt.datetime | None = None) -> list[int]:
    """Ids of tickets (created since `since`) in id order, for batch triage."""
    from signaldesk.tickets.models import Ticket

    qs = Ticket.objects.all()
    if since is not None:
        qs = qs.filter(created_at__gte=since)
    return list(qs.order_by("pk").values_list("pk", flat=True))
