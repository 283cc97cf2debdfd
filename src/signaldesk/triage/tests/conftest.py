"""A small store for triage tests: two customers, a catalog with a supplier and a batch, Ana's
order #10023 with two lines, a delivered UPS shipment, a return and refunds; Bob's order #20001.
Everything is dated relative to NOW so relative fields (days late, windows) are exact."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

import pytest

from signaldesk.commerce.models import (
    Batch,
    Customer,
    Order,
    Refund,
    Return,
    Shipment,
    ShipmentItem,
    Supplier,
    Variant,
)
from signaldesk.testing.factories import (
    CustomerFactory,
    MessageFactory,
    OrderFactory,
    OrderLineFactory,
    ProductFactory,
    ShipmentFactory,
    TicketFactory,
    VariantFactory,
)
from signaldesk.tickets.models import Ticket
from signaldesk.triage.enrichment.catalog import catalog_invalidate

NOW = dt.datetime(2026, 11, 20, 12, 0, tzinfo=dt.UTC)


@dataclass
class Store:
    ana: Customer
    bob: Customer
    merino_m: Variant
    merino_l: Variant
    linen_s: Variant
    order: Order
    bob_order: Order
    shipment: Shipment


@pytest.fixture
def store(db: None) -> Store:
    catalog_invalidate()
    lanificio = Supplier.objects.create(name="Lanificio Nord")
    weaver = Supplier.objects.create(name="Baltic Linen Works")
    merino = ProductFactory(title="Merino Crew Sweater", handle="merino-crew", supplier=weaver)
    linen = ProductFactory(title="Linen Camp Shirt", handle="linen-camp", supplier=weaver)
    merino_m = VariantFactory(product=merino, sku="MER-CRW-M", size="M", colour="Navy")
    merino_l = VariantFactory(product=merino, sku="MER-CRW-L", size="L", colour="Navy")
    linen_s = VariantFactory(product=linen, sku="LIN-CMP-S", size="S", colour="Sand")
    batch = Batch.objects.create(code="B-2026-07", variant=merino_m, supplier=lanificio)
    ana = CustomerFactory(email="ana@example.com", lifetime_value=Decimal("120.00"))
    bob = CustomerFactory(email="bob@example.com")
    order = OrderFactory(
        number="#10023", customer=ana, created_at=NOW - dt.timedelta(days=10),
        total=Decimal("129.80"), campaign="autumn-sale", discount_code="AUTUMN10",
        region="DE-East",
    )  # fmt: skip
    OrderLineFactory(order=order, line_no=1, variant=merino_m, batch=batch)
    OrderLineFactory(order=order, line_no=2, variant=linen_s)
    shipment = ShipmentFactory(
        order=order, tracking_number="1Z999AA10123456784", carrier="UPS", warehouse="BER-1",
        region="DE-East", status="delivered", shipped_at=NOW - dt.timedelta(days=8),
        promised_at=(NOW - dt.timedelta(days=5)).date(), delivered_at=NOW - dt.timedelta(days=2),
    )  # fmt: skip
    ShipmentItem.objects.create(shipment=shipment, sku="MER-CRW-M", variant=merino_m, batch=batch)
    ShipmentItem.objects.create(shipment=shipment, sku="LIN-CMP-S", variant=linen_s)
    Return.objects.create(
        rma="RMA-1", order=order, sku="MER-CRW-M", variant=merino_m, status="approved",
        requested_at=NOW - dt.timedelta(days=1), refund_amount=Decimal("59.90"),
    )  # fmt: skip
    Refund.objects.create(
        external_id="R-1", order=order, amount=Decimal("59.90"), status="approved",
        created_at=NOW - dt.timedelta(hours=20),
    )  # fmt: skip
    Refund.objects.create(
        external_id="R-2", order=order, amount=Decimal("15.00"), status="denied",
        created_at=NOW - dt.timedelta(hours=19),
    )  # fmt: skip
    bob_order = OrderFactory(number="#20001", customer=bob, created_at=NOW - dt.timedelta(days=3))
    OrderLineFactory(order=bob_order, line_no=1, variant=linen_s)
    return Store(ana, bob, merino_m, merino_l, linen_s, order, bob_order, shipment)


def make_ticket(
    customer: Customer | None,
    *texts: str,
    at: dt.datetime = NOW,
    subject: str = "",
    **fields: object,
) -> Ticket:
    """A ticket with one inbound message per text, all written at `at`."""
    ticket = TicketFactory(customer=customer, subject=subject, created_at=at, **fields)
    for text in texts:
        MessageFactory(ticket=ticket, body_text=text, created_at=at)
    return ticket
