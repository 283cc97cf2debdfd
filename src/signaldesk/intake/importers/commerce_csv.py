"""Generic CSVs for shipments, returns and reviews (columns in docs/formats.md)."""

from __future__ import annotations

from typing import Any

from django.db import connection

from signaldesk.commerce.models import (
    Batch,
    IdentityKind,
    OrderLine,
    Return,
    ReturnStatus,
    Review,
    Shipment,
    ShipmentItem,
    ShipmentStatus,
    Variant,
)
from signaldesk.intake.importers.base import CsvImporter, CsvSpec, Row, Tally
from signaldesk.intake.importers.customers import clean_email, identities
from signaldesk.intake.importers.parse import (
    RowProblem,
    choice,
    parse_date,
    parse_dt,
    parse_money,
    parse_qty,
    required,
    synonyms,
)
from signaldesk.intake.importers.shopify import currency_of
from signaldesk.intake.importers.ticketwrite import orders_by_number
from signaldesk.intake.importers.upsert import Table, worst

SHIPMENT_STATUSES = synonyms(
    ShipmentStatus.values,
    {
        "label_created": "pending",
        "info_received": "pending",
        "created": "pending",
        "transit": "in_transit",
        "shipped": "in_transit",
        "in_transport": "in_transit",
        "out_for_delivery": "out_for_delivery",
        "delay": "delayed",
        "late": "delayed",
        "exception": "delayed",
        "failed": "failed_delivery",
        "failed_attempt": "failed_delivery",
        "undeliverable": "failed_delivery",
        "return_to_sender": "returned",
        "returned_to_sender": "returned",
        "rts": "returned",
        "missing": "lost",
    },
)
RETURN_STATUSES = synonyms(
    ReturnStatus.values,
    {
        "open": "requested",
        "pending": "requested",
        "shipped": "in_transit",
        "declined": "rejected",
        "refund": "refunded",
        "exchange": "exchanged",
        "closed": "refunded",
    },
)


def order_of(c: Any, row: Row, orders: dict[str, tuple[int, str]]) -> tuple[int, str]:
    number = required(c(row, "order_number"), "order_number", max_len=50)
    found = orders.get(number)
    if found is None:
        raise RowProblem("order_number", f"no order {number}")
    return found


SHIPMENT_FIELDS = (
    "order_id",
    "carrier",
    "method",
    "warehouse",
    "region",
    "status",
    "shipped_at",
    "promised_at",
    "delivered_at",
)


class ShipmentsImporter(CsvImporter):
    kind = "shipments"
    spec = CsvSpec(
        required=("order_number", "tracking_number", "carrier", "status"),
        optional=(
            "method",
            "warehouse",
            "region",
            "shipped_at",
            "promised_date",
            "delivered_at",
            "sku",
            "batch",
            "quantity",
        ),
        hint="is this a shipments CSV (see docs/formats.md)?",
    )

    def handle(self, chunk: list[Row], ctx: Any, tally: Tally) -> None:
        c = self.cols
        orders = orders_by_number(c(row, "order_number").strip() for row in chunk)
        variants = {
            sku: (vid, supplier)
            for sku, vid, supplier in Variant.objects.filter(
                sku__in={c(row, "sku").strip() for row in chunk}
            ).values_list("sku", "pk", "product__supplier_id")
        }
        shipments: dict[tuple[Any, ...], tuple[Any, ...]] = {}
        items: list[tuple[Row, str, str, str, int, int]] = []
        for row in chunk:
            try:
                order_id, _ = order_of(c, row, orders)
                tracking = required(c(row, "tracking_number"), "tracking_number", max_len=100)
                values = (
                    order_id,
                    required(c(row, "carrier"), "carrier", max_len=100),
                    c(row, "method").strip(),
                    c(row, "warehouse").strip(),
                    c(row, "region").strip(),
                    choice(c(row, "status"), "status", SHIPMENT_STATUSES),
                    parse_dt(c(row, "shipped_at"), "shipped_at"),
                    parse_date(c(row, "promised_date"), "promised_date"),
                    parse_dt(c(row, "delivered_at"), "delivered_at"),
                )
                sku = c(row, "sku").strip()[:100]
                quantity = parse_qty(c(row, "quantity"), "quantity", default=1)
                batch = c(row, "batch").strip()
                if batch and not sku:
                    raise RowProblem("batch", "needs a sku")
                if len(batch) > 100:
                    raise RowProblem("batch", "longer than 100 characters")
            except RowProblem as exc:
                tally.problem(row.line, exc)
                continue
            shipments[(tracking,)] = values
            items.append((row, tracking, sku, batch, quantity, order_id))
        done = Table(Shipment, key=("tracking_number",), fields=SHIPMENT_FIELDS).upsert(shipments)
        batches = {
            (code,): (variants.get(sku, (None, None))[0], variants.get(sku, (None, None))[1])
            for _, _, sku, code, _, _ in items
            if code
        }
        bdone = Table(Batch, key=("code",), fields=("variant_id", "supplier_id")).upsert(batches)
        item_rows = {
            (done.pks[(tracking,)], sku): (
                variants.get(sku, (None, None))[0],
                bdone.pks.get((code,)),
                quantity,
            )
            for _, tracking, sku, code, quantity, _ in items
            if sku
        }
        idone = Table(
            ShipmentItem, key=("shipment_id", "sku"), fields=("variant_id", "batch_id", "quantity")
        ).upsert(item_rows, need_pks=False)
        links = {
            (bdone.pks[(code,)], order_id, sku) for _, _, sku, code, _, order_id in items if code
        }
        if links:
            with connection.cursor() as cursor:
                table = connection.ops.quote_name(OrderLine._meta.db_table)
                cursor.executemany(
                    f"UPDATE {table} SET batch_id = %s WHERE order_id = %s AND sku = %s",
                    sorted(links),
                )
        for _, tracking, sku, code, _, _ in items:
            states = [done.state((tracking,))]
            if sku:
                states.append(idone.state((done.pks[(tracking,)], sku)))
            if code:
                states.append(bdone.state((code,)))
            tally.add(worst(*states))


