"""Builders for the proactive tests: customers with orders, shipments, lines and batches."""

from __future__ import annotations

import datetime as dt
from typing import Any

from signaldesk.commerce.models import Batch, Customer, Order, ShipmentItem, Variant
from signaldesk.core.audit import Actor
from signaldesk.proactive.models import ProactiveCampaign
from signaldesk.proactive.services import CampaignDraft, campaign_create
from signaldesk.testing.factories import (
    CustomerFactory,
    OrderFactory,
    OrderLineFactory,
    ShipmentFactory,
    VariantFactory,
)

ACTOR = Actor.system("test")
NOW = dt.datetime(2026, 3, 20, 12, tzinfo=dt.UTC)


def day(d: int, hour: int = 12) -> dt.datetime:
    return dt.datetime(2026, 3, d, hour, tzinfo=dt.UTC)


def customer(email: str, name: str = "", **kwargs: Any) -> Customer:
    return CustomerFactory.with_identities(email=email, name=name or email.split("@")[0], **kwargs)


def shipped_order(
    owner: Customer | None,
    number: str,
    *,
    carrier: str = "GLS",
    region: str = "South",
    shipped: dt.datetime | None = None,
    ordered: dt.datetime | None = None,
) -> Order:
    order = OrderFactory(number=number, customer=owner, created_at=ordered or day(1))
    ShipmentFactory(order=order, carrier=carrier, region=region, shipped_at=shipped or day(10))
    return order


def order_with_sku(
    owner: Customer, number: str, sku: str, *, batch: str = "", in_shipment: bool = False
) -> Order:
    order = OrderFactory(number=number, customer=owner, created_at=day(2))
    variant = Variant.objects.filter(sku=sku).first() or VariantFactory(sku=sku)
    lot = Batch.objects.get_or_create(code=batch)[0] if batch else None
    OrderLineFactory(order=order, variant=variant, batch=None if in_shipment else lot)
    if in_shipment:
        shipment = ShipmentFactory(order=order, shipped_at=day(3))
        ShipmentItem.objects.create(shipment=shipment, sku=sku, variant=variant, batch=lot)
    return order


def campaign(**overrides: Any) -> ProactiveCampaign:
    values: dict[str, Any] = {
        "name": "GLS delay South",
        "kind": "carrier_delay",
        "subject": "Your order {orders} is late",
        "body": "Hello {first_name}, order {orders} with {carrier} in {region} is late.",
        **overrides,
    }
    return campaign_create(draft=CampaignDraft(**values), actor=ACTOR, now=NOW)
