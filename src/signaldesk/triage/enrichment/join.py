"""Deciding what a ticket is about: which order (ticket link → quoted number → tracking number →
the customer's recent order, inferred), which product line, which shipment, return and refunds,
and the customer's standing. Works on rows already loaded by `load`, so it runs no queries and
the single-ticket and batch paths give identical results."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.utils import timezone

from signaldesk.commerce.models import Customer, RefundStatus
from signaldesk.commerce.value import CustomerValue, customer_value, value_thresholds
from signaldesk.triage.enrichment.catalog import CatalogSnapshot
from signaldesk.triage.enrichment.load import (
    INFER_WINDOW,
    Candidates,
    CustomerStats,
    OrderRef,
    TicketRow,
    order_spellings,
)
from signaldesk.triage.enrichment.rows import BatchRow, LineRow, OrderRow, ShipmentRow, VariantRow
from signaldesk.triage.enrichment.text import TextSignals
from signaldesk.triage.models import OrderMatch, ProductMatchSource


def is_vip(customer: Customer | None, stats: CustomerStats | None = None) -> bool:
    return customer is not None and value_of(customer, stats).is_vip


def value_of(customer: Customer, stats: CustomerStats | None) -> CustomerValue:
    """The customer's value segment (commerce.value): tier, lifetime value, orders in 365 days."""
    return customer_value(
        tier=customer.loyalty_tier,
        lifetime_value=customer.lifetime_value,
        orders_365d=stats.orders_365d if stats is not None else 0,
        thresholds=value_thresholds(),
    )


def customer_value_provenance(
    customer: Customer | None, stats: CustomerStats | None
) -> dict[str, str]:
    """Why the segment was chosen, kept in TicketEnrichment.provenance (the rules read the
    segment from there as the `customer_value` fact; the ticket page shows the reasons)."""
    if customer is None:
        return {}
    value = value_of(customer, stats)
    return {
        "customer_value": value.segment,
        "customer_value_reasons": value.explanation,
        "orders_365d": str(stats.orders_365d if stats is not None else 0),
    }


@dataclass
class OrderChoice:
    order_id: int | None = None
    match: str = OrderMatch.NONE
    shipment_id: int | None = None  # when found through a tracking number
    provenance: str = ""
    warnings: list[dict[str, str]] = field(default_factory=list)


def _owned(ref: OrderRef, customer: Customer | None) -> bool:
    if customer is None:
        return True  # nobody to compare with; recorded as a warning by the caller
    if ref.customer_id is not None:
        return ref.customer_id == customer.pk
    email = customer.email.strip().lower()
    return bool(email) and ref.email.strip().lower() == email


def choose_order(row: TicketRow, signals: TextSignals, found: Candidates) -> OrderChoice:
    """The ticket's own order wins. When the text points at that same order (because triage
    linked it from there earlier) the text's provenance is kept, so re-running is idempotent."""
    ticket = row.ticket
    choice = _order_from_text(row, signals, found)
    if ticket.order_id is not None and choice.order_id != ticket.order_id:
        return OrderChoice(ticket.order_id, OrderMatch.TICKET, provenance="ticket")
    return choice


