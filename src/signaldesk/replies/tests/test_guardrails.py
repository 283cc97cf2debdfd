"""The guardrails core on passing and failing replies (plain pytest, no database)."""

from __future__ import annotations

from decimal import Decimal

import pytest

from signaldesk.knowledge.retrieval import make_passage
from signaldesk.replies.guardrails import (
    ActionAllowance,
    GroundingContext,
    GuardrailPolicy,
    check_reply,
)

PASSAGES = (
    make_passage(
        slug="returns-policy",
        index=0,
        text="You can return any item within 30 days from delivery, as long as it is unworn "
        "and still has its tags attached.",
    ),
    make_passage(
        slug="damaged-items",
        index=1,
        text="Once we have the photo we offer a replacement or a refund; for items under 100 "
        "you do not need to send the damaged item back.",
    ),
)
CTX = GroundingContext(
    known_amounts=frozenset({Decimal("59.90")}),
    known_dates=frozenset({(11, 22)}),
    known_tracking=frozenset({"JJD0001234567"}),
    known_orders=frozenset({"10023"}),
    policy_numbers=frozenset({Decimal("100"), Decimal("30")}),
    passages=PASSAGES,
    customer_emails=frozenset({"ana@example.com"}),
    customer_names=frozenset({"Ana Lopez", "Ana"}),
    other_customer_identifiers=frozenset(
        {("email", "bob@example.com"), ("order", "20077"), ("phone", "+4915112345678")}
    ),
    other_customer_names=frozenset({"Bob Miller"}),
)


def checks(text: str, ctx: GroundingContext = CTX, policy: GuardrailPolicy | None = None):
    return [(f.check, f.severity) for f in check_reply(text, ctx, policy)]


@pytest.mark.parametrize(
    "text",
    [
        "We will refund the full amount.",
        "I've issued a refund to your card.",
        "You'll receive a replacement next week.",
        "We'll send you a voucher for the trouble.",
        "We have refunded €59.90 to your card.",
        "Your refund has been issued.",
        "Wir werden Ihnen den Betrag erstatten.",
        "Sie erhalten einen Gutschein.",
        "Nous allons vous rembourser la commande.",
        "Vous recevrez un remplacement.",
        "Le reembolsaremos el importe.",
        "Vamos a enviarle un reemplazo.",
    ],
)
def test_a_promise_without_approval_blocks(text: str) -> None:
    assert checks(text) == [("promise", "block")]


@pytest.mark.parametrize(
    "text",
    [
        "We cannot refund an order that was worn.",
        "We will not send a replacement before the photo arrives.",
        "Refunds are processed by our finance team.",
        "Thanks for the photo, I have passed it to the warehouse.",
    ],
)
def test_no_promise_no_finding(text: str) -> None:
    assert checks(text) == []


def test_an_approved_refund_may_be_promised_up_to_its_amount() -> None:
    approved = GroundingContext(
        known_amounts=frozenset({Decimal("59.90"), Decimal("80.00")}),
        approved_actions=(ActionAllowance("refund", Decimal("59.90")),),
    )
    assert checks("We have refunded €59.90 to your card.", approved) == []
    assert checks("We have refunded €80.00 to your card.", approved) == [("promise", "block")]


def test_an_auto_allowed_replacement_depends_on_the_order_value_limit() -> None:
    small = GroundingContext(
        auto_allowed_actions=(ActionAllowance("replacement", Decimal("100")),),
        order_value=Decimal("49.90"),
    )
    large = GroundingContext(
        auto_allowed_actions=(ActionAllowance("replacement", Decimal("100")),),
        order_value=Decimal("149.90"),
    )
    text = "You'll receive a replacement tomorrow."
    assert checks(text, small) == []
    assert checks(text, large) == [("promise", "block")]


def test_quoting_a_policy_passage_is_not_a_promise() -> None:
    assert checks(PASSAGES[1].text) == []


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Your order #10023 ships with tracking JJD0001234567 on 22 November.", []),
        ("Your refund of €59.90 is pending.", []),
        ("Items under €100 need no return.", []),
        ("Your refund of €64.00 is pending.", [("unknown_fact", "block")]),
        ("It will arrive on 3 December.", [("unknown_fact", "block")]),
        ("Your order #55555 is on hold.", [("unknown_fact", "block")]),
        ("Tracking number JJD0009999999 shows it in transit.", [("unknown_fact", "block")]),
    ],
)
def test_facts_must_be_in_the_data(text: str, expected: list[tuple[str, str]]) -> None:
    assert checks(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("You can return any item within 30 days from delivery if it still has its tags.", []),
        ("Our policy allows returns within 90 days.", [("policy_claim", "warn")]),
        ("All our products come with a lifetime guarantee.", [("policy_claim", "warn")]),
        ("Free returns on every order, whatever the reason.", [("policy_claim", "warn")]),
    ],
)
def test_policy_statements_must_be_in_the_knowledge_base(
    text: str, expected: list[tuple[str, str]]
) -> None:
    assert checks(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("We wrote to ana@example.com yesterday.", []),
        ("We wrote to bob@example.com yesterday.", [("other_customer_pii", "block")]),
        ("Call +49 151 12345678 for details.", [("other_customer_pii", "block")]),
        ("Hi Ana, Bob Miller had the same issue.", [("other_customer_pii", "block")]),
        ("Your order #20077 was shipped.", [("other_customer_pii", "block")]),
    ],
)
def test_other_customers_personal_data(text: str, expected: list[tuple[str, str]]) -> None:
    assert checks(text) == expected


def test_other_customer_lookup_callable_is_used() -> None:
    seen: list[tuple[str, str]] = []

    def lookup(kind: str, value: str) -> bool:
        seen.append((kind, value))
        return value == "carl@example.com"

    ctx = GroundingContext(other_customer_lookup=lookup)
    assert checks("Reach carl@example.com or dana@example.com.", ctx) == [
        ("other_customer_pii", "block")
    ]
    assert seen == [("email", "carl@example.com"), ("email", "dana@example.com")]


def test_missing_marker_blocks_with_its_span() -> None:
    text = "It should arrive on [missing: promised_date]."
    findings = check_reply(text, CTX)
    assert [(f.check, f.severity, f.span) for f in findings] == [
        ("missing_variable", "block", (20, 44))
    ]
    assert text[20:44] == "[missing: promised_date]"


def test_block_or_warn_is_configurable_per_check() -> None:
    policy = GuardrailPolicy.from_mapping(
        {"checks": {"promise": "warn", "policy_claim": "block", "unknown_fact": "off"}}
    )
    text = "We will refund €64.00. Our policy allows returns within 90 days."
    assert checks(text, CTX, policy) == [("promise", "warn"), ("policy_claim", "block")]
    assert checks(text) == [
        ("promise", "block"),
        ("unknown_fact", "block"),
        ("policy_claim", "warn"),
    ]


def test_shipped_policy_yaml_loads() -> None:
    policy = GuardrailPolicy.from_yaml()
    assert dict(policy.severities) == {
        "missing_variable": "block",
        "promise": "block",
        "unknown_fact": "block",
        "policy_claim": "warn",
        "other_customer_pii": "block",
    }
    assert policy.policy_support_threshold == 0.6
    assert "missing_variable" not in policy.overridable


def test_unknown_check_in_policy_is_rejected() -> None:
    with pytest.raises(ValueError, match="Unknown guardrail check"):
        GuardrailPolicy.from_mapping({"checks": {"tone": "block"}})
