"""Reads for tickets, threads and messages."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import Q, QuerySet

from signaldesk.commerce.models import Customer, Order
from signaldesk.core.errors import NotFound
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


MESSAGES_PER_TICKET = 500


@dataclass(frozen=True)
class TicketQuery:
    """Filters of the tickets list; None means no filter."""

    status: str | None = None
    priority: str | None = None
    channel: str | None = None
    contact_reason: str | None = None
    assignee_id: int | None = None
    team_id: int | None = None
    customer_id: int | None = None
    order_number: str | None = None
    created_after: dt.datetime | None = None
    created_before: dt.datetime | None = None


def tickets_matching(query: TicketQuery) -> QuerySet[Ticket]:
    """Tickets matching every given filter (unordered; callers page by id)."""
    filters = Q()
    for field, value in (
        ("status", query.status),
        ("priority", query.priority),
        ("channel", query.channel),
        ("contact_reason", query.contact_reason),
        ("assignee_id", query.assignee_id),
        ("owner_team_id", query.team_id),
        ("customer_id", query.customer_id),
        ("created_at__gte", query.created_after),
        ("created_at__lt", query.created_before),
    ):
        if value is not None:
            filters &= Q(**{field: value})
    if query.order_number:
        number = query.order_number.lstrip("#")
        filters &= Q(order__number__in=[number, f"#{number}"])
    return Ticket.objects.filter(filters).select_related("order")


def ticket_with_messages(*, ticket_id: int) -> tuple[Ticket, list[Message], list[TicketThread]]:
    """A ticket, its first MESSAGES_PER_TICKET + 1 messages (oldest first) and thread keys."""
    ticket = Ticket.objects.select_related("order").filter(pk=ticket_id).first()
    if ticket is None:
        raise NotFound(f"Ticket {ticket_id} does not exist.")
    messages = list(ticket.messages.order_by("created_at", "id")[: MESSAGES_PER_TICKET + 1])
    threads = list(ticket.threads.order_by("id"))
    return ticket, messages, threads
