"""Set-based loading for a chunk of tickets: a fixed number of queries per chunk, whatever its
size (tickets, inbound messages, candidate orders by number / tracking / recency, the chosen
orders' ids and customer ticket stats). The chosen orders (lines, shipments, returns, refunds)
and catalog variants are loaded as plain rows by `rows.py`."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from django.db.models import Count

from signaldesk.commerce.models import Order, Shipment
from signaldesk.tickets.models import OPEN_STATUSES, Direction, Message, Ticket

INFER_WINDOW = dt.timedelta(days=60)
PRIOR_WINDOW = dt.timedelta(days=90)
REPEAT_WINDOW = dt.timedelta(days=7)
ORDERS_WINDOW = dt.timedelta(days=365)  # order frequency for the value segment (commerce.value)


@dataclass(frozen=True, slots=True)
class OrderRef:
    """Just enough of an order to decide whether it may be joined."""

    id: int
    number: str
    customer_id: int | None
    email: str


@dataclass(frozen=True, slots=True)
class ShipmentRef:
    id: int
    tracking_number: str
    order: OrderRef


@dataclass(frozen=True, slots=True)
class TicketRow:
    ticket: Ticket
    messages: list[tuple[int, str]]  # (message id, body) of inbound messages, oldest first
    as_of: dt.datetime  # the latest inbound message (or the ticket's creation)


@dataclass
class Candidates:
    by_number: dict[str, OrderRef] = field(default_factory=dict)  # stored number → order
    by_tracking: dict[str, ShipmentRef] = field(default_factory=dict)  # upper-case tracking
    recent: dict[int, list[tuple[dt.datetime, OrderRef]]] = field(default_factory=dict)


def order_spellings(value: str) -> tuple[str, ...]:
    """Stored spellings of an order quoted as `value` (Shopify names look like "#1001")."""
    return (f"#{value}", value) if value.isdigit() else (value,)


def load_tickets(ticket_ids: Sequence[int]) -> list[TicketRow]:
    tickets = Ticket.objects.select_related("customer").filter(pk__in=ticket_ids).order_by("pk")
    messages: dict[int, list[tuple[int, str]]] = defaultdict(list)
    latest: dict[int, dt.datetime] = {}
    rows = (
        Message.objects.filter(ticket_id__in=ticket_ids, direction=Direction.INBOUND)
        .order_by("ticket_id", "created_at", "id")
        .values_list("ticket_id", "id", "body_text", "body_html", "created_at")
    )
    for ticket_id, message_id, text, html, created_at in rows:
        messages[ticket_id].append((message_id, text or html))
        latest[ticket_id] = created_at
    return [
        TicketRow(t, messages.get(t.pk, []), max(latest.get(t.pk, t.created_at), t.created_at))
        for t in tickets
    ]


def load_candidates(*, numbers: Iterable[str], tracking: Iterable[str]) -> Candidates:
    """Orders quoted by number and shipments quoted by tracking number, in two queries."""
    found = Candidates()
    spellings = sorted({s for value in numbers for s in order_spellings(value)})
    if spellings:
        for oid, number, cid, email in Order.objects.filter(number__in=spellings).values_list(
            "id", "number", "customer_id", "email"
        ):
            found.by_number[number] = OrderRef(oid, number, cid, email)
    codes = sorted({code.upper() for code in tracking})
    if codes:
        shipments = Shipment.objects.filter(tracking_number__in=codes).values_list(
            "id", "tracking_number", "order_id", "order__number", "order__customer_id",
            "order__email",
        )  # fmt: skip
        for sid, code, oid, number, cid, email in shipments:
            found.by_tracking[code.upper()] = ShipmentRef(
                sid, code, OrderRef(oid, number, cid, email)
            )
    return found


def load_recent_orders(found: Candidates, rows: Sequence[TicketRow]) -> None:
    """The customers' orders in the 60 days before their message, for the tickets that need an
    inferred order (the caller passes only those), newest first."""
    customers = {r.ticket.customer_id for r in rows if r.ticket.customer_id is not None}
    if customers:
        start = min(r.as_of for r in rows) - INFER_WINDOW
        end = max(r.as_of for r in rows)
        recent = Order.objects.filter(
            customer_id__in=customers, created_at__gte=start, created_at__lte=end
        ).values_list("id", "number", "customer_id", "email", "created_at")
        for oid, number, cid, email, created_at in recent:
            found.recent.setdefault(cid, []).append((created_at, OrderRef(oid, number, cid, email)))
        for orders in found.recent.values():
            orders.sort(key=lambda item: (item[0], item[1].id), reverse=True)


@dataclass(frozen=True, slots=True)
class CustomerStats:
    prior_tickets_90d: int
    open_tickets: int
    repeat_contact_7d: bool
    orders_365d: int = 0  # orders (not cancelled) placed in the 365 days before the ticket


def load_customer_stats(tickets: Sequence[Ticket]) -> dict[int, CustomerStats]:
    """Per ticket id: the customer's tickets in the 90 days before this one, their other open
    tickets, whether one with the same contact reason came in the 7 days before, and how many
    orders they placed in the 365 days before it (one query each, not one per ticket)."""
    with_customer = [t for t in tickets if t.customer_id is not None]
    if not with_customer:
        return {}
    customers = {t.customer_id for t in with_customer if t.customer_id is not None}
    start = min(t.created_at for t in with_customer) - PRIOR_WINDOW
    end = max(t.created_at for t in with_customer)
    history: dict[int, list[tuple[dt.datetime, int, str]]] = defaultdict(list)
    for cid, tid, created_at, reason in Ticket.objects.filter(
        customer_id__in=customers, created_at__gte=start, created_at__lte=end
    ).values_list("customer_id", "id", "created_at", "contact_reason"):
        history[cid].append((created_at, tid, reason))
    open_counts = dict(
        Ticket.objects.filter(customer_id__in=customers, status__in=OPEN_STATUSES)
        .values("customer_id")
        .annotate(n=Count("id"))
        .values_list("customer_id", "n")
    )
    placed: dict[int, list[dt.datetime]] = defaultdict(list)
    for cid, created_at in Order.objects.filter(
        customer_id__in=customers,
        cancelled_at__isnull=True,
        created_at__gte=start + PRIOR_WINDOW - ORDERS_WINDOW,
        created_at__lte=end,
    ).values_list("customer_id", "created_at"):
        placed[cid].append(created_at)
    stats: dict[int, CustomerStats] = {}
    for t in with_customer:
        cid = t.customer_id or 0
        key = (t.created_at, t.pk)
        prior = [h for h in history[cid] if (h[0], h[1]) < key]
        recent = [h for h in prior if h[0] >= t.created_at - PRIOR_WINDOW]
        repeat = bool(t.contact_reason) and any(
            h[2] == t.contact_reason and h[0] >= t.created_at - REPEAT_WINDOW for h in prior
        )
        own_open = 1 if t.status in OPEN_STATUSES else 0
        orders = sum(1 for at in placed[cid] if t.created_at - ORDERS_WINDOW <= at <= t.created_at)
        stats[t.pk] = CustomerStats(
            len(recent), max(0, open_counts.get(cid, 0) - own_open), repeat, orders
        )
    return stats
