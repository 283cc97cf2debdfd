"""The gap report: repeated weak questions grouped by shared words, with an outline."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from django.test import Client
from django.utils import timezone

from signaldesk.knowledge.gaps import AskedQuestion, GapConfig, find_gaps
from signaldesk.knowledge.models import KnowledgeQuestion
from signaldesk.testing.factories import UserFactory

REASONS = [
    ("cancellation", "Cancellation: cancel my order, stop the order before it ships"),
    ("payment_issue", "Payment issue: paid twice, card declined, PayPal"),
]
QUESTIONS = [
    AskedQuestion("Can I cancel my order?", 0.63, best_slug="promo-codes"),
    AskedQuestion("How do I cancel an order I just placed", 0.9, best_slug="delivery"),
    AskedQuestion("cancel my order please", 1.06, best_slug="damaged-items"),
    AskedQuestion("Can I pay with PayPal?", 0.0),
    AskedQuestion("Do you take paypal", 0.0),
    AskedQuestion("How long do refunds take?", 3.1, best_slug="refunds"),  # answered well
    AskedQuestion("Do you ship to Norway?", 0.0),  # weak but asked once
]


def test_weak_repeated_questions_become_gaps_with_an_outline() -> None:
    gaps = find_gaps(QUESTIONS, reasons=REASONS)
    assert [(g.title, g.count, g.reason_id) for g in gaps] == [
        ("Cancel order please", 3, "cancellation"),
        ("Paypal pay take", 2, "payment_issue"),
    ]
    cancel = gaps[0]
    assert cancel.best_slugs == ("damaged-items", "delivery", "promo-codes")
    assert cancel.mean_score == 0.863
    assert cancel.outline == (
        "# Cancel order please",
        "",
        "Short answer: (one paragraph answering the questions)",
        "",
        "## Questions customers asked",
        "- Can I cancel my order?",
        "- How do I cancel an order I just placed",
        "- cancel my order please",
        "",
        "Linked reason: cancellation",
    )


def test_an_escalated_question_counts_even_with_a_good_score() -> None:
    asked = [
        AskedQuestion("refund to my credit card", 2.5, escalated=True),
        AskedQuestion("refund on credit card missing", 2.9, escalated=True),
        AskedQuestion("refund on credit card", 2.9),
    ]
    (gap,) = find_gaps(asked, config=GapConfig(min_score=1.2))
    assert (gap.count, gap.escalated, gap.keywords[:2]) == (2, 2, ("card", "credit"))


def test_nothing_to_report_below_two_questions() -> None:
    assert find_gaps([AskedQuestion("Do you ship to Norway?", 0.0)]) == []


@pytest.mark.django_db
def test_gaps_api_and_page_for_managers(client: Client) -> None:
    now = timezone.now()
    for text, score in [("Can I cancel my order?", 0.6), ("cancel my order please", 1.0)]:
        KnowledgeQuestion.objects.create(text=text, best_score=score, asked_at=now)
    KnowledgeQuestion.objects.create(
        text="cancel my order", best_score=0.5, asked_at=now - dt.timedelta(days=40)
    )
    client.force_login(UserFactory(role="manager"))
    body = client.get("/api/v1/knowledge/gaps?days=30").json()
    page = client.get("/knowledge/gaps/")
    assert (body["asked"], body["weak"], len(body["gaps"])) == (2, 2, 1)
    assert json.dumps(body["gaps"][0]["questions"]) == json.dumps(
        [
            {"question": "Can I cancel my order?", "count": 1},
            {"question": "cancel my order please", "count": 1},
        ]
    )
    assert body["gaps"][0]["reason_id"] == "cancellation"
    assert b"Cancel order" in page.content
