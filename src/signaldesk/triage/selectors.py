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


def tickets_awaiting_triage(
    *, received_from: dt.datetime, received_before: dt.datetime, limit: int
) -> list[int]:
    """Ids of tickets with an inbound message created in [received_from, received_before) whose
    triage has not seen every inbound message (no enrichment row, or `messages_seen` below the
    ticket's inbound message count): their triage job was lost (web process killed between
    commit and enqueue, worker killed mid-task) or is still queued. Oldest ticket first.

    The window keeps the query on the messages' created_at index (bounded at any table size)."""
    from django.db.models import Count, Exists, F, OuterRef, Q, Subquery

    from signaldesk.tickets.models import Direction, Message, Ticket

    recent = Message.objects.filter(
        ticket_id=OuterRef("pk"),
        direction=Direction.INBOUND,
        created_at__gte=received_from,
        created_at__lt=received_before,
    )
    inbound = (
        Message.objects.filter(ticket_id=OuterRef("pk"), direction=Direction.INBOUND)
        .order_by()
        .values("ticket_id")
        .annotate(n=Count("id"))
        .values("n")
    )
    seen = TicketEnrichment.objects.filter(ticket_id=OuterRef("pk")).values("messages_seen")
    candidates = (
        Ticket.objects.filter(Exists(recent))
        .annotate(inbound=Subquery(inbound), seen=Subquery(seen))
        .filter(Q(seen__isnull=True) | Q(seen__lt=F("inbound")))
        .order_by("pk")
        .values_list("pk", flat=True)
    )
    return list(candidates[:limit])
