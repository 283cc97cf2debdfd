"""Generic CSVs: shipments, returns, reviews, tickets."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from pathlib import Path

import pytest

from signaldesk.commerce.models import (
    Batch,
    Order,
    OrderLine,
    Product,
    Return,
    Review,
    Shipment,
    ShipmentItem,
    Supplier,
    Variant,
)
from signaldesk.intake.importers import ImportFileError, run_import
from signaldesk.tickets.models import Message, Ticket

pytestmark = pytest.mark.django_db
T0 = dt.datetime(2024, 3, 1, tzinfo=dt.UTC)


@pytest.fixture
def store() -> Order:
    supplier = Supplier.objects.create(name="Acme")
    product = Product.objects.create(handle="shirt", title="Shirt", supplier=supplier)
    variant = Variant.objects.create(product=product, sku="LS-M", price=Decimal("39.90"))
    order = Order.objects.create(number="#1001", created_at=T0, currency="GBP")
    OrderLine.objects.create(order=order, line_no=1, sku="LS-M", variant=variant, name="Shirt")
    return order


def write(tmp_path: Path, name: str, text: str) -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


SHIPMENTS = (
    "order_number,tracking_number,carrier,method,warehouse,region,status,shipped_at,"
    "promised_date,delivered_at,sku,batch,quantity\n"
    "1001,TRK1,DHL,express,BER,EU,In transit,2024-03-02 08:00:00 +0100,2024-03-05,,LS-M,B-77,1\n"
    "#1001,TRK1,DHL,express,BER,EU,in transit,2024-03-02 08:00:00 +0100,2024-03-05,,SOCK,,2\n"
    "#9999,TRK2,DHL,,,,delivered,,,,,,\n"
    "#1001,TRK3,UPS,,,,teleported,,,,,,\n"
    "#1001,TRK4,UPS,,,,exception,,,,,,-3\n"
    "#1001,TRK5,UPS,,,,Failed,,,,,,\n"
)


def test_shipments_batches_and_synonyms(tmp_path, system_actor, store):
    path = write(tmp_path, "shipments.csv", SHIPMENTS)
    report = run_import(kind="shipments", path=path, actor=system_actor)

    assert report.counts == {"read": 6, "created": 3, "updated": 0, "unchanged": 0, "failed": 3}
    assert report.errors == (
        (4, "order_number", "no order #9999"),
        (5, "status", "unknown value 'teleported'"),
        (6, "quantity", "negative quantity: -3"),
    )
    shipment = Shipment.objects.get(tracking_number="TRK1")
    assert (shipment.order_id, shipment.status, shipment.promised_at) == (
        store.pk,
        "in_transit",
        dt.date(2024, 3, 5),
    )
    assert shipment.shipped_at == dt.datetime(2024, 3, 2, 7, tzinfo=dt.UTC)
    assert Shipment.objects.get(tracking_number="TRK5").status == "failed_delivery"
    assert sorted(ShipmentItem.objects.values_list("sku", "quantity", "batch__code")) == [
        ("LS-M", 1, "B-77"),
        ("SOCK", 2, None),
    ]
    batch = Batch.objects.get(code="B-77")
    assert (batch.variant.sku, batch.supplier.name) == ("LS-M", "Acme")
    assert OrderLine.objects.get(order=store, sku="LS-M").batch == batch

    again = run_import(kind="shipments", path=path, actor=system_actor)
    assert again.counts == {"read": 6, "created": 0, "updated": 0, "unchanged": 3, "failed": 3}


def test_returns(tmp_path, system_actor, store):
    text = (
        "rma,order_number,sku,quantity,reason_code,reason_text,status,requested_at,received_at,"
        "refund_amount,currency,exchange_sku\n"
        "R1,#1001,LS-M,1,Too_Small,Fits small,requested,2024-03-10T09:00:00+02:00,,39.90,,LS-L\n"
        'R2,#1001,LS-M,1,,,refunded,2024-03-10,,"12,5O",,\n'
        "R3,#1001,,,,,refunded,,,,,\n"
    )
    report = run_import(kind="returns", path=write(tmp_path, "r.csv", text), actor=system_actor)

    assert report.errors == (
        (3, "refund_amount", "not an amount: '12,5O'"),
        (4, "requested_at", "is empty"),
    )
    ret = Return.objects.get(rma="R1")
    assert (ret.order_id, ret.variant.sku, ret.reason_code, ret.status) == (
        store.pk,
        "LS-M",
        "too_small",
        "requested",
    )
    assert (ret.refund_amount, ret.currency, ret.exchange_sku) == (Decimal("39.90"), "GBP", "LS-L")
    assert ret.requested_at == dt.datetime(2024, 3, 10, 7, tzinfo=dt.UTC)


def test_reviews_rating_range(tmp_path, system_actor, store):
    text = (
        "review_id,sku,rating,created_at,title,body,order_number,customer_email,source\n"
        "V1,LS-M,4,2024-03-12,Nice,Good linen,#1001,,trustpilot\n"
        "V2,LS-M,7,2024-03-12,,,,,\n"
        "V3,,5,2024-03-12,,,,,\n"
        "V4,LS-M,five,2024-03-12,,,,,\n"
    )
    report = run_import(kind="reviews", path=write(tmp_path, "v.csv", text), actor=system_actor)

    assert report.counts == {"read": 4, "created": 1, "updated": 0, "unchanged": 0, "failed": 3}
    assert report.errors == (
        (3, "rating", "must be a whole number from 1 to 5, got 7"),
        (4, "sku", "is empty"),
        (5, "rating", "not a number: 'five'"),
    )
    review = Review.objects.get(external_id="V1")
    assert (review.rating, review.product.handle, review.order_id, review.source) == (
        4,
        "shirt",
        store.pk,
        "trustpilot",
    )


TICKETS = (
    "ticket_id,created_at,channel,subject,body,status,priority,type,updated_at,customer_email,"
    "customer_name,customer_phone,order_number,sku,tags,assignee,group,language,satisfaction\n"
    "T1,2024-03-05T10:00:00Z,Web,Late,Where is my parcel?,open,medium,question,,"
    "Cy@Example.com,Cy Oh,,#1001,LS-M,wismo; late,,,en,good\n"
    "T2,2024-03-05T10:00:00Z,pigeon,x,y,,,,,,,,,,,,,,\n"
    "T3,2024-03-05T10:00:00Z,email,x,,,,,,,,,,,,,,,\n"
)


def test_tickets_csv(tmp_path, system_actor, store):
    path = write(tmp_path, "tickets.csv", TICKETS)
    report = run_import(kind="tickets", path=path, actor=system_actor)

    assert report.errors == ((3, "channel", "unknown value 'pigeon'"), (4, "body", "is empty"))
    ticket = Ticket.objects.get(external_source="csv", external_id="T1")
    assert (ticket.channel, ticket.status, ticket.priority, ticket.ticket_type) == (
        "form",
        "open",
        "normal",
        "question",
    )
    assert (ticket.tags, ticket.order_id, ticket.variant.sku, ticket.language) == (
        ["wismo", "late"],
        store.pk,
        "LS-M",
        "en",
    )
    assert (ticket.customer.email, ticket.customer.name) == ("cy@example.com", "Cy Oh")
    assert list(Message.objects.values_list("direction", "body_text", "idempotency_key")) == [
        ("inbound", "Where is my parcel?", "csv:ticket:T1:body")
    ]
    again = run_import(kind="tickets", path=path, actor=system_actor)
    assert again.counts == {"read": 3, "created": 0, "updated": 0, "unchanged": 1, "failed": 2}


def test_missing_required_column_names_it(tmp_path, system_actor):
    path = write(tmp_path, "returns.csv", "rma;order_number;sku\nR1;#1001;X\n")
    with pytest.raises(ImportFileError) as info:
        run_import(kind="returns", path=path, actor=system_actor)
    assert info.value.detail == (
        "returns.csv: missing required column(s): status, requested_at — "
        "is this a returns CSV (see docs/formats.md)?"
    )


def test_invalid_utf8_falls_back_to_latin1(tmp_path, system_actor, store):
    path = tmp_path / "reviews.csv"
    path.write_bytes(b"review_id,sku,rating,created_at,title\nV9,LS-M,5,2024-03-12,Tr\xe8s bien\n")
    report = run_import(kind="reviews", path=path, actor=system_actor)
    assert (report.encoding, report.counts["created"]) == ("latin-1", 1)
    assert Review.objects.get(external_id="V9").title == "Très bien"
