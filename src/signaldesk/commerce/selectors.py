"""Reads for customers and orders (the REST API and the console)."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import dataclass, field

from django.db.models import Count, Prefetch, Q, QuerySet

from signaldesk.commerce.models import Customer, CustomerIdentity, Order, OrderLine
from signaldesk.core.errors import NotFound
from signaldesk.tickets.models import OPEN_STATUSES, Ticket

RECENT_ORDERS = 20
RECENT_TICKETS = 10


def customers_matching(*, email: str | None = None, tier: str | None = None) -> QuerySet[Customer]:
    """Customers by email (their email field or any email identity, case-insensitive via the
    normalised identity) and loyalty tier."""
    filters = Q()
    if email:
        address = email.strip()
        identity_ids = CustomerIdentity.objects.filter(kind="email", value=address.lower()).values(
            "customer_id"
        )
        filters &= Q(email=address) | Q(email=address.lower()) | Q(pk__in=identity_ids)
    if tier:
        filters &= Q(loyalty_tier=tier)
    return Customer.objects.filter(filters)


@dataclass
class CustomerDetail:
    customer: Customer
    identities: list[CustomerIdentity]
    orders: list[Order]
    tickets_by_status: dict[str, int]
    tickets_open: int
    recent_tickets: list[Ticket] = field(default_factory=list)


def customer_detail(*, customer_id: int) -> CustomerDetail:
    customer = Customer.objects.filter(pk=customer_id).first()
    if customer is None:
        raise NotFound(f"Customer {customer_id} does not exist.")
    by_status = Counter(
        {
            row["status"]: row["n"]
            for row in Ticket.objects.filter(customer_id=customer_id)
            .order_by()
            .values("status")
            .annotate(n=Count("id"))
        }
    )
    return CustomerDetail(
        customer=customer,
        identities=list(customer.identities.order_by("kind", "value")),
        orders=list(customer.orders.order_by("-created_at", "-id")[:RECENT_ORDERS]),
        tickets_by_status=dict(sorted(by_status.items())),
        tickets_open=sum(by_status[s] for s in OPEN_STATUSES),
        recent_tickets=list(
            Ticket.objects.filter(customer_id=customer_id).order_by("-created_at", "-id")[
                :RECENT_TICKETS
            ]
        ),
    )


def orders_matching(
    *,
    number: str | None = None,
    email: str | None = None,
    created_after: dt.datetime | None = None,
    created_before: dt.datetime | None = None,
    discount_code: str | None = None,
    campaign: str | None = None,
) -> QuerySet[Order]:
    filters = Q()
    if number:
        bare = number.strip().lstrip("#")
        filters &= Q(number__in=[bare, f"#{bare}"])
    if email:
        filters &= Q(email__in=[email.strip(), email.strip().lower()])
    if created_after is not None:
        filters &= Q(created_at__gte=created_after)
    if created_before is not None:
        filters &= Q(created_at__lt=created_before)
    if discount_code:
        filters &= Q(discount_code=discount_code)
    if campaign:
        filters &= Q(campaign=campaign)
    return Order.objects.filter(filters)


def order_by_number(*, number: str) -> Order:
    """An order with lines, shipments (and items), returns and refunds; '#' is optional."""
    bare = number.strip().lstrip("#")
    order = (
        Order.objects.filter(number__in=[bare, f"#{bare}"])
        .prefetch_related(
            Prefetch("lines", queryset=OrderLine.objects.order_by("line_no")),
            "shipments__items",
            "returns",
            "refunds",
        )
        .order_by("pk")
        .first()
    )
    if order is None:
        raise NotFound(f"Order {number} does not exist.")
    return order
