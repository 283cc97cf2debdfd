"""Scorecards recorded on send, the weekly QA sample, rubric reviews and QA results."""

from __future__ import annotations

import datetime as dt
import json
from decimal import Decimal

import pytest
from django.test import Client

from signaldesk.core.audit import Actor
from signaldesk.core.errors import ValidationError
from signaldesk.core.models import AuditEvent
from signaldesk.knowledge.services import articles_load
from signaldesk.quality.models import QAReview, ReviewStatus, SampleReason, Scorecard
from signaldesk.quality.rubric import QualityConfig, quality_config, sample_pick
from signaldesk.quality.selectors import qa_results, qa_results_csv
from signaldesk.quality.services import review_submit, reviews_sample, scorecard_record
from signaldesk.replies.models import Macro
from signaldesk.replies.services import macros_sync_from_taxonomy, reply_send
from signaldesk.testing.factories import (
    CustomerFactory,
    MessageFactory,
    OrderFactory,
    OrderLineFactory,
    ShipmentFactory,
    TicketFactory,
    UserFactory,
)
from signaldesk.tickets.models import Direction

pytestmark = pytest.mark.django_db
ACTOR = Actor.system("test")
GOOD = (
    "Hi Ana, I'm sorry order #10023 is running late. DHL now expects to deliver it on "
    "20 November 2026; you can follow it here: https://www.dhl.com/track?tracking-id=JJD0001234567."
)
MONDAY = dt.datetime(2026, 11, 16, 9, 0, tzinfo=dt.UTC)
CRITERIA = ("accuracy", "policy", "resolution", "empathy", "personalisation")


@pytest.fixture
def ticket():
    articles_load(actor=ACTOR)
    customer = CustomerFactory(name="Ana Lopez", email="ana@example.com")
    order = OrderFactory(customer=customer, number="#10023", total=Decimal("59.90"))
    OrderLineFactory(order=order, name="Linen dress / M", price=Decimal("59.90"))
    ShipmentFactory(
        order=order, carrier="DHL", tracking_number="JJD0001234567",
        promised_at=dt.date(2026, 11, 20),
    )  # fmt: skip
    ticket = TicketFactory(
        customer=customer, order=order, contact_reason="delivery_delay", subject="Late parcel"
    )
    MessageFactory(ticket=ticket, body_text="My parcel is late. Where is my order #10023?")
    return ticket


def test_sending_a_reply_records_its_scorecard_after_commit(
    ticket, django_capture_on_commit_callbacks
) -> None:
    macros_sync_from_taxonomy(actor=ACTOR)
    agent = UserFactory(username="ana_agent", role="agent")

    with django_capture_on_commit_callbacks(execute=True):
        result = reply_send(
            ticket=ticket, text=GOOD, actor=Actor.of_user(agent), author=agent,
            macro_slug="delivery_delay_update",
        )  # fmt: skip

    card = Scorecard.objects.get(message=result.message)
    assert (card.overall, card.factual, card.policy, card.next_step, card.personalisation,
            card.tone) == (100, 100, 100, 100, 100, 100)  # fmt: skip
    assert (card.agent_id, card.reason_id, card.macro.slug, card.guardrail_report_id) == (
        agent.pk, "delivery_delay", "delivery_delay_update", result.report.pk,
    )  # fmt: skip
    assert card.reasons["next_step"] == ['Next step: "you can follow"', 'Time frame: "20 November"']
    assert QAReview.objects.count() == 0


