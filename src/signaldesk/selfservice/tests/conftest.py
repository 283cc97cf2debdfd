"""A small store for the self-service tests: one customer with a delivered order (a shirt in M,
with S and L of the same colour in the catalog), a late order and an order on its way."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

import pytest
from django.core.cache import cache
from django.utils import timezone

from signaldesk.commerce.models import (
    Customer,
    Order,
    Product,
    Shipment,
    ShipmentItem,
    ShipmentStatus,
    Variant,
)
from signaldesk.core.audit import Actor
from signaldesk.knowledge.services import articles_load
from signaldesk.testing.factories import (
    CustomerFactory,
    CustomerIdentityFactory,
    OrderFactory,
    OrderLineFactory,
    ProductFactory,
    ShipmentFactory,
    VariantFactory,
)

EMAIL = "mia.jensen@example.com"


@pytest.fixture(autouse=True)
def _fresh_cache() -> None:
    """Rate-limit counters live in the cache, shared with live_server."""
    cache.clear()


@dataclass
class Store:
    customer: Customer
    product: Product
    small: Variant
    medium: Variant
    large: Variant
    delivered: Order  # #20001, delivered 10 days ago, one shirt in M
    late: Order  # #20002, promised 9 days ago, still in transit
    on_way: Order  # #20003, promised in 2 days
    delivered_shipment: Shipment


def days_ago(days: int) -> dt.datetime:
    return timezone.now() - dt.timedelta(days=days)


def make_store() -> Store:
    today = timezone.localdate()
    customer = CustomerFactory(name="Mia Jensen", email=EMAIL)
    CustomerIdentityFactory(customer=customer, kind="email", value=EMAIL)
    product = ProductFactory(handle="linen-shirt", title="Linen Shirt", tags=["summer"])
    small, medium, large = (
        VariantFactory(product=product, sku=f"LIN-{s}-SND", size=s, colour="Sand")
        for s in ("S", "M", "L")
    )
    VariantFactory(product=product, sku="LIN-XL-NVY", size="XL", colour="Navy")
    delivered = OrderFactory(customer=customer, number="#20001", created_at=days_ago(12))
    OrderLineFactory(
        order=delivered, line_no=1, variant=medium, name="Linen Shirt Sand / M",
        price=Decimal("59.90"),
    )  # fmt: skip
    shipment = ShipmentFactory(
        order=delivered,
        tracking_number="JJD0001234",
        carrier="DHL",
        status=ShipmentStatus.DELIVERED,
        shipped_at=days_ago(12),
        promised_at=today - dt.timedelta(days=10),
        delivered_at=days_ago(10),
    )
    ShipmentItem.objects.create(shipment=shipment, sku=medium.sku, variant=medium)
    late = OrderFactory(customer=customer, number="#20002", created_at=days_ago(14))
    OrderLineFactory(order=late, line_no=1, variant=small, name="Linen Shirt Sand / S")
    ShipmentFactory(
        order=late,
        tracking_number="1Z999AA10123456784",
        carrier="UPS",
        status=ShipmentStatus.IN_TRANSIT,
        shipped_at=days_ago(13),
        promised_at=today - dt.timedelta(days=9),
    )
    on_way = OrderFactory(customer=customer, number="#20003", created_at=days_ago(1))
    OrderLineFactory(order=on_way, line_no=1, variant=large, name="Linen Shirt Sand / L")
    ShipmentFactory(
        order=on_way,
        tracking_number="3SHTTN000001",
        carrier="PostNL",
        status=ShipmentStatus.IN_TRANSIT,
        shipped_at=days_ago(1),
        promised_at=today + dt.timedelta(days=2),
    )
    return Store(customer, product, small, medium, large, delivered, late, on_way, shipment)


@pytest.fixture
def store(db: None) -> Store:
    return make_store()


@pytest.fixture
def articles(db: None) -> None:
    articles_load(actor=Actor.system("test"))
