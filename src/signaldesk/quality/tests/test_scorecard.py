"""The automatic scorecard (pure core): every sub-score on crafted replies, with its reasons."""

from __future__ import annotations

from signaldesk.quality.scorecard import (
    ReplyFacts,
    findings_from_dicts,
    score_next_step,
    score_personalisation,
    score_reply,
    score_tone,
)
from signaldesk.replies.guardrails import Finding

FACTS = ReplyFacts(
    customer_name="Ana",
    order_number="#10023",
    tracking_number="JJD0001234567",
    items=("Linen dress / M",),
    customer_sentiment=-0.5,
    language="en",
)
GOOD = (
    "Hi Ana, I'm sorry order #10023 is running late. DHL now expects to deliver it on "
    "20 November 2026; you can follow it here: https://www.dhl.com/track?tracking-id=JJD0001234567."
)
RUDE = "As I already said, you should have checked the address. Obviously this is not our fault!!"


def test_a_grounded_personal_reply_with_a_dated_next_step_scores_100() -> None:
    card = score_reply(GOOD, [], FACTS)

    assert card.as_dict() == {
        "overall": 100,
        "factual": 100,
        "policy": 100,
        "next_step": 100,
        "personalisation": 100,
        "tone": 100,
        "reasons": {
            "factual": ["Every amount, date, tracking and order number matches the data."],
            "policy": ["No unapproved promise and no unsupported policy statement."],
            "next_step": ['Next step: "you can follow"', 'Time frame: "20 November"'],
            "personalisation": [
                "Addresses the customer by name (Ana).",
                "References the order #10023.",
            ],
            "tone": ["Courteous, no blaming or shouting (sentiment -0.32)."],
        },
    }


def test_blaming_shouting_and_no_acknowledgement_take_tone_to_zero() -> None:
    card = score_reply(RUDE, [], FACTS)

    assert card.scores() == {
        "factual": 100, "policy": 100, "next_step": 0, "personalisation": 0, "tone": 0,
    }  # fmt: skip
    assert card.overall == 55  # 0.30·100 + 0.25·100
    assert card.tone.reasons == (
        '−30: blaming phrase "As I already said"',
        '−30: blaming phrase "you should have"',
        '−30: blaming phrase "Obviously"',
        '−30: blaming phrase "not our fault"',
        "−15: the customer was upset and the reply does not acknowledge it",
        "−10: shouting (!!)",
    )


def test_guardrail_findings_lower_factual_and_policy_scores() -> None:
    findings = [
        Finding("unknown_fact", "block", "Amount 12.00 is not in the order data.", (0, 5)),
        Finding("promise", "block", "Promises a refund without an approval.", (6, 9)),
        Finding("policy_claim", "warn", "Policy statement not supported.", (10, 20)),
    ]
    text = "Hi Ana, we will send a replacement for your Linen dress / M within 3 business days."

    card = score_reply(text, findings, FACTS)

    assert card.scores() == {
        "factual": 60, "policy": 10, "next_step": 100, "personalisation": 100, "tone": 85,
    }  # fmt: skip
    # 0.30·60 + 0.25·10 + 0.15·100 + 0.15·100 + 0.15·85 = 63.25
    assert card.overall == 63
    assert card.factual.reasons == ("−40: Amount 12.00 is not in the order data.",)
    assert card.policy.reasons == (
        "−60: Promises a refund without an approval.",
        "−30: Policy statement not supported.",
    )


def test_another_customers_data_zeroes_factual_accuracy() -> None:
    findings = findings_from_dicts(
        [{"check": "other_customer_pii", "severity": "block", "message": "Order #20077 "
          "belongs to another customer.", "span": [0, 6]}]
    )  # fmt: skip

    card = score_reply(GOOD, findings, FACTS)

    assert (card.factual.score, card.overall) == (0, 70)
    assert card.factual.reasons == (
        "Shows another customer's data: Order #20077 belongs to another customer.",
    )


def test_next_step_levels() -> None:
    assert score_next_step("We will refund the dress within 5 days.").score == 100
    assert score_next_step("We will check with the warehouse.").reasons == (
        'Next step: "We will check"',
        "−30: no time frame for it",
    )
    assert score_next_step("We will check with the warehouse.").score == 70
    assert score_next_step("Thanks! Let me know if anything else comes up.").score == 30
    assert score_next_step("Thanks for your message.").score == 0


def test_personalisation_scales_to_what_the_ticket_knows() -> None:
    no_order = ReplyFacts(customer_name="Ana")

    assert score_personalisation("Hi Ana, thanks.", no_order).score == 100
    assert score_personalisation("Hello, thanks.", no_order).score == 0
    assert score_personalisation("Tracking JJD0001234567 is moving.", FACTS).score == 50
    assert score_personalisation("Hello.", ReplyFacts()).reasons == (
        "No name or order on the ticket to personalise with.",
    )


def test_tone_flags_over_apologising_and_a_negative_reply() -> None:
    text = "I'm sorry, so sorry, we apologise for this terrible awful horrible disaster. Sorry."

    tone = score_tone(text, FACTS)

    assert tone.score == 70
    assert tone.reasons == (
        "−10: over-apologetic (4 apologies)",
        "−20: the reply reads negative (sentiment -0.92)",
    )
