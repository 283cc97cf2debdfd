"""Orders of the current database that show each self-service flow (for trying the demo):
one late parcel, one on its way, and one delivered item that can be returned for another size."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import Q
from django.utils import timezone

from signaldesk.commerce.models import Order, Return, Shipment, ShipmentStatus, Variant
from signaldesk.selfservice.eligibility import returns_policy

TRAVELLING = (ShipmentStatus.IN_TRANSIT, ShipmentStatus.OUT_FOR_DELIVERY, ShipmentStatus.PENDING)
LATE = (ShipmentStatus.DELAYED, ShipmentStatus.LOST, ShipmentStatus.IN_TRANSIT)
MAX_CANDIDATES = 200


@dataclass(frozen=True)
class Example:
    flow: str
    what: str
    order_number: str
    email: str


def _example(flow: str, what: str, order: Order | None) -> Example | None:
    if order is None or not order.email:
        return None
    return Example(flow=flow, what=what, order_number=order.number, email=order.email)


def _shipment_order(filters: Q, statuses: tuple[str, ...], order_by: str) -> Order | None:
    shipment = (
        Shipment.objects.filter(filters, delivered_at__isnull=True, status__in=statuses)
        .exclude(order__email="")
        .select_related("order")
        .order_by(order_by, "pk")
        .first()
    )
    return shipment.order if shipment else None


def _returnable_sizing_order(today: dt.date) -> Order | None:
    window = returns_policy().window_days
    since = timezone.now() - dt.timedelta(days=max(window - 5, 1))
    returned = Return.objects.values("order_id")
    shipments = (
        Shipment.objects.filter(delivered_at__gte=since, status=ShipmentStatus.DELIVERED)
        .exclude(order_id__in=returned)
        .exclude(order__email="")
        .prefetch_related("order__lines__variant")
        .order_by("-delivered_at", "pk")[:MAX_CANDIDATES]
    )
    for shipment in shipments:
        for line in shipment.order.lines.all():
            variant = line.variant
            if variant is None or variant.size.upper() not in ("S", "M", "L"):
                continue
            siblings = Variant.objects.filter(
                product_id=variant.product_id, colour=variant.colour
            ).values_list("size", flat=True)
            if len(set(siblings)) >= 3:
                return shipment.order
    return None


def demo_examples(*, today: dt.date | None = None) -> list[Example]:
    today = today or timezone.localdate()
    found = [
        _example(
            "order_status",
            "late parcel (the longest overdue)",
            _shipment_order(Q(promised_at__lt=today), LATE, "promised_at"),
        ),
        _example(
            "order_status",
            "on its way",
            _shipment_order(Q(promised_at__gte=today), TRAVELLING, "-promised_at"),
        ),
        _example(
            "returns", "delivered, returnable, sizes either side", _returnable_sizing_order(today)
        ),
    ]
    return [e for e in found if e is not None]
