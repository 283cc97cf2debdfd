from pathlib import Path

import pytest

from signaldesk.taxonomy.schema import TaxonomyValidationError, parse_taxonomy
from signaldesk.taxonomy.services import DEFAULT_TAXONOMY_PATH
from signaldesk.taxonomy.tests.yaml_samples import MINIMAL, variant

RETAIL_IDS = [
    "delivery_delay", "failed_delivery", "wrong_address", "lost_parcel", "damaged_parcel",
    "order_status", "wrong_item", "missing_item", "damaged_item", "quality_issue", "sizing",
    "fit", "product_instructions", "expectation_mismatch", "return_request", "refund_status",
    "exchange_request", "warranty_request", "discount_code", "payment_issue",
    "checkout_problem", "account_issue", "stock_availability", "preorder", "back_in_stock",
    "substitution", "review", "complaint", "cancellation", "subscription_change", "other",
]  # fmt: skip


def error_of(text: str) -> str:
    with pytest.raises(TaxonomyValidationError) as exc_info:
        parse_taxonomy(text, source="t.yaml")
    return exc_info.value.detail


def test_shipped_taxonomy_validates_with_all_31_reasons() -> None:
    parsed = parse_taxonomy(DEFAULT_TAXONOMY_PATH.read_text(), source="default_taxonomy.yaml")
    reasons = parsed.doc["reasons"]
    assert sorted(r["id"] for r in reasons) == sorted(RETAIL_IDS)
    assert len(reasons) == 31
    assert [g["id"] for g in parsed.doc["groups"]] == [
        "delivery", "order_problem", "product", "returns_refunds", "commerce", "stock",
        "relationship", "other",
    ]  # fmt: skip
    assert min(len(r["examples"]) for r in reasons) >= 8
    assert max(len(r["examples"]) for r in reasons) <= 15
    damaged = next(r for r in reasons if r["id"] == "damaged_item")
    assert damaged["auto_action"] == {"allowed": True, "action": "refund_or_replace", "limit": 100}
    assert damaged["owner_team"] == "supplier"
    assert damaged["required_context"] == [
        "order", "sku", "batch", "photo", "delivery_method", "fulfilment_location",
        "customer_history",
    ]  # fmt: skip


def test_minimal_sample_is_valid() -> None:
    assert [r["id"] for r in parse_taxonomy(MINIMAL, source="t.yaml").doc["reasons"]] == [
        "delivery_delay",
        "other",
    ]


def test_threshold_must_be_a_number() -> None:
    text = variant("value_threshold: 100", "value_threshold: high")
    assert error_of(text) == (
        "t.yaml:14: reasons[0].escalation.value_threshold: must be a number, got 'high'"
    )


def test_threshold_must_not_be_negative() -> None:
    assert error_of(variant("limit: 20", "limit: -5")) == (
        "t.yaml:13: reasons[0].auto_action.limit: must be ≥ 0, got -5"
    )


def test_ids_must_be_unique() -> None:
    assert error_of(variant("- id: delivery_delay", "- id: other")) == (
        "t.yaml:19: reasons[1].id: duplicate id 'other' (first on line 6)"
    )


def test_ids_must_be_slugs() -> None:
    assert error_of(variant("- id: delivery_delay", "- id: Delivery Delay")) == (
        "t.yaml:6: reasons[0].id: must be a slug (lowercase letters, digits and _), "
        "got 'Delivery Delay'"
    )


def test_owner_team_must_be_allowed() -> None:
    assert error_of(variant("owner_team: operations", "owner_team: warehouse")) == (
        "t.yaml:15: reasons[0].owner_team: must be one of operations, product, supplier, "
        "ecommerce, finance, merchandising, lifecycle, got 'warehouse'"
    )


def test_cadence_must_be_daily_or_weekly() -> None:
    assert error_of(variant("review_cadence: daily", "review_cadence: monthly")) == (
        "t.yaml:16: reasons[0].review_cadence: must be one of daily, weekly, got 'monthly'"
    )


def test_at_least_three_examples() -> None:
    text = variant("[Where is it, It is late, Still not here]", "[Where is it, It is late]")
    assert error_of(text) == (
        "t.yaml:10: reasons[0].examples: needs at least 3 example phrases, got 2"
    )


def test_other_must_be_present() -> None:
    assert error_of(variant("- id: other", "- id: misc")) == (
        "t.yaml:6: reasons: the reason 'other' must be present"
    )


def test_unknown_key_is_rejected_with_its_line() -> None:
    text = variant("    priority: normal\n", "    priority: normal\n    colour: red\n")
    assert error_of(text) == (
        "t.yaml:19: reasons[0].colour: unknown key (allowed: id, name, group, description, "
        "examples, aliases, required_context, response, auto_action, escalation, owner_team, "
        "review_cadence, ticket_type, priority)"
    )


def test_missing_required_field_names_the_reason_line() -> None:
    assert error_of(variant("    priority: normal\n", "")) == (
        "t.yaml:6: reasons[0].priority: required field is missing"
    )


def test_unknown_group_and_context_field() -> None:
    text = variant("group: delivery", "group: shipping").replace("[order, tracking]", "[order, x]")
    assert error_of(text) == (
        "t.yaml:8: reasons[0].group: must be one of delivery, other, got 'shipping'\n"
        "t.yaml:11: reasons[0].required_context[1]: unknown context field 'x' (known: "
        "order, sku, variant, size, batch, supplier, photo, delivery_method, carrier, tracking, "
        "delivery_status, delivery_address, fulfilment_location, customer_history, loyalty_tier, "
        "payment_method, discount_code, campaign_source, account_email, device, return_status, "
        "refund_amount, proof_of_purchase, product_page, subscription, review_link)"
    )


def test_boolean_and_yaml_syntax_errors() -> None:
    assert error_of(variant("vip: true", "vip: maybe")) == (
        "t.yaml:14: reasons[0].escalation.vip: must be true or false, got 'maybe'"
    )
    assert error_of(variant("priority: normal", "priority: [normal")) == (
        "t.yaml:19: (yaml): syntax error: expected ',' or ']', but got ':'"
    )


@pytest.mark.django_db
def test_load_error_names_the_file(tmp_path: Path, system_actor: object) -> None:
    from signaldesk.taxonomy.services import taxonomy_load_yaml

    path = tmp_path / "broken.yaml"
    path.write_text(variant("value_threshold: 100", "value_threshold: high"))
    with pytest.raises(TaxonomyValidationError) as exc_info:
        taxonomy_load_yaml(path=path, actor=system_actor)  # type: ignore[arg-type]
    assert exc_info.value.detail == (
        "broken.yaml:14: reasons[0].escalation.value_threshold: must be a number, got 'high'"
    )
