"""Formats, determinism and referential consistency of the generated files."""

from __future__ import annotations

import hashlib
import re
from pathlib import Path

from signaldesk.demo.generator import generate
from signaldesk.demo.tests.conftest import SMALL, DemoFiles
from signaldesk.demo.writers import ALL_FILES

HEADERS = {
    "shopify_products.csv": "Handle, Title, Body (HTML), Vendor, Type, Tags, Published, "
    "Option1 Name, Option1 Value, Option2 Name, Option2 Value, Variant SKU, Variant Price, "
    "Variant Inventory Qty, Image Src",
    "shopify_customers.csv": "Customer ID, First Name, Last Name, Email, Accepts Email Marketing, "
    "Phone, Default Address Country Code, Total Spent, Total Orders, Tags",
    "shopify_orders.csv": "Name, Email, Financial Status, Paid at, Fulfillment Status, "
    "Fulfilled at, Currency, Subtotal, Shipping, Taxes, Total, Discount Code, Discount Amount, "
    "Shipping Method, Created at, Lineitem quantity, Lineitem name, Lineitem price, Lineitem sku, "
    "Lineitem fulfillment status, Shipping City, Shipping Province, Shipping Country, "
    "Refunded Amount, Vendor, Id, Tags, Source",
    "shipments.csv": "order_number, tracking_number, carrier, method, warehouse, region, status, "
    "shipped_at, promised_date, delivered_at, sku, batch, quantity",
    "returns.csv": "rma, order_number, sku, quantity, reason_code, reason_text, status, "
    "requested_at, received_at, refund_amount, currency, exchange_sku",
    "reviews.csv": "review_id, sku, rating, created_at, title, body, order_number, "
    "customer_email, source",
    "tickets.csv": "ticket_id, created_at, channel, subject, body, status, priority, type, "
    "updated_at, customer_email, customer_name, customer_phone, order_number, sku, tags, "
    "assignee, group, language, satisfaction",
    "ticket_labels.csv": "source, ticket_id, true_reason, language",
}
REASONS = {
    "delivery_delay",
    "failed_delivery",
    "wrong_address",
    "lost_parcel",
    "damaged_parcel",
    "wrong_item",
    "missing_item",
    "damaged_item",
    "quality_issue",
    "sizing",
    "fit",
    "product_instructions",
    "expectation_mismatch",
    "return_request",
    "refund_status",
    "exchange_request",
    "warranty_request",
    "discount_code",
    "payment_issue",
    "checkout_problem",
    "account_issue",
    "stock_availability",
    "preorder",
    "back_in_stock",
    "substitution",
    "review",
    "complaint",
    "cancellation",
    "subscription_change",
    "order_status",
    "other",
}


def _digests(out: Path) -> dict[str, str]:
    return {name: hashlib.sha256((out / name).read_bytes()).hexdigest() for name in ALL_FILES}


def test_same_seed_gives_same_bytes(demo: DemoFiles, tmp_path: Path) -> None:
    generate(SMALL, tmp_path)
    assert _digests(tmp_path) == _digests(demo.out)


def test_every_csv_has_the_exact_header(demo: DemoFiles) -> None:
    for name, header in HEADERS.items():
        assert demo.header(name) == header.split(", ")


def test_catalog_shape(demo: DemoFiles) -> None:
    products = demo.rows("shopify_products.csv")
    firsts = [r for r in products if r["Title"]]
    assert 60 <= len(firsts) <= 120
    assert 6 <= len({r["Vendor"] for r in firsts}) <= 10
    assert {r["Type"] for r in firsts} >= {
        "Dresses",
        "Jeans",
        "Knitwear",
        "Outerwear",
        "Shoes",
        "Bedding",
        "Kitchen",
        "Lighting",
        "Bath",
    }
    assert len({r["Variant SKU"] for r in products}) == len(products)


