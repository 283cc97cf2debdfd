"""Policy boundaries, on the pure evaluation (no database)."""

from __future__ import annotations

from dataclasses import replace
from decimal import Decimal

import yaml

from signaldesk.approvals.policy import DEFAULT_PATH, Facts, evaluate, policy_from_doc

POLICY = policy_from_doc(yaml.safe_load(DEFAULT_PATH.read_text(encoding="utf-8")))
OK = Facts(
    kind="refund",
    amount=Decimal("99.99"),
    currency="EUR",
    days_since_delivery=30,
    abuse_flagged=False,
    reason_auto_allowed=True,
    reason_limit=None,
)


def test_shipped_policy_values() -> None:
    assert POLICY.store_currency == "EUR"
    assert [r.id for r in POLICY.rules] == ["small-refund"]
    assert POLICY.rules[0].below == Decimal("100.00")
    assert POLICY.finance_from == Decimal("250.00")


def test_just_under_the_limit_on_day_30_is_auto() -> None:
    assert evaluate(OK, POLICY).rule == "small-refund"


def test_exactly_100_is_not_auto() -> None:
    verdict = evaluate(replace(OK, amount=Decimal("100.00")), POLICY)
    assert verdict.rule is None
    assert verdict.notes == ("amount is not below 100.00",)


def test_day_31_is_not_auto() -> None:
    verdict = evaluate(replace(OK, days_since_delivery=31), POLICY)
    assert verdict.rule is None
    assert verdict.notes == ("delivered 31 days ago (limit 30)",)


def test_unknown_delivery_is_not_auto() -> None:
    verdict = evaluate(replace(OK, days_since_delivery=None), POLICY)
    assert verdict.notes == ("delivery date unknown",)


def test_abuse_flag_is_not_auto() -> None:
    verdict = evaluate(replace(OK, abuse_flagged=True), POLICY)
    assert verdict.notes == ("customer is flagged for abuse",)


def test_currency_mismatch_is_never_auto() -> None:
    verdict = evaluate(replace(OK, currency="USD", amount=Decimal("1.00")), POLICY)
    assert verdict.rule is None
    assert verdict.notes == ("currency USD is not the store currency",)


def test_reason_without_auto_action_is_not_auto() -> None:
    verdict = evaluate(replace(OK, reason_auto_allowed=False), POLICY)
    assert verdict.notes == ("the contact reason does not allow auto-actions",)


def test_strictest_limit_wins_reason_limit() -> None:
    at_limit = evaluate(replace(OK, amount=Decimal("50.00"), reason_limit=Decimal("50")), POLICY)
    over = evaluate(replace(OK, amount=Decimal("50.01"), reason_limit=Decimal("50")), POLICY)
    assert at_limit.rule == "small-refund"
    assert over.notes == ("amount exceeds the reason's auto-action limit 50",)


def test_kind_not_in_rule_is_not_auto() -> None:
    verdict = evaluate(replace(OK, kind="compensation"), POLICY)
    assert verdict.notes == ("kind compensation is not auto-approved",)