def _order_from_text(row: TicketRow, signals: TextSignals, found: Candidates) -> OrderChoice:
    ticket = row.ticket
    customer = ticket.customer
    choice = OrderChoice()
    quoted = [(v, found.by_number.get(s)) for v in signals.order_values for s in order_spellings(v)]
    for value, ref in quoted:
        if ref is None:
            continue
        if _owned(ref, customer):
            choice.order_id, choice.match = ref.id, OrderMatch.QUOTED
            choice.provenance = f"quoted:{ref.number}"
            break
        choice.warnings.append(
            {"code": "order_of_other_customer", "field": "order", "value": ref.number,
             "detail": f"Order {ref.number} (quoted as {value}) belongs to another customer; "
                       "not joined."}
        )  # fmt: skip
    if choice.order_id is None:
        for code in signals.tracking_values:
            shipment = found.by_tracking.get(code.upper())
            if shipment is None:
                continue
            if _owned(shipment.order, customer):
                choice.order_id, choice.match = shipment.order.id, OrderMatch.TRACKING
                choice.shipment_id = shipment.id
                choice.provenance = f"tracking:{shipment.tracking_number}"
                break
            choice.warnings.append(
                {"code": "shipment_of_other_customer", "field": "order", "value": code,
                 "detail": f"Tracking number {code} belongs to another customer's order; "
                           "not joined."}
            )  # fmt: skip
    if choice.order_id is not None and customer is None:
        choice.warnings.append(
            {"code": "order_owner_unverified", "field": "order", "value": choice.provenance,
             "detail": "The ticket has no customer, so the order's owner was not checked."}
        )  # fmt: skip
    if choice.order_id is None and customer is not None:
        start = row.as_of - INFER_WINDOW
        for created_at, ref in found.recent.get(customer.pk, []):
            if start <= created_at <= row.as_of:
                choice.order_id, choice.match = ref.id, OrderMatch.INFERRED
                choice.provenance = f"inferred:most recent order in 60 days ({ref.number})"
                break
    return choice


@dataclass
class ProductChoice:
    line: LineRow | None = None
    variant: VariantRow | None = None
    source: str = ProductMatchSource.NONE
    provenance: str = ""
    catalog_variant_id: int | None = None  # a catalog match still to be loaded


def choose_product(
    ticket_variant_id: int | None,
    order: OrderRow | None,
    signals: TextSignals,
    catalog: CatalogSnapshot,
) -> ProductChoice:
    """The ticket's own variant wins; as for orders, the text's provenance is kept when it
    points at that same variant."""
    lines: list[LineRow] = list(order.lines) if order is not None else []
    choice = _product_from_text(lines, signals, catalog)
    chosen = choice.variant.pk if choice.variant is not None else choice.catalog_variant_id
    if ticket_variant_id is not None and chosen != ticket_variant_id:
        line = next((ln for ln in lines if ln.variant_id == ticket_variant_id), None)
        return ProductChoice(line, None, ProductMatchSource.TICKET, "ticket", ticket_variant_id)
    return choice


def _product_from_text(
    lines: list[LineRow], signals: TextSignals, catalog: CatalogSnapshot
) -> ProductChoice:
    for mention in signals.products:  # the exact SKU bought, then the same product in any size
        for line in lines:
            if line.sku.upper() == mention.sku.upper():
                return ProductChoice(
                    line, line.variant, ProductMatchSource.MENTION_IN_ORDER,
                    f"mention:{mention.sku}@{mention.score}",
                )  # fmt: skip
    for mention in signals.products:
        info = catalog.info(mention.sku)
        for line in lines:
            if info is not None and line.variant and line.variant.product_id == info.product_id:
                return ProductChoice(
                    line, line.variant, ProductMatchSource.MENTION_IN_ORDER,
                    f"mention:{mention.title}@{mention.score}",
                )  # fmt: skip
    if len(lines) == 1:
        return ProductChoice(
            lines[0], lines[0].variant, ProductMatchSource.SINGLE_LINE, "order:1 line"
        )
    if signals.products:
        best = signals.products[0]
        info = catalog.info(best.sku)
        return ProductChoice(
            None, None, ProductMatchSource.CATALOG, f"catalog:{best.sku}@{best.score}",
            info.variant_id if info else None,
        )  # fmt: skip
    return ProductChoice()


def _local_date(value: dt.datetime) -> dt.date:
    return timezone.localtime(value).date()


def _pick_shipment(order: OrderRow, shipment_id: int | None, sku: str) -> ShipmentRow | None:
    shipments = list(order.shipments)
    if shipment_id is not None:
        chosen = next((s for s in shipments if s.pk == shipment_id), None)
        if chosen is not None:
            return chosen
    if sku:
        with_sku = [s for s in shipments if any(i.sku == sku for i in s.items)]
        if with_sku:
            shipments = with_sku
    if not shipments:
        return None
    return max(shipments, key=lambda s: (s.shipped_at is not None, s.shipped_at, s.pk))


