"""The packaged rules.yaml on representative retail facts (plain pytest, no database)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from signaldesk.workflow.rules.engine import evaluate
from signaldesk.workflow.rules.parse import parse_rules

RULES = parse_rules(
    (Path(__file__).resolve().parents[2] / "rules.yaml").read_text(), source="rules.yaml"
)


def run(**facts: Any) -> Any:
    base: dict[str, Any] = {"language": "en", "risk_flags": [], "is_vip": False}
    return evaluate(RULES, {**base, **facts})


def test_legal_risk_is_urgent_escalated_and_suppressed() -> None:
    out = run(risk_flags=["safety_health"])
    assert (out.fired, out.priority, out.suppress_marketing_days) == (
        ["legal_or_safety_risk"],
        "urgent",
        30,
    )
    assert out.escalations == [
        {"rule": "legal_or_safety_risk", "to": "lead", "reason": "legal or safety risk"}
    ]


def test_vip_non_english_gets_senior_language_assignment_first() -> None:
    out = run(is_vip=True, language="de")
    assert out.fired == ["vip_customer", "language_routing"]
    assert (out.priority, out.assign) == ("high", {"senior": True, "language": True})
    assert out.applied[-1]["note"] == "first wins: assign set by vip_customer"


@pytest.mark.parametrize(("value", "fired"), [(99.99, False), (100.0, True)])
def test_damaged_item_approval_boundary(value: float, fired: bool) -> None:
    out = run(reason="damaged_item", order_value=value)
    assert ("damaged_item_high_value" in out.fired) is fired


def test_delivery_reason_routes_to_operations_and_repeat_contact_raises() -> None:
    out = run(reason="lost_parcel", repeat_contact_7d=True, in_active_spike=True)
    assert out.fired == ["active_spike", "delivery_to_operations", "repeat_contact"]
    assert (out.team, out.priority, out.tags) == ("operations", "high", ["in_spike"])


@pytest.mark.parametrize(("confidence", "macro"), [(0.89, None), (0.9, "order_status_tracking")])
def test_order_status_in_transit_needs_confidence(confidence: float, macro: str | None) -> None:
    out = run(reason="order_status", shipment_status="in_transit", confidence=confidence)
    assert out.macro == macro
    assert out.auto_actions == ([] if macro is None else ["auto_resolve"])
