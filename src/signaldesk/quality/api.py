"""Response quality API: /api/v1/quality/… — the QA review queue and rubric scoring (leads),
QA results by agent/reason/macro (JSON or CSV), and the scorecards of a ticket (staff)."""

from __future__ import annotations

import datetime as dt

from django.http import HttpRequest, HttpResponse
from ninja import Field, Query, Router, Schema

from signaldesk.accounts.api_auth import api_auth, authorize
from signaldesk.core.audit import Actor
from signaldesk.quality.models import QAReview, ReviewStatus, Scorecard
from signaldesk.quality.rubric import ResultRow, quality_config
from signaldesk.quality.selectors import (
    qa_results,
    qa_results_csv,
    review_queue,
    scorecards_for_ticket,
)
from signaldesk.quality.services import review_submit

quality_router = Router(auth=api_auth, tags=["quality"])
LIST_LIMIT = 200


class ScorecardOut(Schema):
    id: int
    message_id: int
    ticket_id: int
    agent: str | None
    reason_id: str
    macro: str | None
    overall: int
    factual: int
    policy: int
    next_step: int
    personalisation: int
    tone: int
    reasons: dict[str, list[str]]
    sent_at: dt.datetime

    @staticmethod
    def of(card: Scorecard) -> ScorecardOut:
        return ScorecardOut(
            id=card.pk, message_id=card.message_id, ticket_id=card.ticket_id,
            agent=card.agent.get_username() if card.agent else None, reason_id=card.reason_id,
            macro=card.macro.slug if card.macro else None, overall=card.overall,
            factual=card.factual, policy=card.policy, next_step=card.next_step,
            personalisation=card.personalisation, tone=card.tone, reasons=card.reasons,
            sent_at=card.sent_at,
        )  # fmt: skip


class ReviewOut(Schema):
    id: int
    status: str
    sample_reason: str
    week: dt.date
    scorecard: ScorecardOut
    reply: str
    scores: dict[str, int]
    mean_score: float | None
    comment: str
    reviewer: str | None

    @staticmethod
    def of(review: QAReview) -> ReviewOut:
        return ReviewOut(
            id=review.pk, status=review.status, sample_reason=review.sample_reason,
            week=review.week, scorecard=ScorecardOut.of(review.scorecard),
            reply=review.scorecard.message.body_text, scores=review.scores,
            mean_score=review.mean_score, comment=review.comment,
            reviewer=review.reviewer.get_username() if review.reviewer else None,
        )  # fmt: skip


class ReviewFilters(Schema):
    status: str = Field(ReviewStatus.PENDING, description="pending or done")


class ScoreIn(Schema):
    scores: dict[str, int]
    comment: str = ""


class ResultFilters(Schema):
    by: str = Field("agent", description="agent, reason or macro")
    since: dt.datetime | None = None
    until: dt.datetime | None = None
    format: str = Field("json", description="json or csv")


class ResultOut(Schema):
    key: str
    reviews: int
    mean_score: float
    criteria: dict[str, float]
    auto_score: float

    @staticmethod
    def of(row: ResultRow) -> ResultOut:
        return ResultOut(
            key=row.key, reviews=row.reviews, mean_score=row.mean_score,
            criteria=row.criteria, auto_score=row.auto_score,
        )  # fmt: skip


def csv_response(rows: list[ResultRow], by: str) -> HttpResponse:
    body = qa_results_csv(rows, by=by, criteria=quality_config().criterion_ids)
    response = HttpResponse(body, content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="qa-results-by-{by}.csv"'
    return response


@quality_router.get("/reviews", response=list[ReviewOut])
def list_reviews(request: HttpRequest, filters: Query[ReviewFilters]) -> list[ReviewOut]:
    authorize(request, "quality.review")
    return [ReviewOut.of(r) for r in review_queue(status=filters.status)[:LIST_LIMIT]]


@quality_router.post("/reviews/{review_id}/score", response=ReviewOut)
def score_review(request: HttpRequest, review_id: int, payload: ScoreIn) -> ReviewOut:
    authorize(request, "quality.review")
    review = review_submit(
        review_id=review_id, reviewer=request.user, scores=dict(payload.scores),  # type: ignore[arg-type]
        comment=payload.comment, actor=Actor.of_user(request.user),
    )  # fmt: skip
    return ReviewOut.of(review_queue(status=review.status).get(pk=review.pk))


@quality_router.get("/results", response=list[ResultOut])
def results(request: HttpRequest, filters: Query[ResultFilters]) -> list[ResultOut] | HttpResponse:
    authorize(request, "quality.review")
    rows = qa_results(by=filters.by, since=filters.since, until=filters.until)
    if filters.format == "csv":
        return csv_response(rows, filters.by)
    return [ResultOut.of(row) for row in rows]


@quality_router.get("/tickets/{ticket_id}/scorecards", response=list[ScorecardOut])
def ticket_scorecards(request: HttpRequest, ticket_id: int) -> list[ScorecardOut]:
    authorize(request, "tickets.read")
    return [ScorecardOut.of(card) for card in scorecards_for_ticket(ticket_id=ticket_id)]