def _batch_of(line: LineRow | None, shipment: ShipmentRow | None, sku: str) -> BatchRow | None:
    if line is not None and line.batch is not None:
        return line.batch
    if shipment is not None and sku:
        for item in shipment.items:
            if item.sku == sku and item.batch is not None:
                return item.batch
    return None


def shipment_fields(shipment: ShipmentRow | None, as_of: dt.datetime) -> dict[str, Any]:
    if shipment is None:
        return {}
    out: dict[str, Any] = {
        "tracking_number": shipment.tracking_number, "carrier": shipment.carrier,
        "warehouse": shipment.warehouse, "region": shipment.region,
        "shipment_status": shipment.status, "promised_date": shipment.promised_at,
        "delivered_at": shipment.delivered_at,
    }  # fmt: skip
    delivered = shipment.delivered_at
    if delivered is not None and delivered <= as_of:
        out["days_since_delivery"] = (_local_date(as_of) - _local_date(delivered)).days
    if shipment.promised_at is not None:
        reference = _local_date(delivered) if delivered is not None else _local_date(as_of)
        out["days_late"] = max(0, (reference - shipment.promised_at).days)
    return out


def order_fields(
    order: OrderRow, choice: OrderChoice, product: ProductChoice, as_of: dt.datetime
) -> tuple[dict[str, Any], dict[str, str]]:
    line = product.line
    variant = product.variant or (line.variant if line is not None else None)
    sku = line.sku if line is not None else (variant.sku if variant else "")
    shipment = _pick_shipment(order, choice.shipment_id, sku)
    batch = _batch_of(line, shipment, sku)
    values: dict[str, Any] = {
        "order_value": order.total, "campaign": order.campaign,
        "discount_code": order.discount_code, "region": order.region,
    }  # fmt: skip
    provenance: dict[str, str] = {}
    values.update(shipment_fields(shipment, as_of))
    if shipment is not None:
        provenance["shipment"] = (
            f"tracking:{shipment.tracking_number}"
            if shipment.pk == choice.shipment_id
            else f"order:{order.number}"
        )
    if batch is not None:
        values["batch_code"] = batch.code
        provenance["batch"] = "order_line" if line is not None and line.batch else "shipment_item"
        if batch.supplier_name is not None:
            values["supplier"] = batch.supplier_name
            provenance["supplier"] = "batch"
    returns = sorted(order.returns, key=lambda r: (r.requested_at, r.pk), reverse=True)
    for_sku = [r for r in returns if sku and r.sku == sku] or returns
    if for_sku:
        values["return_status"] = for_sku[0].status
        provenance["return"] = f"rma:{for_sku[0].rma}"
    refunds = [r for r in order.refunds if r.status != RefundStatus.DENIED]
    if refunds:
        values["refund_amount"] = sum((r.amount for r in refunds), Decimal("0.00"))
        provenance["refund"] = f"refunds:{len(refunds)}"
    else:
        values["refund_amount"] = order.refunded_amount
        provenance["refund"] = "order.refunded_amount"
    return values, provenance


def product_fields(product: ProductChoice, variant: VariantRow | None) -> dict[str, Any]:
    line = product.line
    if line is not None:
        variant = line.variant or variant
    values: dict[str, Any] = {}
    if variant is not None:
        values.update(variant_id=variant.pk, sku=variant.sku, size=variant.size)
        if variant.supplier_name is not None:
            values["supplier"] = variant.supplier_name
    if line is not None:
        values["sku"] = line.sku or values.get("sku", "")
        if not values.get("supplier") and line.vendor:
            values["supplier"] = line.vendor
    return values


def customer_fields(customer: Customer | None, stats: CustomerStats | None) -> dict[str, Any]:
    if customer is None:
        return {}
    values: dict[str, Any] = {
        "customer_tier": customer.loyalty_tier, "lifetime_value": customer.lifetime_value,
        "is_vip": is_vip(customer, stats),
    }  # fmt: skip
    if stats is not None:
        values.update(
            prior_tickets_90d=stats.prior_tickets_90d, open_tickets=stats.open_tickets,
            repeat_contact_7d=stats.repeat_contact_7d,
        )  # fmt: skip
    return values