RETURN_FIELDS = (
    "order_id",
    "sku",
    "variant_id",
    "quantity",
    "reason_code",
    "reason_text",
    "status",
    "requested_at",
    "received_at",
    "refund_amount",
    "currency",
    "exchange_sku",
)


class ReturnsImporter(CsvImporter):
    kind = "returns"
    spec = CsvSpec(
        required=("rma", "order_number", "status", "requested_at"),
        optional=(
            "sku",
            "quantity",
            "reason_code",
            "reason_text",
            "received_at",
            "refund_amount",
            "currency",
            "exchange_sku",
        ),
        hint="is this a returns CSV (see docs/formats.md)?",
    )

    def handle(self, chunk: list[Row], ctx: Any, tally: Tally) -> None:
        c = self.cols
        orders = orders_by_number(c(row, "order_number").strip() for row in chunk)
        skus = {c(row, "sku").strip() for row in chunk}
        variants = dict(Variant.objects.filter(sku__in=skus).values_list("sku", "pk"))
        rows: dict[tuple[Any, ...], tuple[Any, ...]] = {}
        lines: list[tuple[Row, str]] = []
        for row in chunk:
            try:
                rma = required(c(row, "rma"), "rma", max_len=64)
                order_id, order_currency = order_of(c, row, orders)
                sku = c(row, "sku").strip()[:100]
                rows[(rma,)] = (
                    order_id,
                    sku,
                    variants.get(sku),
                    parse_qty(c(row, "quantity"), "quantity", default=1),
                    c(row, "reason_code").strip().lower(),
                    c(row, "reason_text").strip(),
                    choice(c(row, "status"), "status", RETURN_STATUSES),
                    parse_dt(c(row, "requested_at"), "requested_at", required=True),
                    parse_dt(c(row, "received_at"), "received_at"),
                    parse_money(c(row, "refund_amount"), "refund_amount"),
                    currency_of(c(row, "currency"), order_currency, "currency"),
                    c(row, "exchange_sku").strip(),
                )
            except RowProblem as exc:
                tally.problem(row.line, exc)
                continue
            lines.append((row, rma))
        done = Table(Return, key=("rma",), fields=RETURN_FIELDS).upsert(rows, need_pks=False)
        for _, rma in lines:
            tally.add(done.state((rma,)))


REVIEW_FIELDS = (
    "sku",
    "variant_id",
    "product_id",
    "customer_id",
    "order_id",
    "rating",
    "title",
    "body",
    "source",
    "created_at",
)


class ReviewsImporter(CsvImporter):
    kind = "reviews"
    spec = CsvSpec(
        required=("review_id", "sku", "rating", "created_at"),
        optional=("title", "body", "order_number", "customer_email", "source"),
        hint="is this a reviews CSV (see docs/formats.md)?",
    )

    def handle(self, chunk: list[Row], ctx: Any, tally: Tally) -> None:
        c = self.cols
        orders = orders_by_number(c(row, "order_number").strip() for row in chunk)
        variants = {
            sku: (vid, pid)
            for sku, vid, pid in Variant.objects.filter(
                sku__in={c(row, "sku").strip() for row in chunk}
            ).values_list("sku", "pk", "product_id")
        }
        emails: dict[int, str] = {}
        for row in chunk:
            try:
                emails[row.line] = clean_email(c(row, "customer_email"), "customer_email")
            except RowProblem:
                emails[row.line] = ""
        customers = identities(IdentityKind.EMAIL, {e for e in emails.values() if e})
        rows: dict[tuple[Any, ...], tuple[Any, ...]] = {}
        lines: list[tuple[Row, str]] = []
        for row in chunk:
            try:
                rid = required(c(row, "review_id"), "review_id", max_len=64)
                sku = required(c(row, "sku"), "sku", max_len=100)
                raw = c(row, "rating").strip()
                try:
                    rating = int(float(raw))
                except ValueError:
                    raise RowProblem("rating", f"not a number: {raw!r}") from None
                if not 1 <= rating <= 5 or float(raw) != rating:
                    raise RowProblem("rating", f"must be a whole number from 1 to 5, got {raw}")
                created = parse_dt(c(row, "created_at"), "created_at", required=True)
            except RowProblem as exc:
                tally.problem(row.line, exc)
                continue
            vid, pid = variants.get(sku, (None, None))
            order = orders.get(c(row, "order_number").strip())
            rows[(rid,)] = (
                sku,
                vid,
                pid,
                customers.get(emails[row.line]),
                order[0] if order else None,
                rating,
                c(row, "title").strip(),
                c(row, "body").strip(),
                c(row, "source").strip(),
                created,
            )
            lines.append((row, rid))
        done = Table(Review, key=("external_id",), fields=REVIEW_FIELDS).upsert(
            rows, need_pks=False
        )
        for _, rid in lines:
            tally.add(done.state((rid,)))
