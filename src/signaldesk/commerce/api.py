"""REST API for customers and orders: /api/v1/customers …, /api/v1/orders … (read-only)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.http import HttpRequest
from ninja import Field, Query, Router, Schema

from signaldesk.accounts.api_auth import api_auth, authorize
from signaldesk.commerce import selectors
from signaldesk.commerce.models import Customer, Order
from signaldesk.core.pagination import DEFAULT_LIMIT, MAX_LIMIT, keyset_page

customers_router = Router(auth=api_auth, tags=["customers"])
orders_router = Router(auth=api_auth, tags=["orders"])


class CustomerFilters(Schema):
    email: str | None = None
    tier: str | None = Field(None, description="Loyalty tier: none, bronze, silver, gold, vip.")
    cursor: str | None = None
    limit: int = Field(DEFAULT_LIMIT, ge=1, le=MAX_LIMIT)


class CustomerOut(Schema):
    id: int
    name: str
    email: str
    phone: str
    country: str
    loyalty_tier: str
    lifetime_value: Decimal
    currency: str
    orders_count: int
    merged_into_id: int | None
    created_at: dt.datetime

    @staticmethod
    def of(c: Customer) -> CustomerOut:
        return CustomerOut(
            id=c.pk,
            name=c.name,
            email=c.email,
            phone=c.phone,
            country=c.country,
            loyalty_tier=c.loyalty_tier,
            lifetime_value=c.lifetime_value,
            currency=c.currency,
            orders_count=c.orders_count,
            merged_into_id=c.merged_into_id,
            created_at=c.created_at,
        )


class CustomerPage(Schema):
    items: list[CustomerOut]
    next: str | None


class IdentityOut(Schema):
    kind: str
    value: str


class OrderOut(Schema):
    id: int
    number: str
    customer_id: int | None
    email: str
    created_at: dt.datetime
    financial_status: str
    fulfillment_status: str
    currency: str
    total: Decimal
    discount_code: str
    campaign: str
    refunded_amount: Decimal

    @staticmethod
    def of(o: Order) -> OrderOut:
        return OrderOut(
            id=o.pk,
            number=o.number,
            customer_id=o.customer_id,
            email=o.email,
            created_at=o.created_at,
            financial_status=o.financial_status,
            fulfillment_status=o.fulfillment_status,
            currency=o.currency,
            total=o.total,
            discount_code=o.discount_code,
            campaign=o.campaign,
            refunded_amount=o.refunded_amount,
        )


class TicketSummaryOut(Schema):
    id: int
    subject: str
    status: str
    contact_reason: str
    created_at: dt.datetime


class TicketsSummaryOut(Schema):
    total: int
    open: int
    by_status: dict[str, int]
    recent: list[TicketSummaryOut]


class CustomerDetailOut(CustomerOut):
    identities: list[IdentityOut]
    orders: list[OrderOut]
    tickets: TicketsSummaryOut


class OrderFilters(Schema):
    number: str | None = None
    email: str | None = None
    created_after: dt.datetime | None = None
    created_before: dt.datetime | None = None
    discount_code: str | None = None
    campaign: str | None = None
    cursor: str | None = None
    limit: int = Field(DEFAULT_LIMIT, ge=1, le=MAX_LIMIT)


class OrderPage(Schema):
    items: list[OrderOut]
    next: str | None


class LineOut(Schema):
    line_no: int
    sku: str
    name: str
    quantity: int
    price: Decimal
    batch_id: int | None


class ShipmentItemOut(Schema):
    sku: str
    quantity: int


class ShipmentOut(Schema):
    tracking_number: str
    carrier: str
    status: str
    shipped_at: dt.datetime | None
    promised_at: dt.date | None
    delivered_at: dt.datetime | None
    items: list[ShipmentItemOut]


class ReturnOut(Schema):
    rma: str
    sku: str
    quantity: int
    reason_code: str
    status: str
    requested_at: dt.datetime
    refund_amount: Decimal


class RefundOut(Schema):
    external_id: str
    amount: Decimal
    currency: str
    reason: str
    status: str
    created_at: dt.datetime


class OrderDetailOut(OrderOut):
    subtotal: Decimal
    shipping: Decimal
    taxes: Decimal
    discount_amount: Decimal
    shipping_method: str
    shipping_country: str
    lines: list[LineOut]
    shipments: list[ShipmentOut]
    returns: list[ReturnOut]
    refunds: list[RefundOut]


@customers_router.get("", response=CustomerPage)
def customer_list(request: HttpRequest, filters: Query[CustomerFilters]) -> CustomerPage:
    """Customers, newest first; page with `cursor` = the previous page's `next`."""
    authorize(request, "customers.read")
    qs = selectors.customers_matching(email=filters.email, tier=filters.tier)
    rows, next_cursor = keyset_page(qs, cursor=filters.cursor, limit=filters.limit)
    return CustomerPage(items=[CustomerOut.of(c) for c in rows], next=next_cursor)


