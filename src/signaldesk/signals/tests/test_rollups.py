from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from signaldesk.signals.models import ContactRollup, CostRollup, DirtyDay, ExposureRollup
from signaldesk.signals.selectors import contact_rates
from signaldesk.signals.services import rollup_mark_dirty, rollup_refresh, rollup_refresh_dirty
from signaldesk.signals.tests.conftest import D1, D2, make_ticket, small_store

pytestmark = pytest.mark.django_db


def contacts(day: dt.date, dims: tuple[str, ...]) -> list[tuple[str, str, str, int]]:
    rows = ContactRollup.objects.filter(day=day, dimension__in=dims)
    return sorted(rows.values_list("reason", "dimension", "value", "contacts"))


def exposure(day: dt.date, dims: tuple[str, ...]) -> list[tuple[str, str, int, int]]:
    rows = ExposureRollup.objects.filter(day=day, dimension__in=dims)
    return sorted(rows.values_list("dimension", "value", "orders", "units"))


def test_contact_rollup_of_a_small_store() -> None:
    small_store()
    rollup_refresh(days=[D1, D2])
    dims = ("all", "sku", "batch", "carrier_region", "channel", "source", "discount_code")
    assert contacts(D1, dims) == [
        ("damaged_item", "all", "*", 2),
        ("damaged_item", "batch", "BA1", 2),
        ("damaged_item", "carrier_region", "DHL|North", 1),
        ("damaged_item", "carrier_region", "DPD|South", 1),
        ("damaged_item", "channel", "chat", 1),
        ("damaged_item", "channel", "email", 1),
        ("damaged_item", "discount_code", "SPRING10", 1),
        ("damaged_item", "sku", "A", 2),
        ("damaged_item", "source", "mobile_app", 1),
        ("damaged_item", "source", "web", 1),
        ("delivery_delay", "all", "*", 1),
        ("delivery_delay", "carrier_region", "DHL|North", 1),
        ("delivery_delay", "channel", "email", 1),
        ("delivery_delay", "sku", "B", 1),
        ("delivery_delay", "source", "web", 1),
    ]
    assert contacts(D2, ("all", "sku")) == [
        ("damaged_item", "all", "*", 1),
        ("damaged_item", "sku", "B", 1),
    ]


def test_exposure_rollup_counts_orders_created_and_units_shipped() -> None:
    small_store()
    rollup_refresh(days=[D1, D2])
    dims = ("all", "sku", "batch", "carrier", "region", "supplier", "size")
    assert exposure(D1, dims) == [
        ("all", "*", 2, 3),
        ("batch", "BA1", 2, 2),
        ("carrier", "DHL", 1, 3),
        ("carrier", "DPD", 1, 0),
        ("region", "North", 1, 3),
        ("region", "South", 1, 0),
        ("size", "L", 1, 1),
        ("size", "M", 2, 2),
        ("sku", "A", 2, 2),
        ("sku", "B", 1, 1),
        ("supplier", "S1", 2, 2),
        ("supplier", "S2", 1, 1),
    ]
    assert exposure(D2, ("all", "sku")) == [
        ("all", "*", 1, 1),
        ("sku", "A", 0, 1),
        ("sku", "B", 1, 0),
    ]


def test_cost_rollup_per_reason_and_sku() -> None:
    small_store()
    rollup_refresh(days=[D1])
    rows = CostRollup.objects.filter(day=D1).order_by("reason", "sku")
    assert [
        (r.reason, r.sku, r.tickets, r.refunds, r.replacements, r.discounts, r.handling_minutes)
        for r in rows
    ] == [
        ("damaged_item", "A", 2, Decimal("20.00"), Decimal("49.90"), Decimal("5.00"), None),
        ("delivery_delay", "B", 1, Decimal("20.00"), Decimal("0.00"), Decimal("5.00"), None),
    ]


def test_refreshing_one_day_leaves_other_days_untouched() -> None:
    store = small_store()
    rollup_refresh(days=[D1, D2])
    make_ticket(D1, "damaged_item", minute=9, sku="A")
    make_ticket(D2, "damaged_item", minute=9, order=store["orders"][2], sku="B")
    rollup_refresh(days=[D2])
    assert contacts(D1, ("sku",)) == [
        ("damaged_item", "sku", "A", 2),
        ("delivery_delay", "sku", "B", 1),
    ]
    assert contacts(D2, ("sku",)) == [("damaged_item", "sku", "B", 2)]
    assert CostRollup.objects.get(day=D2).tickets == 2


def test_dirty_days_are_refreshed_and_cleared() -> None:
    small_store()
    rollup_mark_dirty(day=D1)
    rollup_mark_dirty(day=D1)
    assert list(DirtyDay.objects.values_list("day", flat=True)) == [D1]
    done = rollup_refresh_dirty(today=dt.date(2026, 11, 1))
    assert done == [D1, dt.date(2026, 10, 30), dt.date(2026, 10, 31), dt.date(2026, 11, 1)]
    assert DirtyDay.objects.count() == 0
    assert contacts(D1, ("all",)) == [
        ("damaged_item", "all", "*", 2),
        ("delivery_delay", "all", "*", 1),
    ]
    assert contacts(D2, ("all",)) == []


def test_contact_rate_per_1000_orders_with_week_over_week_change() -> None:
    until = dt.date(2026, 10, 14)
    ContactRollup.objects.bulk_create(
        [
            ContactRollup(day=until, reason="fit", dimension="sku", value="A", contacts=6),
            ContactRollup(day=dt.date(2026, 10, 7), reason="fit", dimension="sku", value="A",
                          contacts=3),
            ContactRollup(day=until, reason="fit", dimension="sku", value="B", contacts=1),
        ]
    )  # fmt: skip
    ExposureRollup.objects.bulk_create(
        [
            ExposureRollup(day=dt.date(2026, 10, 13), dimension="sku", value="A", orders=2000),
            ExposureRollup(day=dt.date(2026, 10, 6), dimension="sku", value="A", orders=1500,
                           units=1800),
        ]
    )  # fmt: skip
    rates = contact_rates(dimension="sku", reason="fit", since=dt.date(2026, 10, 1), until=until)
    assert [
        (r.value, r.contacts, r.orders, r.units, r.per_1000_orders, r.per_1000_units,
         r.last_week_per_1000_orders, r.prev_week_per_1000_orders, r.wow_change)
        for r in rates
    ] == [
        ("A", 9, 3500, 1800, 2.5714, 5.0, 3.0, 2.0, 0.5),
        ("B", 1, 0, 0, None, None, None, None, None),
    ]  # fmt: skip
