"""Return eligibility at its boundaries (returns.yaml), the policy checks, and neighbour sizes."""

from __future__ import annotations

import dataclasses
import datetime as dt

import pytest

from signaldesk.core.errors import ValidationError
from signaldesk.selfservice.eligibility import (
    LineFacts,
    line_eligibility,
    policy_from_doc,
    returns_policy,
)
from signaldesk.selfservice.sizes import neighbour_size

TODAY = dt.date(2026, 11, 22)
POLICY = returns_policy()
BASE = LineFacts(
    line_no=1,
    sku="LIN-M-SND",
    name="Linen Shirt",
    quantity=1,
    returned_quantity=0,
    delivered_on=TODAY - dt.timedelta(days=30),
    category="Shirts",
    product_type="Shirts",
    tags=("summer",),
)


def check(**changes: object) -> tuple[bool, str, dt.date | None]:
    result = line_eligibility(dataclasses.replace(BASE, **changes), POLICY, today=TODAY)
    return result.eligible, result.code, result.last_day


def test_the_shipped_policy_is_30_days_with_final_sale_tags() -> None:
    assert POLICY.window_days == 30
    assert POLICY.excluded_tags == frozenset({"final-sale", "personalised"})
    assert [r.code for r in POLICY.reasons] == [
        "too_small", "too_large", "fit", "not_as_described", "wrong_item", "quality",
        "changed_mind",
    ]  # fmt: skip
    assert [(c.code, c.outcome) for c in POLICY.conditions] == [
        ("unused", "eligible"), ("used", "not_eligible"), ("faulty", "handover"),
    ]  # fmt: skip


def test_day_30_after_delivery_is_the_last_day() -> None:
    assert check() == (True, "ok", TODAY)


def test_day_31_after_delivery_is_too_late() -> None:
    delivered = TODAY - dt.timedelta(days=31)
    assert check(delivered_on=delivered) == (False, "window_passed", TODAY - dt.timedelta(days=1))


def test_delivered_today_can_be_returned() -> None:
    assert check(delivered_on=TODAY) == (True, "ok", TODAY + dt.timedelta(days=30))


def test_not_delivered_yet_cannot_be_returned_online() -> None:
    assert check(delivered_on=None) == (False, "not_delivered", None)


def test_final_sale_tag_excludes_whatever_the_case() -> None:
    assert check(tags=("Final-Sale",)) == (False, "excluded", TODAY)


def test_excluded_category_and_type_from_config() -> None:
    doc = {
        "window_days": 14,
        "excluded_categories": ["Gift cards"],
        "excluded_product_types": ["Underwear"],
        "conditions": [{"code": "unused", "label": "Unused", "outcome": "eligible"}],
        "reasons": [{"code": "fit", "label": "Fit", "taxonomy_reason": "fit"}],
    }
    policy = policy_from_doc(doc)
    gift = dataclasses.replace(BASE, category="gift cards", delivered_on=TODAY)
    underwear = dataclasses.replace(BASE, product_type="Underwear", delivered_on=TODAY)
    day_15 = dataclasses.replace(BASE, delivered_on=TODAY - dt.timedelta(days=15))
    day_14 = dataclasses.replace(BASE, delivered_on=TODAY - dt.timedelta(days=14))
    assert [line_eligibility(f, policy, today=TODAY).code for f in (gift, underwear)] == [
        "excluded", "excluded",
    ]  # fmt: skip
    assert [line_eligibility(f, policy, today=TODAY).code for f in (day_14, day_15)] == [
        "ok", "window_passed",
    ]  # fmt: skip


def test_a_line_already_returned_is_not_offered_again() -> None:
    assert check(returned_quantity=1) == (False, "already_returned", TODAY)
    assert check(quantity=2, returned_quantity=1) == (True, "ok", TODAY)


def test_a_broken_policy_names_every_problem() -> None:
    doc = {
        "window_days": "soon",
        "conditions": [{"code": "x", "label": "X", "outcome": "maybe"}],
        "reasons": [{"code": "y", "label": "Y", "taxonomy_reason": "fit", "exchange": "up"}],
    }
    with pytest.raises(ValidationError) as info:
        policy_from_doc(doc, source="bad.yaml")
    assert info.value.detail == (
        "bad.yaml: window_days must be a whole number; condition x: outcome must be one of "
        "eligible, not_eligible, handover; reason y: exchange must be larger, smaller or empty"
    )


@pytest.mark.parametrize(
    ("current", "available", "direction", "expected"),
    [
        ("M", ["S", "M", "L"], "larger", "L"),
        ("M", ["S", "M", "L"], "smaller", "S"),
        ("L", ["S", "M", "L"], "larger", None),
        ("S", ["XL", "S", "XS"], "larger", "XL"),
        ("38", ["36", "37", "38", "39"], "larger", "39"),
        ("38", ["36", "37", "38", "39"], "smaller", "37"),
        ("Double", ["Single", "Double", "King"], "larger", "King"),
        ("Double", ["Single", "Double", "King"], "smaller", "Single"),
        ("One Size", ["One Size"], "larger", None),
    ],
)
def test_neighbour_size(
    current: str, available: list[str], direction: str, expected: str | None
) -> None:
    assert neighbour_size(current, available, direction=direction) == expected


def test_return_reasons_are_taxonomy_reasons(db: None) -> None:
    from signaldesk.taxonomy.selectors import active_taxonomy

    ids = set(active_taxonomy().ids)
    assert [r.taxonomy_reason for r in POLICY.reasons if r.taxonomy_reason not in ids] == []
