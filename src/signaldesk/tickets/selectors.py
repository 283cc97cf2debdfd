"""Reads for tickets, threads and messages."""

from __future__ import annotations

import datetime as dt

from signaldesk.commerce.models import Customer, Order
from signaldesk.tickets.models import OPEN_STATUSES, Message, Ticket, TicketThread

_MAX_MERGE_HOPS = 20


def ticket_surviving(ticket: Ticket) -> Ticket:
    """Follow merged_into to the ticket that absorbed this one."""
    current = ticket
    for _ in range(_MAX_MERGE_HOPS):
        if current.merged_into_id is None:
            return current
        current = Ticket.objects.get(pk=current.merged_into_id)
    raise RuntimeError(f"ticket {ticket.pk}: merged_into chain too long or cyclic")


def thread_for_key(*, channel: str, external_thread_id: str) -> TicketThread | None:
    return (
        TicketThread.objects.select_related("ticket")
        .filter(channel=channel, external_thread_id=external_thread_id)
        .first()
    )


def ticket_open_for_order(
    *, customer: Customer, order: Order, active_since: dt.datetime
) -> Ticket | None:
    """The customer's most recently active open ticket about this order, if it was active
    (updated_at) at or after `active_since`."""
    return (
        Ticket.objects.filter(
            customer=customer,
            order=order,
            status__in=OPEN_STATUSES,
            merged_into__isnull=True,
            updated_at__gte=active_since,
        )
        .order_by("-updated_at", "-pk")
        .first()
    )


def message_get(*, message_id: int) -> Message | None:
    return Message.objects.select_related("ticket").filter(pk=message_id).first()


def message_by_idempotency_key(*, key: str) -> Message | None:
    return Message.objects.select_related("ticket").filter(idempotency_key=key).first()