def test_a_low_scoring_reply_goes_to_the_review_queue_at_once(ticket) -> None:
    agent = UserFactory(role="agent")
    message = MessageFactory(
        ticket=ticket, direction=Direction.OUTBOUND, author_customer=None, author_user=agent,
        body_text="Obviously you should have read the terms. The fee is 37.45 EUR.",
    )  # fmt: skip

    card = scorecard_record(message_id=message.pk)

    assert card is not None
    # factual 60 (unknown amount), policy 100, next step 0, personalisation 0, tone 40
    # (two blaming phrases): 0.30·60 + 0.25·100 + 0.15·40 = 49
    assert (card.factual, card.policy, card.next_step, card.personalisation, card.tone) == (
        60, 100, 0, 0, 40,
    )  # fmt: skip
    assert card.overall == 49
    review = QAReview.objects.get(scorecard=card)
    assert (review.sample_reason, review.status) == (SampleReason.LOW_SCORE, ReviewStatus.PENDING)
    assert scorecard_record(message_id=message.pk) == card  # computed once
    assert AuditEvent.objects.filter(action="quality.scorecard_recorded").count() == 1


def test_only_replies_get_a_scorecard(ticket) -> None:
    inbound = ticket.messages.get()

    assert scorecard_record(message_id=inbound.pk) is None


def _card(*, agent, reason="delivery_delay", macro=None, overall=80, sent_at=MONDAY):
    ticket = TicketFactory(contact_reason=reason)
    message = MessageFactory(
        ticket=ticket, direction=Direction.OUTBOUND, author_customer=None, author_user=agent,
        created_at=sent_at,
    )  # fmt: skip
    return Scorecard.objects.create(
        message=message, ticket=ticket, agent=agent, reason_id=reason, macro=macro,
        overall=overall, factual=overall, policy=overall, next_step=overall,
        personalisation=overall, tone=overall, scorer_version="1", sent_at=sent_at,
        created_at=sent_at,
    )  # fmt: skip


def test_weekly_sample_takes_the_share_per_agent_once() -> None:
    config = QualityConfig.from_mapping(
        {"sampling": {"share": 0.1, "seed": "t"}, "rubric": {"criteria": [{"id": "a"}]}}
    )
    ana, bob = UserFactory(role="agent"), UserFactory(role="agent")
    ana_cards = [_card(agent=ana, sent_at=MONDAY + dt.timedelta(hours=i)) for i in range(15)]
    bob_cards = [_card(agent=bob) for _ in range(5)]
    low = _card(agent=bob, overall=20)
    QAReview.objects.create(
        scorecard=low, week=MONDAY.date(), sample_reason=SampleReason.LOW_SCORE, created_at=MONDAY
    )
    _card(agent=ana, sent_at=MONDAY - dt.timedelta(days=14))  # outside the two weeks

    created = reviews_sample(now=MONDAY + dt.timedelta(days=2), config=config)

    random = QAReview.objects.filter(sample_reason=SampleReason.RANDOM)
    ana_ids = sorted(random.filter(scorecard__agent=ana).values_list("scorecard_id", flat=True))
    bob_ids = sorted(random.filter(scorecard__agent=bob).values_list("scorecard_id", flat=True))
    seed = "t:2026-11-16"
    assert created == 3  # ceil(0.1 × 15) = 2 for ana, ceil(0.1 × 6) = 1 for bob
    assert ana_ids == sample_pick(
        candidates=[c.pk for c in ana_cards], total=15, already=0, share=0.1, seed=seed
    )
    assert bob_ids == sample_pick(
        candidates=[c.pk for c in bob_cards], total=6, already=0, share=0.1, seed=seed
    )
    assert reviews_sample(now=MONDAY + dt.timedelta(days=3), config=config) == 0


