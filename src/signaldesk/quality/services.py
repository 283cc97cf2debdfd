"""Writes for response quality: the scorecard of a sent reply, the weekly QA sample and a lead's
rubric review.

- `scorecard_record` runs after a reply is sent (replies.services.reply_send enqueues
  quality.scorecard_record on commit). It reuses the guardrail findings recorded when the reply
  was checked (GuardrailReport) or, for replies that did not go through reply_send (imports),
  runs the same checks; a score below `low_score_below` puts the reply in the QA queue at once.
- `reviews_sample` (periodic, quality.sample_reviews) tops each agent's weekly random sample
  up to ceil(share × replies that week).
- `review_submit` stores a lead's 1–5 score per rubric criterion and a comment."""

from __future__ import annotations

import datetime as dt
import logging
from collections import defaultdict
from collections.abc import Mapping

from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction
from django.utils import timezone

from signaldesk.core.audit import Actor, audit_record
from signaldesk.core.errors import NotFound, ValidationError
from signaldesk.quality.models import QAReview, ReviewStatus, SampleReason, Scorecard
from signaldesk.quality.rubric import (
    QualityConfig,
    quality_config,
    rubric_mean,
    rubric_validate,
    sample_pick,
    week_start,
)
from signaldesk.quality.scorecard import (
    SCORER_VERSION,
    ReplyFacts,
    findings_from_dicts,
    score_reply,
)
from signaldesk.replies.grounding import TicketGrounding, guardrail_policy, ticket_grounding
from signaldesk.replies.guardrails import check_reply
from signaldesk.replies.models import GuardrailReport, MacroUse
from signaldesk.tickets.models import Direction, Message

logger = logging.getLogger(__name__)
ACTOR = Actor.system("quality")
MAX_COMMENT = 4000


def reply_facts(
    grounding: TicketGrounding, *, sentiment: float | None, language: str
) -> ReplyFacts:
    def fact(key: str) -> str:
        found = grounding.facts.get(key)
        return found.value if found is not None else ""

    items = (
        tuple(line.name for line in grounding.order.lines.all())
        if grounding.order is not None
        else ()
    )
    return ReplyFacts(
        customer_name=fact("customer_name"),
        order_number=fact("order_number"),
        tracking_number=fact("tracking_number"),
        items=items,
        customer_sentiment=sentiment,
        language=language or "en",
    )


@transaction.atomic
def scorecard_record(
    *, message_id: int, actor: Actor = ACTOR, config: QualityConfig | None = None
) -> Scorecard | None:
    """The scorecard of an outbound message, computed once (a second call returns the stored
    one). None for messages that are not replies to the customer."""
    config = config or quality_config()
    message = (
        Message.objects.select_for_update(of=("self",))
        .select_related("ticket", "ticket__customer")
        .filter(pk=message_id)
        .first()
    )
    if message is None:
        raise NotFound(f"No message #{message_id}.")
    if message.direction != Direction.OUTBOUND:
        return None
    existing = Scorecard.objects.filter(message_id=message.pk).first()
    if existing is not None:
        return existing
    ticket = message.ticket
    grounding = ticket_grounding(ticket=ticket)
    report = GuardrailReport.objects.filter(message_id=message.pk).order_by("-id").first()
    if report is not None:
        findings = findings_from_dicts(report.findings)
    else:
        findings = check_reply(message.body_text, grounding.context, guardrail_policy())
    facts = reply_facts(grounding, sentiment=ticket.sentiment, language=ticket.language)
    card = score_reply(message.body_text, findings, facts)
    use = MacroUse.objects.filter(message_id=message.pk).order_by("-id").first()
    now = timezone.now()
    scorecard = Scorecard.objects.create(
        message=message,
        ticket=ticket,
        agent_id=message.author_user_id or ticket.assignee_id,
        reason_id=ticket.contact_reason,
        macro_id=use.macro_id if use is not None else None,
        guardrail_report=report,
        overall=card.overall,
        **card.scores(),
        reasons=card.reasons(),
        scorer_version=SCORER_VERSION,
        sent_at=message.created_at,
        created_at=now,
    )
    audit_record(
        actor=actor,
        action="quality.scorecard_recorded",
        obj=scorecard,
        after={"message_id": message.pk, "overall": card.overall, **card.scores()},
    )
    if card.overall < config.low_score_below:
        QAReview.objects.create(
            scorecard=scorecard,
            week=week_start(message.created_at.astimezone(dt.UTC)),
            sample_reason=SampleReason.LOW_SCORE,
            created_at=now,
        )
        audit_record(
            actor=actor,
            action="quality.review_queued",
            obj=scorecard,
            after={"reason": SampleReason.LOW_SCORE, "overall": card.overall},
        )
    return scorecard


