"""The export files: exact headers, streaming CSV writers and an incremental Zendesk JSON writer."""

from __future__ import annotations

import csv
from pathlib import Path
from types import TracebackType
from typing import IO, Any

import orjson

PRODUCTS = [
    "Handle",
    "Title",
    "Body (HTML)",
    "Vendor",
    "Type",
    "Tags",
    "Published",
    "Option1 Name",
    "Option1 Value",
    "Option2 Name",
    "Option2 Value",
    "Variant SKU",
    "Variant Price",
    "Variant Inventory Qty",
    "Image Src",
]
CUSTOMERS = [
    "Customer ID",
    "First Name",
    "Last Name",
    "Email",
    "Accepts Email Marketing",
    "Phone",
    "Default Address Country Code",
    "Total Spent",
    "Total Orders",
    "Tags",
]
ORDERS = [
    "Name",
    "Email",
    "Financial Status",
    "Paid at",
    "Fulfillment Status",
    "Fulfilled at",
    "Currency",
    "Subtotal",
    "Shipping",
    "Taxes",
    "Total",
    "Discount Code",
    "Discount Amount",
    "Shipping Method",
    "Created at",
    "Lineitem quantity",
    "Lineitem name",
    "Lineitem price",
    "Lineitem sku",
    "Lineitem fulfillment status",
    "Shipping City",
    "Shipping Province",
    "Shipping Country",
    "Refunded Amount",
    "Vendor",
    "Id",
    "Tags",
    "Source",
]
SHIPMENTS = [
    "order_number",
    "tracking_number",
    "carrier",
    "method",
    "warehouse",
    "region",
    "status",
    "shipped_at",
    "promised_date",
    "delivered_at",
    "sku",
    "batch",
    "quantity",
]
RETURNS = [
    "rma",
    "order_number",
    "sku",
    "quantity",
    "reason_code",
    "reason_text",
    "status",
    "requested_at",
    "received_at",
    "refund_amount",
    "currency",
    "exchange_sku",
]
REVIEWS = [
    "review_id",
    "sku",
    "rating",
    "created_at",
    "title",
    "body",
    "order_number",
    "customer_email",
    "source",
]
TICKETS = [
    "ticket_id",
    "created_at",
    "channel",
    "subject",
    "body",
    "status",
    "priority",
    "type",
    "updated_at",
    "customer_email",
    "customer_name",
    "customer_phone",
    "order_number",
    "sku",
    "tags",
    "assignee",
    "group",
    "language",
    "satisfaction",
]
LABELS = ["source", "ticket_id", "true_reason", "language"]

CSV_FILES = {
    "shopify_products.csv": PRODUCTS,
    "shopify_customers.csv": CUSTOMERS,
    "shopify_orders.csv": ORDERS,
    "shipments.csv": SHIPMENTS,
    "returns.csv": RETURNS,
    "reviews.csv": REVIEWS,
    "tickets.csv": TICKETS,
    "ticket_labels.csv": LABELS,
}
ZENDESK_FILE = "zendesk_tickets.json"
GROUND_TRUTH_FILE = "ground_truth.json"
ALL_FILES = (*CSV_FILES, ZENDESK_FILE, GROUND_TRUTH_FILE)


class CsvOut:
    def __init__(self, path: Path, header: list[str]) -> None:
        self.handle: IO[str] = path.open("w", newline="", encoding="utf-8")
        self.writer = csv.writer(self.handle, lineterminator="\n")
        self.writer.writerow(header)
        self.rows = 0

    def row(self, values: list[Any]) -> None:
        self.writer.writerow(values)
        self.rows += 1

    def close(self) -> None:
        self.handle.close()


class ZendeskOut:
    """Writes {"tickets": [...], "users": [...], "groups": [...]} one ticket at a time."""

    def __init__(self, path: Path) -> None:
        self.handle = path.open("wb")
        self.handle.write(b'{"tickets": [\n')
        self.rows = 0

    def ticket(self, ticket: dict[str, Any]) -> None:
        if self.rows:
            self.handle.write(b",\n")
        self.handle.write(orjson.dumps(ticket))
        self.rows += 1

    def finish(self, users: list[dict[str, Any]], groups: list[dict[str, Any]]) -> None:
        self.handle.write(b'\n], "users": [\n')
        for i, user in enumerate(users):
            if i:
                self.handle.write(b",\n")
            self.handle.write(orjson.dumps(user))
        self.handle.write(b'\n], "groups": ')
        self.handle.write(orjson.dumps(groups))
        self.handle.write(b"}\n")
        self.handle.close()


class Outputs:
    def __init__(self, out_dir: Path) -> None:
        out_dir.mkdir(parents=True, exist_ok=True)
        self.dir = out_dir
        self.csv = {name: CsvOut(out_dir / name, header) for name, header in CSV_FILES.items()}
        self.zendesk = ZendeskOut(out_dir / ZENDESK_FILE)

    def __getitem__(self, name: str) -> CsvOut:
        return self.csv[name]

    def __enter__(self) -> Outputs:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        for out in self.csv.values():
            out.close()
        if not self.zendesk.handle.closed:
            self.zendesk.handle.close()

    def write_json(self, name: str, data: Any) -> None:
        (self.dir / name).write_bytes(orjson.dumps(data, option=orjson.OPT_INDENT_2) + b"\n")