def test_rubric_reviews_aggregate_by_agent_reason_and_macro(ticket) -> None:
    macros_sync_from_taxonomy(actor=ACTOR)
    macro = Macro.objects.get(slug="delivery_delay_update")
    lead = UserFactory(username="lead", role="lead")
    ana, bob = UserFactory(username="ana", role="agent"), UserFactory(username="bob", role="agent")
    cards = [
        _card(agent=ana, macro=macro, overall=80),
        _card(agent=ana, reason="wrong_item", overall=60),
        _card(agent=bob, macro=macro, overall=90),
    ]
    scores = [
        {"accuracy": 5, "policy": 5, "resolution": 4, "empathy": 4, "personalisation": 2},  # 4.0
        {"accuracy": 2, "policy": 3, "resolution": 2, "empathy": 3, "personalisation": 5},  # 3.0
        {"accuracy": 4, "policy": 4, "resolution": 5, "empathy": 5, "personalisation": 2},  # 4.0
    ]
    for card, rubric in zip(cards, scores, strict=True):
        review = QAReview.objects.create(
            scorecard=card, week=MONDAY.date(), sample_reason=SampleReason.RANDOM,
            created_at=MONDAY,
        )  # fmt: skip
        review_submit(
            review_id=review.pk, reviewer=lead, scores=rubric, comment=" ok ",
            actor=Actor.of_user(lead),
        )  # fmt: skip

    by_agent = qa_results(by="agent")
    by_macro = qa_results(by="macro")
    by_reason = qa_results(by="reason")

    assert [(r.key, r.reviews, r.mean_score, r.auto_score) for r in by_agent] == [
        ("ana", 2, 3.5, 70.0), ("bob", 1, 4.0, 90.0),
    ]  # fmt: skip
    assert by_agent[0].criteria == {
        "accuracy": 3.5, "policy": 4.0, "resolution": 3.0, "empathy": 3.5, "personalisation": 3.5,
    }  # fmt: skip
    assert [(r.key, r.reviews, r.mean_score) for r in by_macro] == [
        ("(no macro)", 1, 3.0), ("delivery_delay_update", 2, 4.0),
    ]  # fmt: skip
    assert [(r.key, r.reviews, r.auto_score) for r in by_reason] == [
        ("delivery_delay", 2, 85.0), ("wrong_item", 1, 60.0),
    ]  # fmt: skip
    assert qa_results_csv(by_reason, by="reason", criteria=CRITERIA) == (
        "reason,reviews,mean_score,accuracy,policy,resolution,empathy,personalisation,auto_score\n"
        "delivery_delay,2,4.00,4.50,4.50,4.50,4.50,2.00,85.00\n"
        "wrong_item,1,3.00,2.00,3.00,2.00,3.00,5.00,60.00\n"
    )
    done = QAReview.objects.get(scorecard=cards[0])
    assert (done.status, done.mean_score, done.comment, done.reviewer_id) == (
        ReviewStatus.DONE, 4.0, "ok", lead.pk,
    )  # fmt: skip


def test_an_incomplete_rubric_is_refused() -> None:
    lead = UserFactory(role="lead")
    review = QAReview.objects.create(
        scorecard=_card(agent=lead), week=MONDAY.date(), sample_reason=SampleReason.RANDOM,
        created_at=MONDAY,
    )  # fmt: skip

    with pytest.raises(ValidationError, match="Score policy from 1 to 5"):
        review_submit(
            review_id=review.pk, reviewer=lead, scores={"accuracy": 3}, comment="",
            actor=Actor.of_user(lead),
        )  # fmt: skip
    assert QAReview.objects.get(pk=review.pk).status == ReviewStatus.PENDING


def test_api_scores_a_review_and_exports_csv() -> None:
    lead = UserFactory(username="lead", role="lead")
    review = QAReview.objects.create(
        scorecard=_card(agent=UserFactory(username="cy", role="agent"), overall=55),
        week=MONDAY.date(), sample_reason=SampleReason.LOW_SCORE, created_at=MONDAY,
    )  # fmt: skip
    client = Client()
    client.force_login(lead)
    rubric = dict.fromkeys(quality_config().criterion_ids, 3)

    scored = client.post(
        f"/api/v1/quality/reviews/{review.pk}/score",
        json.dumps({"scores": rubric, "comment": "fine"}), content_type="application/json",
    )  # fmt: skip
    csv = client.get("/api/v1/quality/results?by=agent&format=csv")

    assert scored.status_code == 200
    assert (scored.json()["status"], scored.json()["mean_score"]) == ("done", 3.0)
    assert csv.content.decode().splitlines()[1] == "cy,1,3.00,3.00,3.00,3.00,3.00,3.00,55.00"