@customers_router.get("/{customer_id}", response=CustomerDetailOut)
def customer_get(request: HttpRequest, customer_id: int) -> CustomerDetailOut:
    """One customer with identities, recent orders and a summary of their tickets."""
    authorize(request, "customers.read")
    d = selectors.customer_detail(customer_id=customer_id)
    return CustomerDetailOut(
        **CustomerOut.of(d.customer).model_dump(),
        identities=[IdentityOut(kind=i.kind, value=i.value) for i in d.identities],
        orders=[OrderOut.of(o) for o in d.orders],
        tickets=TicketsSummaryOut(
            total=sum(d.tickets_by_status.values()),
            open=d.tickets_open,
            by_status=d.tickets_by_status,
            recent=[
                TicketSummaryOut(
                    id=t.pk,
                    subject=t.subject,
                    status=t.status,
                    contact_reason=t.contact_reason,
                    created_at=t.created_at,
                )
                for t in d.recent_tickets
            ],
        ),
    )


@orders_router.get("", response=OrderPage)
def order_list(request: HttpRequest, filters: Query[OrderFilters]) -> OrderPage:
    """Orders, newest first (by id); page with `cursor` = the previous page's `next`."""
    authorize(request, "orders.read")
    qs = selectors.orders_matching(
        number=filters.number,
        email=filters.email,
        created_after=filters.created_after,
        created_before=filters.created_before,
        discount_code=filters.discount_code,
        campaign=filters.campaign,
    )
    rows, next_cursor = keyset_page(qs, cursor=filters.cursor, limit=filters.limit)
    return OrderPage(items=[OrderOut.of(o) for o in rows], next=next_cursor)


@orders_router.get("/{number}", response=OrderDetailOut)
def order_get(request: HttpRequest, number: str) -> OrderDetailOut:
    """One order by number ('#' optional; URL-encode it as %23): lines, shipments, returns,
    refunds."""
    authorize(request, "orders.read")
    o = selectors.order_by_number(number=number)
    return OrderDetailOut(
        **OrderOut.of(o).model_dump(),
        subtotal=o.subtotal,
        shipping=o.shipping,
        taxes=o.taxes,
        discount_amount=o.discount_amount,
        shipping_method=o.shipping_method,
        shipping_country=o.shipping_country,
        lines=[
            LineOut(
                line_no=ln.line_no,
                sku=ln.sku,
                name=ln.name,
                quantity=ln.quantity,
                price=ln.price,
                batch_id=ln.batch_id,
            )
            for ln in o.lines.all()
        ],
        shipments=[
            ShipmentOut(
                tracking_number=s.tracking_number,
                carrier=s.carrier,
                status=s.status,
                shipped_at=s.shipped_at,
                promised_at=s.promised_at,
                delivered_at=s.delivered_at,
                items=[ShipmentItemOut(sku=i.sku, quantity=i.quantity) for i in s.items.all()],
            )
            for s in o.shipments.all()
        ],
        returns=[
            ReturnOut(
                rma=r.rma,
                sku=r.sku,
                quantity=r.quantity,
                reason_code=r.reason_code,
                status=r.status,
                requested_at=r.requested_at,
                refund_amount=r.refund_amount,
            )
            for r in o.returns.all()
        ],
        refunds=[
            RefundOut(
                external_id=f.external_id,
                amount=f.amount,
                currency=f.currency,
                reason=f.reason,
                status=f.status,
                created_at=f.created_at,
            )
            for f in o.refunds.all()
        ],
    )
