"""GET /api/v1/knowledge/gaps (knowledge.gaps): repeated self-service questions without a good
answer, with suggested article outlines."""

from __future__ import annotations

import datetime as dt

from django.http import HttpRequest
from django.utils import timezone
from ninja import Field, Query, Router, Schema

from signaldesk.accounts.api_auth import api_auth, authorize
from signaldesk.knowledge.selectors import knowledge_gaps, questions_summary

knowledge_router = Router(auth=api_auth, tags=["knowledge"])


class GapsQuery(Schema):
    days: int = Field(30, ge=1, le=366)


class FaqOut(Schema):
    question: str
    count: int


class GapOut(Schema):
    title: str
    count: int
    escalated: int
    keywords: list[str]
    mean_score: float
    best_slugs: list[str]
    reason_id: str
    questions: list[FaqOut]
    outline: list[str]


class GapsOut(Schema):
    days: int
    asked: int
    weak: int
    gaps: list[GapOut]


@knowledge_router.get("/gaps", response=GapsOut)
def knowledge_gaps_list(request: HttpRequest, filters: Query[GapsQuery]) -> GapsOut:
    authorize(request, "knowledge.gaps")
    since = timezone.now() - dt.timedelta(days=filters.days)
    summary = questions_summary(since=since)
    return GapsOut(
        days=filters.days,
        asked=summary["asked"],
        weak=summary["weak"],
        gaps=[
            GapOut(
                title=g.title,
                count=g.count,
                escalated=g.escalated,
                keywords=list(g.keywords),
                mean_score=g.mean_score,
                best_slugs=list(g.best_slugs),
                reason_id=g.reason_id,
                questions=[FaqOut(question=q, count=n) for q, n in g.questions],
                outline=list(g.outline),
            )
            for g in knowledge_gaps(since=since)
        ],
    )
