"""Which ticket an inbound message belongs to. Reads only; the caller applies the decision.

The rules, in order (also in docs/intake.md):

1. Thread key. If (channel, external_thread_id) is known, its ticket (after ticket merges) is
   the candidate, whoever the sender is:
   - open (new, open, pending, on hold)           → continue it;
   - solved at most `window` days before the message → reopen it;
   - solved longer ago, or closed                  → new ticket, custom_fields["follow_up_of"]
     = the old ticket; the thread key moves to the new ticket.
2. Same order. Otherwise, if the message quotes an order of this customer and the customer has
   an open ticket about that order, active (updated_at) within the window → continue it and
   attach the new thread key to it.
3. Otherwise → new ticket.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from enum import StrEnum

from signaldesk.commerce.models import Customer, Order
from signaldesk.tickets.models import OPEN_STATUSES, Ticket, TicketStatus
from signaldesk.tickets.selectors import thread_for_key, ticket_open_for_order, ticket_surviving


class Route(StrEnum):
    CONTINUE = "continue"
    REOPEN = "reopen"
    NEW = "new"


@dataclass(frozen=True)
class ThreadDecision:
    route: Route
    ticket: Ticket | None = None  # the ticket to continue or reopen
    follow_up_of: Ticket | None = None  # for NEW: the solved/closed ticket it follows up
    via: str = ""  # "thread" or "order" when an existing ticket was found
    reason: str = ""


def solved_within_window(*, ticket: Ticket, at: dt.datetime, window: dt.timedelta) -> bool:
    solved_at = ticket.solved_at or ticket.updated_at
    return at - solved_at <= window


def thread_decide(
    *,
    customer: Customer,
    channel: str,
    external_thread_id: str,
    order: Order | None,
    at: dt.datetime,
    window: dt.timedelta,
) -> ThreadDecision:
    if external_thread_id:
        thread = thread_for_key(channel=channel, external_thread_id=external_thread_id)
        if thread is not None:
            return _decide_for_known_thread(ticket_surviving(thread.ticket), at=at, window=window)
    if order is not None and order.customer_id == customer.pk:
        ticket = ticket_open_for_order(customer=customer, order=order, active_since=at - window)
        if ticket is not None:
            return ThreadDecision(
                route=Route.CONTINUE,
                ticket=ticket,
                via="order",
                reason=f"open ticket of this customer about order {order.number}",
            )
    return ThreadDecision(route=Route.NEW, reason="no matching thread or open order ticket")


def _decide_for_known_thread(
    ticket: Ticket, *, at: dt.datetime, window: dt.timedelta
) -> ThreadDecision:
    if ticket.status in OPEN_STATUSES:
        return ThreadDecision(route=Route.CONTINUE, ticket=ticket, via="thread", reason="open")
    if ticket.status == TicketStatus.SOLVED and solved_within_window(
        ticket=ticket, at=at, window=window
    ):
        return ThreadDecision(
            route=Route.REOPEN, ticket=ticket, via="thread", reason="reply within reopen window"
        )
    reason = "closed" if ticket.status == TicketStatus.CLOSED else "solved before reopen window"
    return ThreadDecision(route=Route.NEW, follow_up_of=ticket, via="thread", reason=reason)