def test_zendesk_shape(demo: DemoFiles) -> None:
    data = demo.json("zendesk_tickets.json")
    assert sorted(data) == ["groups", "tickets", "users"]
    t = data["tickets"][0]
    assert {
        "id",
        "created_at",
        "updated_at",
        "subject",
        "description",
        "status",
        "priority",
        "type",
        "tags",
        "via",
        "requester_id",
        "assignee_id",
        "group_id",
        "custom_fields",
        "satisfaction_rating",
        "comments",
    } <= set(t)
    statuses = {x["status"] for x in data["tickets"]}
    assert statuses <= {"new", "open", "pending", "hold", "solved", "closed"}
    channels = {x["via"]["channel"] for x in data["tickets"]}
    assert channels >= {"email", "web", "chat", "whatsapp", "voice"}
    assert t["comments"][0]["author_id"] == t["requester_id"]
    assert t["comments"][0]["body"] == t["description"]
    user_ids = {u["id"] for u in data["users"]}
    assert {x["requester_id"] for x in data["tickets"]} <= user_ids


def test_tickets_reference_existing_orders(demo: DemoFiles) -> None:
    orders = {r["Name"] for r in demo.rows("shopify_orders.csv")}
    zd = demo.json("zendesk_tickets.json")["tickets"]
    zd_orders = {
        "#" + str(f["value"]).lstrip("#")
        for t in zd
        for f in t["custom_fields"]
        if f["id"] == 360001 and f["value"]
    }
    csv_orders = {
        "#" + r["order_number"].lstrip("#") for r in demo.rows("tickets.csv") if r["order_number"]
    }
    assert len(zd_orders) > 80
    assert zd_orders <= orders
    assert csv_orders <= orders


def test_shipments_returns_reviews_reference_orders_and_skus(demo: DemoFiles) -> None:
    orders = {r["Name"] for r in demo.rows("shopify_orders.csv")}
    skus = {r["Variant SKU"] for r in demo.rows("shopify_products.csv")}
    shipments = demo.rows("shipments.csv")
    assert {r["order_number"] for r in shipments} <= orders
    assert {r["sku"] for r in shipments} <= skus
    assert {r["batch"][2:-6] for r in shipments} <= skus
    returns = demo.rows("returns.csv")
    assert {r["order_number"] for r in returns} <= orders
    assert {r["sku"] for r in returns} | {
        r["exchange_sku"] for r in returns if r["exchange_sku"]
    } <= skus
    reviews = demo.rows("reviews.csv")
    assert {r["order_number"] for r in reviews} <= orders
    assert {r["sku"] for r in reviews} <= skus


def test_refunded_amount_matches_refunded_returns(demo: DemoFiles) -> None:
    refunded: dict[str, float] = {}
    for r in demo.rows("returns.csv"):
        if r["status"] == "refunded":
            refunded[r["order_number"]] = refunded.get(r["order_number"], 0) + float(
                r["refund_amount"]
            )
    on_orders = {
        r["Name"]: float(r["Refunded Amount"])
        for r in demo.rows("shopify_orders.csv")
        if r["Financial Status"]
        and "cancelled" not in r["Tags"]
        and float(r["Refunded Amount"]) > 0
    }
    assert len(on_orders) > 50
    assert {k: round(v, 2) for k, v in refunded.items()} == on_orders


def test_labels_cover_every_ticket_with_known_reasons(demo: DemoFiles) -> None:
    labels = demo.rows("ticket_labels.csv")
    zd = demo.json("zendesk_tickets.json")["tickets"]
    assert len(labels) == len(zd) + len(demo.rows("tickets.csv"))
    assert {r["true_reason"] for r in labels} <= REASONS
    assert len({r["true_reason"] for r in labels}) >= 20
    assert {r["language"] for r in labels} == {"en", "de", "fr", "es", "nl", "it"}
    assert 0.06 <= demo.summary.contact_rate <= 0.11


def test_order_numbers_written_in_many_styles(demo: DemoFiles) -> None:
    texts = [t["description"] for t in demo.json("zendesk_tickets.json")["tickets"]]
    texts += [r["body"] for r in demo.rows("tickets.csv")]
    styles = {
        "hash": r"#\d{5}\b",
        "order": r"\border \d{5}",
        "order_no": r"order no\. \d{5}",
        "bestell": r"Bestellnummer \d{5}",
        "commande": r"commande n°\s?\d{5}",
        "pedido": r"pedido (nº |número )?\d{5}",
        "bare": r"(?<![#\d])\b1\d{4}\b",
    }
    seen = {name for name, rx in styles.items() if any(re.search(rx, t, re.I) for t in texts)}
    assert len(seen) >= 4
