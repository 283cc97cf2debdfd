"""Shopify orders and products exports (CSV). Both repeat one entity over several rows: an order
over its line items (order fields on the first row only), a product over its variants (Title,
Vendor, Type, Tags and option names on the first row only). Rows of one order or product must be
contiguous, as Shopify writes them; chunks never split them."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from signaldesk.commerce.models import Order, OrderLine, Product, Supplier, Variant
from signaldesk.intake.importers.base import CsvImporter, CsvSpec, Row, Tally
from signaldesk.intake.importers.customers import (
    clean_email,
    ensure_customers,
    recompute_customer_stats,
)
from signaldesk.intake.importers.parse import (
    RowProblem,
    parse_dt,
    parse_money,
    parse_qty,
    required,
    split_tags,
)
from signaldesk.intake.importers.pipeline import Built
from signaldesk.intake.importers.upsert import Table, where_in, worst

ORDER_FIELDS = (
    "external_id",
    "customer_id",
    "email",
    "created_at",
    "paid_at",
    "fulfilled_at",
    "cancelled_at",
    "financial_status",
    "fulfillment_status",
    "currency",
    "subtotal",
    "shipping",
    "taxes",
    "total",
    "discount_code",
    "discount_amount",
    "refunded_amount",
    "shipping_method",
    "source",
    "campaign",
    "tags",
    "shipping_city",
    "shipping_province",
    "shipping_country",
    "region",
)


@dataclass
class BuiltOrders:
    orders: dict[str, list[Any]]  # order number → ORDER_FIELDS values (customer_id still None)
    first_row: dict[str, int]  # order number → line of its first row
    lines: list[tuple[int, str, int, tuple[Any, ...]]]  # (file line, order number, line no, row)
    wanted: dict[str, dict[str, Any]]  # customer email → what a new customer is created with


LINE_FIELDS = ("variant_id", "sku", "name", "quantity", "price", "vendor", "fulfillment_status")
CUSTOMER_AT = ORDER_FIELDS.index("customer_id")


def currency_of(raw: str, default: str, column: str = "Currency") -> str:
    text = raw.strip().upper()
    if not text:
        return default
    if len(text) != 3 or not text.isalpha():
        raise RowProblem(column, f"not a currency code: {raw.strip()!r}")
    return text


def campaign_of(tags: list[str]) -> str:
    for tag in tags:
        low = tag.lower()
        for prefix in ("campaign:", "utm_campaign:"):
            if low.startswith(prefix):
                return tag[len(prefix) :].strip()
    return ""


def variant_ids(skus: Iterable[str]) -> dict[str, int]:
    wanted = {s for s in skus if s}
    if not wanted:
        return {}
    return dict(where_in(Variant.objects.all(), "sku", wanted).values_list("sku", "id"))


class OrdersImporter(CsvImporter):
    kind = "shopify-orders"
    spec = CsvSpec(
        required=("Name", "Created at", "Lineitem quantity", "Lineitem name", "Lineitem price"),
        optional=(
            "Email",
            "Financial Status",
            "Paid at",
            "Fulfillment Status",
            "Fulfilled at",
            "Cancelled at",
            "Currency",
            "Subtotal",
            "Shipping",
            "Taxes",
            "Total",
            "Discount Code",
            "Discount Amount",
            "Shipping Method",
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
        ),
        hint="is this a Shopify orders export?",
        group_by="Name",
    )

    def prepare(self, source: Any, ctx: Any) -> None:
        super().prepare(source, ctx)
        self.ix = {name: source.index[name] for name in (*self.spec.required, *self.spec.optional)}

    def _order(self, v: list[str], ctx: Any) -> tuple[list[Any], str, str]:
        ix = self.ix
        created_at = parse_dt(v[ix["Created at"]], "Created at", required=True)
        raw_email = v[ix["Email"]]
        try:
            email = clean_email(raw_email, "Email")
        except RowProblem:
            email = ""
        tags = split_tags(v[ix["Tags"]]) if v[ix["Tags"]] else []
        province = v[ix["Shipping Province"]].strip()
        country = v[ix["Shipping Country"]].strip()
        values = [
            v[ix["Id"]].strip(),
            None,
            email or raw_email.strip(),
            created_at,
            parse_dt(v[ix["Paid at"]], "Paid at"),
            parse_dt(v[ix["Fulfilled at"]], "Fulfilled at"),
            parse_dt(v[ix["Cancelled at"]], "Cancelled at"),
            v[ix["Financial Status"]].strip(),
            v[ix["Fulfillment Status"]].strip(),
            currency_of(v[ix["Currency"]], ctx.currency),
            parse_money(v[ix["Subtotal"]], "Subtotal"),
            parse_money(v[ix["Shipping"]], "Shipping"),
            parse_money(v[ix["Taxes"]], "Taxes"),
            parse_money(v[ix["Total"]], "Total"),
            v[ix["Discount Code"]].strip(),
            parse_money(v[ix["Discount Amount"]], "Discount Amount"),
            parse_money(v[ix["Refunded Amount"]], "Refunded Amount"),
            v[ix["Shipping Method"]].strip(),
            v[ix["Source"]].strip(),
            campaign_of(tags),
            tags,
            v[ix["Shipping City"]].strip(),
            province,
            country,
            province or country,
        ]
        return values, email, country

    def build(self, chunk: list[Row], ctx: Any) -> Built:
        """Typed orders and lines from a chunk of rows; no database (see pipeline.py)."""
        tally = Tally()
        ix = self.ix
        i_name, i_qty, i_price = ix["Name"], ix["Lineitem quantity"], ix["Lineitem price"]
        i_title, i_sku, i_vendor = ix["Lineitem name"], ix["Lineitem sku"], ix["Vendor"]
        i_status = ix["Lineitem fulfillment status"]
        orders: dict[str, list[Any]] = {}
        first_row: dict[str, int] = {}
        rejected: dict[str, int] = {}
        lines: list[tuple[int, str, int, tuple[Any, ...]]] = []
        wanted: dict[str, dict[str, Any]] = {}
        current, line_no = "", 0
        for row in chunk:
            v = row.values
            try:
                number = required(v[i_name], "Name", max_len=50)
            except RowProblem as exc:
                tally.problem(row.line, exc)
                continue
            if number != current:
                current, line_no = number, 0
                try:
                    values, email, country = self._order(v, ctx)
                except RowProblem as exc:
                    rejected[number] = row.line
                    tally.problem(row.line, exc)
                    continue
                orders[number] = values
                first_row[number] = row.line
                if email and email not in wanted:
                    wanted[email] = {
                        "created_at": values[3],
                        "country": country if len(country) == 2 else "",
                    }
            elif number in rejected:
                tally.fail(
                    row.line, "Name", f"order {number} was rejected (see line {rejected[number]})"
                )
                continue
            line_no += 1
            try:
                quantity = parse_qty(v[i_qty], "Lineitem quantity")
                price = parse_money(v[i_price], "Lineitem price", required=True)
                name = required(v[i_title], "Lineitem name", max_len=100_000)
            except RowProblem as exc:
                tally.problem(row.line, exc)
                continue
            line = (
                v[i_sku].strip(),
                name,
                quantity,
                price,
                v[i_vendor].strip(),
                v[i_status].strip(),
            )
            lines.append((row.line, number, line_no, line))
        payload = BuiltOrders(orders=orders, first_row=first_row, lines=lines, wanted=wanted)
        return Built(len(chunk), chunk[0].line, chunk[-1].line, payload, tally)

    def write(self, payload: BuiltOrders, ctx: Any, tally: Tally) -> None:
        orders, first_row, lines = payload.orders, payload.first_row, payload.lines
        wanted = payload.wanted
        customers, _ = ensure_customers(wanted, currency=ctx.currency)
        for values in orders.values():
            email = values[2]
            values[CUSTOMER_AT] = customers.get(email) if email else None
        order_table = Table(Order, key=("number",), fields=ORDER_FIELDS)
        done = order_table.upsert({(n,): tuple(v) for n, v in orders.items()})
        pks = {key[0]: pk for key, pk in done.pks.items()}
        skus = variant_ids({line[0] for _, _, _, line in lines})
        line_rows = {(pks[number], no): (skus.get(line[0]), *line) for _, number, no, line in lines}
        line_done = Table(OrderLine, key=("order_id", "line_no"), fields=LINE_FIELDS).upsert(
            line_rows, need_pks=False
        )
        created, updated = line_done.created, line_done.updated
        if len(created) == len(line_rows):
            tally.created += len(lines)  # a first import: every line is new
        else:
            for line_at, number, no, _ in lines:
                key = (pks[number], no)
                state = (
                    "created" if key in created else "updated" if key in updated else "unchanged"
                )
                if first_row.get(number) == line_at:
                    state = worst(state, done.state((number,)))
                tally.add(state)
        recompute_customer_stats(
            orders[key[0]][CUSTOMER_AT] for key in (*done.created, *done.updated)
        )


PRODUCT_FIELDS = ("title", "supplier_id", "product_type", "tags")
VARIANT_FIELDS = ("product_id", "title", "size", "colour", "options", "price", "currency")
SIZE_NAMES = {"size", "größe", "groesse", "taille", "talla"}
COLOUR_NAMES = {"colour", "color", "farbe", "couleur"}


def supplier_ids(names: Iterable[str]) -> dict[str, int]:
    wanted = {(n,): () for n in names if n}
    if not wanted:
        return {}
    table = Table(Supplier, key=("name",), fields=(), update=False)
    table.write(wanted.items())
    return {k[0]: pk for k, pk in table.pks(wanted).items()}


class ProductsImporter(CsvImporter):
    kind = "shopify-products"
    spec = CsvSpec(
        required=("Handle", "Title", "Variant SKU", "Variant Price"),
        optional=(
            "Vendor",
            "Type",
            "Tags",
            "Option1 Name",
            "Option1 Value",
            "Option2 Name",
            "Option2 Value",
            "Option3 Name",
            "Option3 Value",
        ),
        hint="is this a Shopify products export?",
        group_by="Handle",
    )

    def handle(self, chunk: list[Row], ctx: Any, tally: Tally) -> None:
        c = self.cols
        products: dict[str, tuple[Any, ...]] = {}
        first_row: dict[str, int] = {}
        vendors: dict[str, str] = {}
        rejected: dict[str, int] = {}
        variants: list[tuple[Row, str, str, tuple[Any, ...]]] = []
        current = ""
        option_names: list[str] = []
        for row in chunk:
            try:
                handle = required(c(row, "Handle"), "Handle", max_len=200)
                if handle != current:
                    current = handle
                    option_names = [c(row, f"Option{i} Name").strip() for i in (1, 2, 3)]
                    try:
                        title = required(c(row, "Title"), "Title", max_len=100_000)
                    except RowProblem:
                        rejected[handle] = row.line
                        raise
                    vendors[handle] = c(row, "Vendor").strip()[:200]
                    products[handle] = (title, c(row, "Type").strip(), split_tags(c(row, "Tags")))
                    first_row[handle] = row.line
                elif handle in rejected:
                    raise RowProblem(
                        "Handle", f"product {handle} was rejected (see line {rejected[handle]})"
                    )
                sku = c(row, "Variant SKU").strip()
                values = [c(row, f"Option{i} Value").strip() for i in (1, 2, 3)]
                raw_price = c(row, "Variant Price")
                image_only = not sku and not any(values) and not raw_price.strip()
                if image_only and first_row.get(handle) != row.line:
                    tally.add("unchanged")  # an image-only row: nothing to import
                    continue
                sku = required(sku, "Variant SKU", max_len=100)
                price = parse_money(raw_price, "Variant Price", required=True)
            except RowProblem as exc:
                tally.problem(row.line, exc)
                continue
            options = {
                n or f"Option{i + 1}": v
                for i, (n, v) in enumerate(zip(option_names, values, strict=True))
                if v
            }
            size = next((v for n, v in options.items() if n.lower() in SIZE_NAMES), "")
            colour = next((v for n, v in options.items() if n.lower() in COLOUR_NAMES), "")
            shown = [v for v in options.values() if v != "Default Title"]
            variants.append(
                (row, handle, sku, (" / ".join(shown), size, colour, options, price, ctx.currency))
            )
        suppliers = supplier_ids(vendors.values())
        done = Table(Product, key=("handle",), fields=PRODUCT_FIELDS).upsert(
            {
                (h,): (title, suppliers.get(vendors[h]), ptype, tags)
                for h, (title, ptype, tags) in products.items()
            }
        )
        vdone = Table(Variant, key=("sku",), fields=VARIANT_FIELDS).upsert(
            {(sku,): (done.pks[(h,)], *rest) for _, h, sku, rest in variants}, need_pks=False
        )
        for row, handle, sku, _ in variants:
            state = vdone.state((sku,))
            if first_row.get(handle) == row.line:
                state = worst(state, done.state((handle,)))
            tally.add(state)
