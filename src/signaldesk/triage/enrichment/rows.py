"""Plain rows of a chosen order (lines with variant and batch, shipments with items, returns,
refunds) and of catalog variants, loaded with `values_list` instead of model instances.

The join only reads these fields; building Django model instances for them (about twenty per
ticket, with prefetch bookkeeping) cost more than the text cores of a ticket. The queries are
the same in number (one per table, whatever the chunk size) and the values the same types the
models would hold (money as Decimal, dates as date, datetimes aware)."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal

from signaldesk.commerce.models import Order, OrderLine, Refund, Return, Shipment, ShipmentItem
from signaldesk.commerce.models import Variant as VariantModel


@dataclass(frozen=True, slots=True)
class BatchRow:
    code: str
    supplier_name: str | None


@dataclass(frozen=True, slots=True)
class VariantRow:
    pk: int
    sku: str
    size: str
    product_id: int
    supplier_name: str | None  # the product's supplier


@dataclass(frozen=True, slots=True)
class LineRow:
    pk: int
    sku: str
    vendor: str
    variant_id: int | None
    variant: VariantRow | None
    batch: BatchRow | None


@dataclass(frozen=True, slots=True)
class ItemRow:
    sku: str
    batch: BatchRow | None


@dataclass(slots=True)
class ShipmentRow:
    pk: int
    tracking_number: str
    carrier: str
    warehouse: str
    region: str
    status: str
    promised_at: dt.date | None
    delivered_at: dt.datetime | None
    shipped_at: dt.datetime | None
    items: list[ItemRow] = field(default_factory=list)


@dataclass(frozen=True, slots=True)
class ReturnRow:
    pk: int
    rma: str
    sku: str
    status: str
    requested_at: dt.datetime


@dataclass(frozen=True, slots=True)
class RefundRow:
    status: str
    amount: Decimal


@dataclass(slots=True)
class OrderRow:
    pk: int
    number: str
    total: Decimal
    campaign: str
    discount_code: str
    region: str
    refunded_amount: Decimal
    lines: list[LineRow] = field(default_factory=list)
    shipments: list[ShipmentRow] = field(default_factory=list)
    returns: list[ReturnRow] = field(default_factory=list)
    refunds: list[RefundRow] = field(default_factory=list)


def _batch(batch_id: int | None, code: str | None, supplier: str | None) -> BatchRow | None:
    return BatchRow(code or "", supplier) if batch_id is not None else None


def load_order_rows(order_ids: Iterable[int]) -> dict[int, OrderRow]:
    """The orders with their lines (by line number), shipments and items (by id), returns and
    refunds: six queries, no model instances."""
    ids = sorted(set(order_ids))
    if not ids:
        return {}
    orders = {
        pk: OrderRow(pk, number, total, campaign, discount, region, refunded)
        for pk, number, total, campaign, discount, region, refunded in Order.objects.filter(
            pk__in=ids
        ).values_list(
            "id", "number", "total", "campaign", "discount_code", "region", "refunded_amount"
        )
    }
    lines = (
        OrderLine.objects.filter(order_id__in=ids)
        .order_by("line_no", "id")
        .values_list(
            "order_id", "id", "sku", "vendor", "variant_id", "variant__sku", "variant__size",
            "variant__product_id", "variant__product__supplier__name", "batch_id", "batch__code",
            "batch__supplier__name",
        )
    )  # fmt: skip
    for oid, pk, sku, vendor, vid, vsku, vsize, pid, vsupplier, bid, bcode, bsupplier in lines:
        variant = VariantRow(vid, vsku, vsize, pid, vsupplier) if vid is not None else None
        orders[oid].lines.append(
            LineRow(pk, sku, vendor, vid, variant, _batch(bid, bcode, bsupplier))
        )
    shipments: dict[int, ShipmentRow] = {}
    shipment_rows = (
        Shipment.objects.filter(order_id__in=ids)
        .order_by("id")
        .values_list(
            "order_id", "id", "tracking_number", "carrier", "warehouse", "region", "status",
            "promised_at", "delivered_at", "shipped_at",
        )
    )  # fmt: skip
    for (
        oid,
        pk,
        code,
        carrier,
        house,
        region,
        status,
        promised,
        delivered,
        shipped,
    ) in shipment_rows:
        row = ShipmentRow(pk, code, carrier, house, region, status, promised, delivered, shipped)
        shipments[pk] = row
        orders[oid].shipments.append(row)
    items: dict[int, list[ItemRow]] = defaultdict(list)
    for sid, sku, bid, bcode, bsupplier in (
        ShipmentItem.objects.filter(shipment__order_id__in=ids)
        .order_by("id")
        .values_list("shipment_id", "sku", "batch_id", "batch__code", "batch__supplier__name")
    ):
        items[sid].append(ItemRow(sku, _batch(bid, bcode, bsupplier)))
    for sid, found in items.items():
        shipments[sid].items = found
    for oid, pk, rma, sku, status, requested_at in Return.objects.filter(
        order_id__in=ids
    ).values_list("order_id", "id", "rma", "sku", "status", "requested_at"):
        orders[oid].returns.append(ReturnRow(pk, rma, sku, status, requested_at))
    for oid, status, amount in Refund.objects.filter(order_id__in=ids).values_list(
        "order_id", "status", "amount"
    ):
        orders[oid].refunds.append(RefundRow(status, amount))
    return orders


def load_variant_rows(variant_ids: Iterable[int]) -> dict[int, VariantRow]:
    ids = sorted(set(variant_ids))
    if not ids:
        return {}
    rows = VariantModel.objects.filter(pk__in=ids).values_list(
        "id", "sku", "size", "product_id", "product__supplier__name"
    )
    return {pk: VariantRow(pk, sku, size, pid, supplier) for pk, sku, size, pid, supplier in rows}
