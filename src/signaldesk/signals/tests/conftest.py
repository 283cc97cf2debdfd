"""A small hand-built store: orders, lines, shipments, refunds and triaged tickets."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any, cast

from django.utils import timezone

from signaldesk.commerce.models import (
    Batch,
    Order,
    OrderLine,
    Refund,
    Return,
    Shipment,
    ShipmentItem,
    Supplier,
    Variant,
)
from signaldesk.testing.factories import (
    OrderFactory,
    OrderLineFactory,
    ShipmentFactory,
    TicketFactory,
    VariantFactory,
)
from signaldesk.tickets.models import Ticket
from signaldesk.triage.models import TicketEnrichment

D1 = dt.date(2026, 10, 5)
D2 = dt.date(2026, 10, 6)


def at(day: dt.date, hour: int = 10, minute: int = 0) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(hour, minute), tzinfo=dt.UTC)


def make_ticket(day: dt.date, reason: str, *, minute: int = 0, **enrichment: Any) -> Ticket:
    channel = enrichment.pop("ch", "email")
    ticket = cast(
        Ticket,
        TicketFactory(created_at=at(day, 9, minute), contact_reason=reason, channel=channel),
    )
    TicketEnrichment.objects.create(
        ticket=ticket, as_of=ticket.created_at, computed_at=timezone.now(), **enrichment
    )
    return ticket


def bulk_orders(day: dt.date, n: int, sku: str, start: int) -> None:
    """n orders of one line of `sku` created on `day` (numbers from `start`)."""
    orders = Order.objects.bulk_create(
        [Order(number=f"#B{start + k}", created_at=at(day, 8, k % 60)) for k in range(n)]
    )
    OrderLine.objects.bulk_create(
        [OrderLine(order=o, line_no=1, sku=sku, name=sku, quantity=1) for o in orders]
    )


def small_store() -> dict[str, Any]:
    s1, s2 = Supplier.objects.create(name="S1"), Supplier.objects.create(name="S2")
    a = cast(Variant, VariantFactory(sku="A", size="M", product__supplier=s1))
    b = cast(Variant, VariantFactory(sku="B", size="L", product__supplier=s2))
    ba1 = Batch.objects.create(code="BA1", variant=a)
    o1 = cast(Order, OrderFactory(
        created_at=at(D1, 8), source="web", campaign="spring", discount_code="SPRING10",
        discount_amount=Decimal("5.00"), region="North",
    ))  # fmt: skip
    o2 = cast(Order, OrderFactory(created_at=at(D1, 11), source="mobile_app", region="South"))
    o3 = cast(Order, OrderFactory(created_at=at(D2, 8), source="web", region="North"))
    OrderLineFactory(order=o1, line_no=1, variant=a, quantity=2)
    OrderLineFactory(order=o1, line_no=2, variant=b, quantity=1)
    OrderLineFactory(order=o2, line_no=1, variant=a, quantity=1)
    OrderLineFactory(order=o3, line_no=1, variant=b, quantity=3)
    sh1 = cast(Shipment, ShipmentFactory(
        order=o1, carrier="DHL", region="North", warehouse="AMS1", shipped_at=at(D1, 12)
    ))  # fmt: skip
    sh2 = cast(
        Shipment, ShipmentFactory(order=o2, carrier="DPD", region="South", shipped_at=at(D2, 12))
    )
    ShipmentItem.objects.create(shipment=sh1, sku="A", variant=a, batch=ba1, quantity=2)
    ShipmentItem.objects.create(shipment=sh1, sku="B", variant=b, quantity=1)
    ShipmentItem.objects.create(shipment=sh2, sku="A", variant=a, batch=ba1, quantity=1)
    Refund.objects.create(
        external_id="R1", order=o1, amount=Decimal("20.00"), status="paid", created_at=at(D1, 15)
    )
    Refund.objects.create(
        external_id="R2", order=o2, amount=Decimal("10.00"), status="denied", created_at=at(D2)
    )
    Return.objects.create(
        rma="RMA-2", order=o2, sku="A", quantity=1, exchange_sku="A-L", requested_at=at(D2)
    )
    common: dict[str, Any] = {"carrier": "DHL", "region": "North", "warehouse": "AMS1"}
    t1 = make_ticket(
        D1, "damaged_item", order=o1, sku="A", size="M", batch_code="BA1", supplier="S1",
        campaign="spring", discount_code="SPRING10", **common,
    )  # fmt: skip
    t2 = make_ticket(
        D1, "damaged_item", minute=1, ch="chat", order=o2, sku="A", batch_code="BA1",
        supplier="S1", carrier="DPD", region="South",
    )  # fmt: skip
    t3 = make_ticket(D1, "delivery_delay", minute=2, order=o1, sku="B", **common)
    make_ticket(D1, "", minute=3, order=o1, sku="A")  # no reason: not counted
    t5 = make_ticket(D2, "damaged_item", order=o3, sku="B")
    return {"tickets": [t1, t2, t3, t5], "orders": [o1, o2, o3]}
