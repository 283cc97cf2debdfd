"""Which order, product, shipment and customer facts a ticket is joined to, and why."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from signaldesk.core.audit import Actor
from signaldesk.testing.factories import OrderFactory
from signaldesk.triage.services import ticket_triage
from signaldesk.triage.tests.conftest import NOW, Store, make_ticket

ACTOR = Actor.system("test")


def triage(ticket_id: int):
    return ticket_triage(ticket_id=ticket_id, actor=ACTOR)


@pytest.mark.parametrize(
    "text",
    [
        "Where is my order #10023? It was due last week.",
        "Hello, order no. 10023 has not arrived.",
        "Meine Bestellung Nr. 10023 ist noch nicht da.",
        "ORDER 10023 - still waiting",
        "re my order: #10023",
    ],
)
def test_order_found_by_quoted_number(store: Store, text: str) -> None:
    ticket = make_ticket(store.ana, text)

    result = triage(ticket.pk)

    ticket.refresh_from_db()
    assert (result.enrichment.order_id, result.enrichment.order_match) == (store.order.pk, "quoted")
    assert result.enrichment.provenance["order"] == "quoted:#10023"
    assert (ticket.order_id, result.warnings) == (store.order.pk, [])


def test_order_stored_without_hash_is_found(store: Store) -> None:
    plain = OrderFactory(number="10077", customer=store.ana, created_at=NOW - dt.timedelta(days=90))
    ticket = make_ticket(store.ana, "About order #10077 please")

    result = triage(ticket.pk)

    assert (result.enrichment.order_id, result.enrichment.provenance["order"]) == (
        plain.pk,
        "quoted:10077",
    )


def test_another_customers_order_is_not_joined(store: Store) -> None:
    cara = type(store.ana).objects.create(name="Cara", email="cara@example.com", created_at=NOW)
    ticket = make_ticket(cara, "My order #20001 is late")

    result = triage(ticket.pk)

    ticket.refresh_from_db()
    assert (result.enrichment.order_id, result.enrichment.order_match, ticket.order_id) == (
        None,
        "",
        None,
    )
    assert result.enrichment.warnings == [
        {
            "code": "order_of_other_customer",
            "field": "order",
            "value": "#20001",
            "detail": "Order #20001 (quoted as 20001) belongs to another customer; not joined.",
        }
    ]
    assert result.enrichment.carrier == ""


def test_another_customers_order_falls_back_to_own_recent_order(store: Store) -> None:
    ticket = make_ticket(store.ana, "Order #20001 never came")

    result = triage(ticket.pk)

    assert (result.enrichment.order_id, result.enrichment.order_match) == (
        store.order.pk,
        "inferred",
    )
    assert [w["code"] for w in result.enrichment.warnings] == ["order_of_other_customer"]


def test_tracking_number_finds_the_shipment(store: Store) -> None:
    ticket = make_ticket(
        store.ana, "UPS tracking 1Z999AA10123456784 says delivered, it is not here"
    )

    result = triage(ticket.pk)

    ticket.refresh_from_db()
    row = result.enrichment
    assert (row.order_id, row.order_match, ticket.order_id) == (
        store.order.pk,
        "tracking",
        store.order.pk,
    )
    assert (row.tracking_number, row.carrier, row.provenance["order"]) == (
        "1Z999AA10123456784",
        "UPS",
        "tracking:1Z999AA10123456784",
    )


def test_recent_order_is_inferred_but_not_linked_on_the_ticket(store: Store) -> None:
    ticket = make_ticket(store.ana, "Hi, where is my parcel? Thanks")

    result = triage(ticket.pk)

    ticket.refresh_from_db()
    assert (result.enrichment.order_id, result.enrichment.order_match, ticket.order_id) == (
        store.order.pk,
        "inferred",
        None,
    )
    assert result.enrichment.provenance["order"] == (
        "inferred:most recent order in 60 days (#10023)"
    )


def test_order_older_than_60_days_is_not_inferred(store: Store) -> None:
    ticket = make_ticket(store.ana, "Where is my parcel?", at=NOW + dt.timedelta(days=51))

    result = triage(ticket.pk)

    assert (result.enrichment.order_id, result.enrichment.order_match) == (None, "")


def test_product_mention_matches_the_order_line(store: Store) -> None:
    ticket = make_ticket(store.ana, "The merino crew sweater from order #10023 has a hole.")

    result = triage(ticket.pk)

    ticket.refresh_from_db()
    row = result.enrichment
    assert (row.sku, row.variant_id, row.size, row.product_match) == (
        "MER-CRW-M",
        store.merino_m.pk,
        "M",
        "mention_in_order",
    )
    assert ticket.variant_id == store.merino_m.pk


def test_mention_in_another_size_resolves_to_the_size_bought(store: Store) -> None:
    ticket = make_ticket(store.ana, "Order #10023: the Merino Crew Sweater size L is too small")

    result = triage(ticket.pk)

    assert (result.enrichment.sku, result.enrichment.size) == ("MER-CRW-M", "M")


def test_single_line_order_gives_the_sku(store: Store) -> None:
    ticket = make_ticket(store.bob, "Order #20001 arrived torn")

    result = triage(ticket.pk)

    assert (result.enrichment.sku, result.enrichment.product_match) == (
        "LIN-CMP-S",
        "single_line",
    )


def test_without_order_the_best_catalog_match_is_used(store: Store) -> None:
    ticket = make_ticket(None, "Is the linen camp shirt available in XL?")

    result = triage(ticket.pk)

    ticket.refresh_from_db()
    assert (result.enrichment.sku, result.enrichment.product_match) == ("LIN-CMP-S", "catalog")
    assert (result.enrichment.supplier, ticket.variant_id) == ("Baltic Linen Works", None)


def test_full_join_values(store: Store) -> None:
    ticket = make_ticket(store.ana, "Order #10023: the merino crew sweater is damaged")

    row = triage(ticket.pk).enrichment

    assert {
        "carrier": row.carrier,
        "warehouse": row.warehouse,
        "region": row.region,
        "shipment_status": row.shipment_status,
        "promised_date": row.promised_date,
        "delivered_at": row.delivered_at,
        "days_since_delivery": row.days_since_delivery,
        "days_late": row.days_late,
        "batch_code": row.batch_code,
        "supplier": row.supplier,
        "order_value": row.order_value,
        "refund_amount": row.refund_amount,
        "return_status": row.return_status,
        "campaign": row.campaign,
        "discount_code": row.discount_code,
        "channel": row.channel,
        "customer_tier": row.customer_tier,
        "lifetime_value": row.lifetime_value,
        "is_vip": row.is_vip,
    } == {
        "carrier": "UPS",
        "warehouse": "BER-1",
        "region": "DE-East",
        "shipment_status": "delivered",
        "promised_date": dt.date(2026, 11, 15),
        "delivered_at": NOW - dt.timedelta(days=2),
        "days_since_delivery": 2,
        "days_late": 3,
        "batch_code": "B-2026-07",
        "supplier": "Lanificio Nord",
        "order_value": Decimal("129.80"),
        "refund_amount": Decimal("59.90"),
        "return_status": "approved",
        "campaign": "autumn-sale",
        "discount_code": "AUTUMN10",
        "channel": "email",
        "customer_tier": "none",
        "lifetime_value": Decimal("120.00"),
        "is_vip": False,
    }
    assert row.provenance == {
        "order": "quoted:#10023",
        "product": "mention:MER-CRW-M@100.0",
        "supplier": "batch",
        "shipment": "order:#10023",
        "batch": "order_line",
        "return": "rma:RMA-1",
        "refund": "refunds:1",
        "customer": f"ticket:{store.ana.pk}",
        "customer_value": "standard",
        "customer_value_reasons": "",
        "orders_365d": "1",
    }


def test_entities_are_stored_with_spans(store: Store) -> None:
    text = "Order #10023, call me on +49 151 23456789 or Ana@example.com"
    ticket = make_ticket(store.ana, text)

    row = triage(ticket.pk).enrichment

    message_id = ticket.messages.get().pk
    assert row.entities["order_numbers"] == [
        {"value": "10023", "raw": "10023", "message_id": message_id, "start": 7, "end": 12}
    ]
    assert row.entities["emails"] == [
        {"value": "ana@example.com", "message_id": message_id, "start": 45, "end": 60}
    ]
    assert text[45:60] == "Ana@example.com"
    assert [p["value"] for p in row.entities["phones"]] == ["+4915123456789"]
