"""The demo's last step (demo/setup_steps.py): sent replies with QA scores and survey answers,
so the QA, follow-up and CSAT pages are not empty. Everything goes through the services an
operator or a customer would use; random choices come from a seeded generator.

1. The demo agents send the grounded draft on a few open tickets (replies.services.reply_send,
   which scores each sent reply); the last reply of recently solved tickets is scored too.
2. The weekly QA sample is drawn and the demo lead scores part of the queue with the rubric.
3. Due surveys are sent (the periodic job's service) and a share is answered through the
   signed link, with scores skewed like real CSAT (mostly 4–5, some low: those open follow-ups).
"""

from __future__ import annotations

import datetime as dt
import random

from django.contrib.auth import get_user_model
from django.utils import timezone

from signaldesk.core.audit import Actor
from signaldesk.followup.config import survey_config, survey_token
from signaldesk.followup.models import Survey
from signaldesk.followup.services import survey_answer, surveys_send_due
from signaldesk.quality.models import QAReview, ReviewStatus
from signaldesk.quality.rubric import quality_config
from signaldesk.quality.services import review_submit, reviews_sample, scorecard_record
from signaldesk.replies.drafts import draft_build
from signaldesk.replies.services import reply_send
from signaldesk.tickets.models import OPEN_STATUSES, Direction, Message, Ticket, TicketStatus

DEMO_AGENTS = ("agent", "agent_de", "agent_fr")
REPLIES = 12
SOLVED_SCORED = 120
ANSWER_SHARE = 0.6
REVIEW_SHARE = 0.6
CSAT_WEIGHTS = (0.06, 0.06, 0.13, 0.35, 0.40)  # of CSAT 1, 2, 3, 4, 5


def _send_drafts(rng: random.Random) -> int:
    users = {u.username: u for u in get_user_model().objects.filter(username__in=DEMO_AGENTS)}
    agents = [users[name] for name in DEMO_AGENTS if name in users]
    if not agents:
        return 0
    tickets = list(
        Ticket.objects.filter(status__in=OPEN_STATUSES, first_response_at__isnull=True)
        .exclude(order__isnull=True)
        .select_related("customer")
        .order_by("pk")[: REPLIES * 4]
    )
    sent = 0
    for ticket in tickets:
        if sent >= REPLIES:
            break
        agent = agents[sent % len(agents)]
        draft = draft_build(ticket=ticket, agent=agent)
        if draft.missing or any(f.severity == "block" for f in draft.findings):
            continue
        result = reply_send(
            ticket=ticket, text=draft.text, actor=Actor.of_user(agent), author=agent,
            macro_slug=draft.macro_id,
        )  # fmt: skip
        sent += result.sent
    return sent


def _score_solved() -> int:
    solved = Ticket.objects.filter(status__in=(TicketStatus.SOLVED, TicketStatus.CLOSED))
    ids = list(solved.order_by("-solved_at").values_list("pk", flat=True)[:SOLVED_SCORED])
    last: dict[int, int] = {}
    for ticket_id, message_id in (
        Message.objects.filter(ticket_id__in=ids, direction=Direction.OUTBOUND)
        .order_by("ticket_id", "created_at", "id")
        .values_list("ticket_id", "id")
    ):
        last[ticket_id] = message_id
    return sum(scorecard_record(message_id=m) is not None for m in last.values())


def _review(rng: random.Random) -> int:
    lead = get_user_model().objects.filter(username="lead").first()
    if lead is None:
        return 0
    criteria = quality_config().criterion_ids
    done = 0
    for review in (
        QAReview.objects.filter(status=ReviewStatus.PENDING)
        .select_related("scorecard")
        .order_by("pk")
    ):
        if rng.random() > REVIEW_SHARE:
            continue
        base = 2 if review.scorecard.overall < 60 else 4
        scores = {c: max(1, min(5, base + rng.choice((-1, 0, 0, 1)))) for c in criteria}
        review_submit(
            review_id=review.pk, reviewer=lead, scores=scores, comment="Demo review.",
            actor=Actor.of_user(lead),
        )  # fmt: skip
        done += 1
    return done


def _answer(rng: random.Random, now: dt.datetime) -> tuple[int, int]:
    config = survey_config()
    answered = low = 0
    for survey in Survey.objects.filter(answered_at__isnull=True).order_by("pk"):
        if rng.random() > ANSWER_SHARE:
            continue
        csat = rng.choices(range(1, 6), weights=CSAT_WEIGHTS)[0]
        nps = min(10, max(0, 2 * csat + rng.choice((-2, -1, 0, 0, 1))))
        token = survey_token(
            survey_id=survey.pk, nonce=survey.nonce, expires_at=survey.sent_at + config.link_max_age
        )
        survey_answer(token=token, csat=csat, nps=nps, comment="", now=now)
        answered += 1
        low += csat <= config.low_csat_at_most or nps <= config.low_nps_at_most
    return answered, low


def demo_quality_and_surveys(*, seed: int = 7) -> str:
    rng = random.Random(seed)
    now = timezone.now()
    replies = _send_drafts(rng)
    scored = _score_solved()
    sampled = reviews_sample(now=now)
    reviewed = _review(rng)
    surveys = surveys_send_due(now=now).sent
    answered, low = _answer(rng, now)
    return (
        f"{replies} drafts sent, {scored} solved replies scored, {sampled} sampled for QA, "
        f"{reviewed} reviewed; {surveys} surveys sent, {answered} answered ({low} follow-ups)"
    )
