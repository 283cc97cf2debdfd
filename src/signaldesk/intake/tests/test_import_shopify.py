"""Shopify orders, products and customers exports."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from pathlib import Path

import pytest

from signaldesk.commerce.models import (
    Customer,
    CustomerIdentity,
    Order,
    OrderLine,
    Product,
    Supplier,
    Variant,
)
from signaldesk.core.audit import Actor
from signaldesk.core.models import AuditEvent
from signaldesk.intake.importers import ImportFileError, run_import
from signaldesk.intake.models import ImportRowError, ImportRun

pytestmark = pytest.mark.django_db

ORDERS_HEADER = (
    "Name,Email,Financial Status,Paid at,Fulfillment Status,Fulfilled at,Currency,Subtotal,"
    "Shipping,Taxes,Total,Discount Code,Discount Amount,Shipping Method,Created at,"
    "Lineitem quantity,Lineitem name,Lineitem price,Lineitem sku,Lineitem fulfillment status,"
    "Shipping City,Shipping Province,Shipping Country,Refunded Amount,Vendor,Id,Tags,Source\n"
)
ORDER_1001 = (
    "#1001,Ann@Example.com,paid,2024-03-01 10:16:00 +0100,fulfilled,2024-03-02 09:00:00 +0100,"
    "EUR,59.90,4.90,9.56,64.80,SPRING10,5.00,Standard,2024-03-01 10:15:00 +0100,1,"
    'Linen Shirt - M / White,39.90,LS-M-WHT,fulfilled,Berlin,BE,DE,0.00,Acme,5550001,"vip, '
    'campaign:spring",web\n'
    "#1001,,,,,,,,,,,,,,,2,Socks,10.00,SOCK-1,fulfilled,,,,,Sockco,,,\n"
)
ORDER_1002 = (
    "#1002,bob@example.com,paid,,unfulfilled,,EUR,10.00,0,0,10.00,,,,2024-03-03T08:00:00Z,1,"
    "Socks,10.00,SOCK-1,,,,FR,2.50,Sockco,5550002,,web\n"
)
PRODUCTS_HEADER = (
    "Handle,Title,Vendor,Type,Tags,Option1 Name,Option1 Value,Option2 Name,Option2 Value,"
    "Variant SKU,Variant Price,Image Src\n"
)
PRODUCTS = (
    'linen-shirt,Linen Shirt,Acme,Shirts,"linen, summer",Size,M,Colour,White,LS-M-WHT,39.90,a.jpg\n'
    "linen-shirt,,,,,,L,,White,LS-L-WHT,41.00,\n"
    "linen-shirt,,,,,,,,,,,b.jpg\n"
    "socks,Socks,Sockco,Socks,,Title,Default Title,,,SOCK-1,10.00,\n"
)


def write(tmp_path: Path, name: str, text: str, encoding: str = "utf-8") -> Path:
    path = tmp_path / name
    path.write_bytes(text.encode(encoding))
    return path


def orders(
    tmp_path: Path,
    actor: Actor,
    text: str,
    name: str = "orders.csv",
    reader_process: bool | None = None,
):
    path = write(tmp_path, name, text)
    return run_import(kind="shopify-orders", path=path, actor=actor, reader_process=reader_process)


def test_orders_happy_path_groups_lines_and_links_customers(tmp_path, system_actor):
    report = orders(tmp_path, system_actor, ORDERS_HEADER + ORDER_1001 + ORDER_1002)

    assert report.counts == {"read": 3, "created": 3, "updated": 0, "unchanged": 0, "failed": 0}
    assert report.errors == ()
    order = Order.objects.get(number="#1001")
    assert order.created_at == dt.datetime(2024, 3, 1, 9, 15, tzinfo=dt.UTC)
    assert order.paid_at == dt.datetime(2024, 3, 1, 9, 16, tzinfo=dt.UTC)
    assert (order.subtotal, order.shipping, order.taxes, order.total) == (
        Decimal("59.90"),
        Decimal("4.90"),
        Decimal("9.56"),
        Decimal("64.80"),
    )
    assert (order.discount_code, order.discount_amount) == ("SPRING10", Decimal("5.00"))
    assert order.tags == ["vip", "campaign:spring"]
    assert order.campaign == "spring"
    assert (order.shipping_city, order.region, order.external_id) == ("Berlin", "BE", "5550001")
    lines = list(
        OrderLine.objects.filter(order=order)
        .order_by("line_no")
        .values_list("line_no", "sku", "name", "quantity", "price", "vendor")
    )
    assert lines == [
        (1, "LS-M-WHT", "Linen Shirt - M / White", 1, Decimal("39.90"), "Acme"),
        (2, "SOCK-1", "Socks", 2, Decimal("10.00"), "Sockco"),
    ]
    ann = Customer.objects.get(identities__kind="email", identities__value="ann@example.com")
    assert (ann.orders_count, ann.lifetime_value, ann.country) == (1, Decimal("64.80"), "DE")
    bob = Order.objects.get(number="#1002").customer
    assert (bob.orders_count, bob.lifetime_value) == (1, Decimal("7.50"))
    run = ImportRun.objects.get(pk=report.run_id)
    assert (run.rows_read, run.created, run.failed) == (3, 3, 0)
    event = AuditEvent.objects.get(action="import.completed")
    assert event.after == {"read": 3, "created": 3, "updated": 0, "unchanged": 0, "failed": 0}
    assert event.object_id == str(run.pk)


def test_orders_reimport_is_idempotent_and_applies_updates(tmp_path, system_actor):
    orders(tmp_path, system_actor, ORDERS_HEADER + ORDER_1001 + ORDER_1002)
    again = orders(tmp_path, system_actor, ORDERS_HEADER + ORDER_1001 + ORDER_1002)
    assert again.counts == {"read": 3, "created": 0, "updated": 0, "unchanged": 3, "failed": 0}

    changed = ORDER_1001.replace("fulfilled,2024-03-02", "partial,2024-03-02").replace(
        "2,Socks,10.00", "3,Socks,10.00"
    )
    third = orders(tmp_path, system_actor, ORDERS_HEADER + changed + ORDER_1002)
    assert third.counts == {"read": 3, "created": 0, "updated": 2, "unchanged": 1, "failed": 0}
    assert Order.objects.get(number="#1001").fulfillment_status == "partial"
    assert OrderLine.objects.get(order__number="#1001", line_no=2).quantity == 3
    assert (Order.objects.count(), OrderLine.objects.count(), Customer.objects.count()) == (2, 3, 2)
    assert CustomerIdentity.objects.count() == 2


@pytest.mark.parametrize("reader_process", [True, False])
def test_orders_bad_values_are_row_errors_and_good_rows_land(
    tmp_path, system_actor, reader_process
):
    text = (
        ORDERS_HEADER
        + ORDER_1001.replace("2024-03-01 10:15:00 +0100", "yesterday")
        + ORDER_1002.replace("1,Socks,10.00", "-1,Socks,10.00")
        + "#1003,c@example.com,,,,,EUR,1,0,0,abc,,,,2024-03-04,1,Hat,5.00,HAT,,,,,,,,,\n"
        + "#1004,d@example.com,,,,,EUR,1,0,0,5,,,,2024-03-04,1,,5.00,HAT,,,,,,,,,\n"
        + "#1004,,,,,,,,,,,,,,,1,Scarf,7.5,SCARF,,,,,,,,,\n"
    )
    report = orders(tmp_path, system_actor, text, reader_process=reader_process)

    assert report.errors == (
        (2, "Created at", "not a date/time: 'yesterday'"),
        (3, "Name", "order #1001 was rejected (see line 2)"),
        (4, "Lineitem quantity", "negative quantity: -1"),
        (5, "Total", "not an amount: 'abc'"),
        (6, "Lineitem name", "is empty"),
    )
    assert report.counts == {"read": 7 - 1, "created": 1, "updated": 0, "unchanged": 0, "failed": 5}
    assert sorted(Order.objects.values_list("number", flat=True)) == ["#1002", "#1004"]
    assert list(OrderLine.objects.values_list("order__number", "line_no", "sku")) == [
        ("#1004", 2, "SCARF")
    ]
    stored = list(ImportRowError.objects.values_list("line", "column", "reason"))
    assert stored == list(report.errors)
    event = AuditEvent.objects.get(action="import.completed")
    assert event.context["reader_process"] is reader_process


def test_products_file_given_as_orders_fails_before_any_write(tmp_path, system_actor):
    path = write(tmp_path, "shopify_orders.csv", PRODUCTS_HEADER + PRODUCTS)
    with pytest.raises(ImportFileError) as info:
        run_import(kind="shopify-orders", path=path, actor=system_actor)
    assert info.value.detail == (
        "shopify_orders.csv: missing required column(s): Name, Created at, Lineitem quantity, "
        "Lineitem name, Lineitem price — is this a Shopify orders export?"
    )
    assert ImportRun.objects.count() == 0
    assert AuditEvent.objects.count() == 0


def test_json_given_as_orders_fails_at_once(tmp_path, system_actor):
    path = write(tmp_path, "orders.csv", '{"tickets": []}\n')
    with pytest.raises(ImportFileError) as info:
        run_import(kind="shopify-orders", path=path, actor=system_actor)
    assert info.value.detail.startswith("orders.csv: missing required column(s): Name, ")


def test_bom_and_latin1_files(tmp_path, system_actor):
    bom = orders(tmp_path, system_actor, "\ufeff" + ORDERS_HEADER + ORDER_1002, "bom.csv")
    assert (bom.encoding, bom.counts["created"]) == ("utf-8-sig", 1)

    latin = ORDER_1001.replace("Socks", "Chaussettes tricotées")
    report = run_import(
        kind="shopify-orders",
        path=write(tmp_path, "latin.csv", ORDERS_HEADER + latin, "latin-1"),
        actor=system_actor,
    )
    assert (report.encoding, report.counts["created"]) == ("latin-1", 2)
    assert OrderLine.objects.get(order__number="#1001", line_no=2).name == "Chaussettes tricotées"


def test_products_variants_options_and_suppliers(tmp_path, system_actor):
    path = write(tmp_path, "products.csv", PRODUCTS_HEADER + PRODUCTS)
    report = run_import(kind="shopify-products", path=path, actor=system_actor)

    assert report.counts == {"read": 4, "created": 3, "updated": 0, "unchanged": 1, "failed": 0}
    shirt = Product.objects.get(handle="linen-shirt")
    assert (shirt.title, shirt.product_type, shirt.tags) == (
        "Linen Shirt",
        "Shirts",
        ["linen", "summer"],
    )
    assert shirt.supplier == Supplier.objects.get(name="Acme")
    large = Variant.objects.get(sku="LS-L-WHT")
    assert (large.product_id, large.size, large.colour, large.title, large.price) == (
        shirt.pk,
        "L",
        "White",
        "L / White",
        Decimal("41.00"),
    )
    assert large.options == {"Size": "L", "Colour": "White"}
    assert Variant.objects.get(sku="SOCK-1").title == ""

    again = run_import(kind="shopify-products", path=path, actor=system_actor)
    assert again.counts == {"read": 4, "created": 0, "updated": 0, "unchanged": 4, "failed": 0}
    path.write_text(PRODUCTS_HEADER + PRODUCTS.replace("41.00", "43.00"))
    third = run_import(kind="shopify-products", path=path, actor=system_actor)
    assert third.counts == {"read": 4, "created": 0, "updated": 1, "unchanged": 3, "failed": 0}
    assert Variant.objects.get(sku="LS-L-WHT").price == Decimal("43.00")


def test_products_then_orders_link_variants(tmp_path, system_actor):
    run_import(
        kind="shopify-products",
        path=write(tmp_path, "p.csv", PRODUCTS_HEADER + PRODUCTS),
        actor=system_actor,
    )
    orders(tmp_path, system_actor, ORDERS_HEADER + ORDER_1001)
    assert list(OrderLine.objects.order_by("line_no").values_list("variant__sku", flat=True)) == [
        "LS-M-WHT",
        "SOCK-1",
    ]


CUSTOMERS = (
    "Customer ID,First Name,Last Name,Email,Accepts Email Marketing,Phone,"
    "Default Address Country Code,Total Spent,Total Orders,Tags\n"
    '701,Ann,Lee,ANN@example.com,yes,+4915112345678,de,120.50,3,"VIP, newsletter"\n'
    "702,Bo,Ng,bo@example.com,no,,FR,10.00,1,tier:silver\n"
    "703,Cy,Oh,not-an-email,no,,FR,x,1,\n"
)


def test_customers_loyalty_and_identities(tmp_path, system_actor):
    path = write(tmp_path, "customers.csv", CUSTOMERS)
    report = run_import(kind="shopify-customers", path=path, actor=system_actor)

    assert report.counts == {"read": 3, "created": 2, "updated": 0, "unchanged": 0, "failed": 1}
    assert report.errors == ((4, "Email", "not an email address: 'not-an-email'"),)
    ann = Customer.objects.get(email="ann@example.com")
    assert (ann.name, ann.loyalty_tier, ann.country, ann.marketing_consent) == (
        "Ann Lee",
        "vip",
        "DE",
        True,
    )
    assert (ann.lifetime_value, ann.orders_count) == (Decimal("120.50"), 3)
    assert Customer.objects.get(email="bo@example.com").loyalty_tier == "silver"
    assert sorted(CustomerIdentity.objects.values_list("kind", "value")) == [
        ("email", "ann@example.com"),
        ("email", "bo@example.com"),
        ("external", "shopify:701"),
        ("external", "shopify:702"),
    ]
    again = run_import(kind="shopify-customers", path=path, actor=system_actor)
    assert again.counts == {"read": 3, "created": 0, "updated": 0, "unchanged": 2, "failed": 1}
