"""Audience selection for each kind of campaign: exact customers, orders and exclusions."""

from __future__ import annotations

import datetime as dt

import pytest

from signaldesk.commerce.models import Customer
from signaldesk.core.errors import ValidationError
from signaldesk.proactive.links import campaign_prefill_url
from signaldesk.proactive.message import render, unknown_variables
from signaldesk.proactive.reference import Reference, reference_in_subject, reference_parse
from signaldesk.proactive.selectors import Criteria, campaign_audience
from signaldesk.proactive.tests.helpers import (
    campaign,
    customer,
    day,
    order_with_sku,
    shipped_order,
)
from signaldesk.testing.factories import OrderFactory, TicketFactory

pytestmark = pytest.mark.django_db
MARCH_8, MARCH_12 = dt.date(2026, 3, 8), dt.date(2026, 3, 12)


def test_carrier_delay_selects_shipments_by_carrier_region_and_ship_date() -> None:
    ann = customer("ann@example.com", "Ann Lee")
    bob = customer("bob@example.com")
    quiet = customer("quiet@example.com")
    shipped_order(ann, "#1", shipped=day(9))
    TicketFactory(customer=ann, order=shipped_order(ann, "#2", shipped=day(12, 23)))
    shipped_order(bob, "#3", shipped=day(7, 23))  # before the range
    shipped_order(bob, "#4", carrier="DPD", shipped=day(10))  # other carrier
    shipped_order(bob, "#5", region="North", shipped=day(10))  # other region
    shipped_order(quiet, "#6", shipped=day(8, 0))  # never wrote: still told
    shipped_order(customer("", "No Mail"), "#7", shipped=day(10))  # nobody to write to
    shipped_order(None, "#8", shipped=day(10))  # guest order without a customer
    audience = campaign_audience(
        Criteria(carrier="gls", region="south", shipped_from=MARCH_8, shipped_to=MARCH_12)
    )
    assert [(m.email, m.order_numbers, m.wrote) for m in audience.members] == [
        ("ann@example.com", ("#1", "#2"), True),
        ("quiet@example.com", ("#6",), False),
    ]
    assert (audience.orders, audience.no_contact, audience.orders_without_customer) == (5, 1, 1)
    assert audience.not_written == 1


def test_a_merged_duplicate_counts_as_the_customer_it_was_merged_into() -> None:
    ann = customer("ann@example.com")
    duplicate = customer("ann.old@example.com")
    Customer.objects.filter(pk=duplicate.pk).update(merged_into=ann)
    shipped_order(ann, "#1")
    shipped_order(duplicate, "#2")
    audience = campaign_audience(Criteria(carrier="GLS"))
    assert [(m.customer_id, m.order_numbers) for m in audience.members] == [(ann.pk, ("#1", "#2"))]


def test_faulty_batch_matches_order_lines_and_shipment_items() -> None:
    line = customer("line@example.com")
    shipped = customer("shipped@example.com")
    other = customer("other@example.com")
    order_with_sku(line, "#1", "LAMP-1", batch="B-77")
    order_with_sku(shipped, "#2", "LAMP-2", batch="B-77", in_shipment=True)
    order_with_sku(other, "#3", "LAMP-3", batch="B-78")
    audience = campaign_audience(Criteria(batches=("B-77",)))
    assert [(m.email, m.order_numbers) for m in audience.members] == [
        ("line@example.com", ("#1",)),
        ("shipped@example.com", ("#2",)),
    ]


def test_recall_by_sku_skips_cancelled_orders() -> None:
    kept = customer("kept@example.com")
    cancelled = customer("cancelled@example.com")
    order_with_sku(kept, "#1", "KETTLE-9")
    gone = order_with_sku(cancelled, "#2", "KETTLE-9")
    gone.cancelled_at = day(3)
    gone.save(update_fields=["cancelled_at"])
    order_with_sku(customer("else@example.com"), "#3", "KETTLE-1")
    audience = campaign_audience(Criteria(skus=("KETTLE-9",)))
    assert [m.email for m in audience.members] == ["kept@example.com"]


def test_other_by_order_date_range() -> None:
    early = customer("early@example.com")
    inside = customer("inside@example.com")
    OrderFactory(number="#1", customer=early, created_at=day(4, 23))
    OrderFactory(number="#2", customer=inside, created_at=day(5, 0))
    OrderFactory(number="#3", customer=inside, created_at=day(6, 23))
    audience = campaign_audience(
        Criteria(ordered_from=dt.date(2026, 3, 5), ordered_to=dt.date(2026, 3, 6))
    )
    assert [(m.email, m.order_numbers) for m in audience.members] == [
        ("inside@example.com", ("#2", "#3"))
    ]


def test_empty_criteria_select_nobody_and_cannot_be_saved() -> None:
    shipped_order(customer("ann@example.com"), "#1")
    assert campaign_audience(Criteria()).members == []
    with pytest.raises(ValidationError):
        campaign(kind="other")


def test_unknown_variables_are_refused_and_known_ones_rendered() -> None:
    assert unknown_variables("Hi {name} {name.__class__} {x}") == ["name.__class__", "x"]
    assert render("Hi {first_name}: {orders} {other}", {"first_name": "Ann", "orders": "#1"}) == (
        "Hi Ann: #1 {other}"
    )
    with pytest.raises(ValidationError):
        campaign(carrier="GLS", body="Hello {customer.email}")


def test_references_parse_from_subjects_and_metadata() -> None:
    found = reference_in_subject("Re: Your order is late [PC-12-0a1b2c3d4e5f]")
    assert found == Reference(12, "0a1b2c3d4e5f")
    assert str(reference_parse("[PC-12-0a1b2c3d4e5f]")) == "PC-12-0a1b2c3d4e5f"
    assert reference_parse("PC-12-XYZ") is None


def test_prefill_url_from_spike_dimensions() -> None:
    assert campaign_prefill_url(
        dimension="carrier_region", value="GLS|South", onset=MARCH_8, alert_id=4
    ) == (
        "/proactive/new/?carrier=GLS&region=South&kind=carrier_delay&shipped_from=2026-03-08"
        "&alert=4"
    )
    assert campaign_prefill_url(dimension="batch", value="B-1", until=MARCH_12) == (
        "/proactive/new/?batches=B-1&kind=faulty_batch&ordered_to=2026-03-12"
    )
