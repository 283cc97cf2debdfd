"""Set-based loading for a chunk of tickets: a fixed number of queries per chunk, whatever its
size (tickets, inbound messages, candidate orders by number / tracking / recency, the chosen
orders with lines, shipments, returns and refunds, catalog variants and customer ticket stats)."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from django.db.models import Count, Prefetch

from signaldesk.commerce.models import Order, OrderLine, Shipment, ShipmentItem, Variant
from signaldesk.tickets.models import OPEN_STATUSES, Direction, Message, Ticket

INFER_WINDOW = dt.timedelta(days=60)
PRIOR_WINDOW = dt.timedelta(days=90)
REPEAT_WINDOW = dt.timedelta(days=7)


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


def load_orders(order_ids: Iterable[int]) -> dict[int, Order]:
    ids = sorted(set(order_ids))
    if not ids:
        return {}
    lines = OrderLine.objects.select_related(
        "variant__product__supplier", "batch__supplier"
    ).order_by("line_no", "id")
    items = ShipmentItem.objects.select_related("batch__supplier").order_by("id")
    shipments = Shipment.objects.prefetch_related(Prefetch("items", queryset=items)).order_by("id")
    orders = Order.objects.filter(pk__in=ids).prefetch_related(
        Prefetch("lines", queryset=lines),
        Prefetch("shipments", queryset=shipments),
        "returns",
        "refunds",
    )
    return {order.pk: order for order in orders}


def load_variants(variant_ids: Iterable[int]) -> dict[int, Variant]:
    ids = sorted(set(variant_ids))
    if not ids:
        return {}
    return {v.pk: v for v in Variant.objects.select_related("product__supplier").filter(pk__in=ids)}


@dataclass(frozen=True, slots=True)
class CustomerStats:
    prior_tickets_90d: int
    open_tickets: int
    repeat_contact_7d: bool


def load_customer_stats(tickets: Sequence[Ticket]) -> dict[int, CustomerStats]:
    """Per ticket id: the customer's tickets in the 90 days before this one, their other open
    tickets, and whether one with the same contact reason came in the 7 days before."""
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
        stats[t.pk] = CustomerStats(len(recent), max(0, open_counts.get(cid, 0) - own_open), repeat)
    return stats