@transaction.atomic
def reviews_sample(
    *, now: dt.datetime, actor: Actor = ACTOR, config: QualityConfig | None = None, weeks: int = 2
) -> int:
    """Top up the random QA sample of each agent for this week and the `weeks - 1` before it.
    Idempotent: a group already at its size gets nothing new. Returns the reviews created."""
    config = config or quality_config()
    this_week = week_start(now.astimezone(dt.UTC))
    created = 0
    for back in range(weeks):
        monday = this_week - dt.timedelta(days=7 * back)
        start = dt.datetime.combine(monday, dt.time.min, tzinfo=dt.UTC)
        rows = Scorecard.objects.filter(
            sent_at__gte=start, sent_at__lt=start + dt.timedelta(days=7), agent_id__isnull=False
        ).values_list("id", "agent_id", "review__sample_reason")
        total: dict[int, int] = defaultdict(int)
        already: dict[int, int] = defaultdict(int)
        candidates: dict[int, list[int]] = defaultdict(list)
        for scorecard_id, agent_id, reason in rows:
            total[agent_id] += 1
            if reason == SampleReason.RANDOM:
                already[agent_id] += 1
            elif reason is None:
                candidates[agent_id].append(scorecard_id)
        picks = [
            scorecard_id
            for agent_id in sorted(total)
            for scorecard_id in sample_pick(
                candidates=candidates[agent_id],
                total=total[agent_id],
                already=already[agent_id],
                share=config.share,
                seed=f"{config.seed}:{monday.isoformat()}",
            )
        ]
        QAReview.objects.bulk_create(
            QAReview(scorecard_id=scorecard_id, week=monday, sample_reason=SampleReason.RANDOM,
                     created_at=now)
            for scorecard_id in picks
        )  # fmt: skip
        if picks:
            audit_record(
                actor=actor,
                action="quality.reviews_sampled",
                object_type="quality.qareview",
                after={"week": monday.isoformat(), "scorecards": picks, "share": config.share},
            )
        created += len(picks)
    return created


@transaction.atomic
def review_submit(
    *,
    review_id: int,
    reviewer: AbstractBaseUser,
    scores: Mapping[str, object],
    comment: str,
    actor: Actor,
    config: QualityConfig | None = None,
) -> QAReview:
    """Score a reply in the QA queue with the rubric (every criterion 1–5) and a comment. A
    reviewed reply can be scored again; the audit event keeps the previous scores."""
    config = config or quality_config()
    review = QAReview.objects.select_for_update().filter(pk=review_id).first()
    if review is None:
        raise NotFound(f"No QA review #{review_id}.")
    try:
        clean = rubric_validate(scores, config.criterion_ids)
    except ValueError as exc:
        raise ValidationError(str(exc), code="invalid_rubric") from exc
    text = comment.strip()
    if len(text) > MAX_COMMENT:
        raise ValidationError(f"Keep the comment under {MAX_COMMENT} characters.", code="too_long")
    before = {"status": review.status, "scores": review.scores, "comment": review.comment}
    review.status = ReviewStatus.DONE
    review.reviewer_id = reviewer.pk
    review.rubric_version = config.rubric_version
    review.scores = clean
    review.mean_score = rubric_mean(clean)
    review.comment = text
    review.reviewed_at = timezone.now()
    review.save(
        update_fields=["status", "reviewer", "rubric_version", "scores", "mean_score", "comment",
                       "reviewed_at"]
    )  # fmt: skip
    audit_record(
        actor=actor,
        action="quality.review_submitted",
        obj=review,
        before=before,
        after={"status": review.status, "scores": clean, "mean_score": review.mean_score},
    )
    return review
