"""Follow-up API: /api/v1/followup/… — CSAT/NPS results by reason, agent, channel or macro,
macro outcomes (uses, reopen rate, CSAT/NPS and QA score after the macro), and the follow-ups
that low survey answers opened (leads)."""

from __future__ import annotations

import datetime as dt

from django.http import HttpRequest
from django.utils import timezone
from ninja import Field, Query, Router, Schema

from signaldesk.accounts.api_auth import api_auth, authorize
from signaldesk.core.audit import Actor
from signaldesk.followup.models import FollowUp, FollowUpStatus
from signaldesk.followup.selectors import MacroOutcome, followups, macro_outcomes, survey_results
from signaldesk.followup.services import followup_close
from signaldesk.followup.stats import SurveyResult

followup_router = Router(auth=api_auth, tags=["followup"])
LIST_LIMIT = 200


class Period(Schema):
    since: dt.datetime | None = None
    until: dt.datetime | None = None


class ResultFilters(Period):
    by: str = Field("reason", description="reason, agent, channel or macro")


class SurveyResultOut(Schema):
    key: str
    responses: int
    csat_responses: int
    csat_mean: float | None
    csat_satisfied_pct: float | None
    nps_responses: int
    nps: float | None

    @staticmethod
    def of(row: SurveyResult) -> SurveyResultOut:
        return SurveyResultOut(**row.__dict__)


class MacroOutcomeOut(Schema):
    slug: str
    title: str
    reason_id: str
    uses: int
    reopened_uses: int
    reopen_rate: float | None
    surveys: int
    csat_mean: float | None
    csat_satisfied_pct: float | None
    nps: float | None
    auto_score: float | None

    @staticmethod
    def of(row: MacroOutcome) -> MacroOutcomeOut:
        return MacroOutcomeOut(**row.__dict__)


class FollowUpFilters(Schema):
    status: str = Field(FollowUpStatus.OPEN, description="open or done")


class FollowUpOut(Schema):
    id: int
    ticket_id: int
    status: str
    trigger: str
    summary: str
    comment: str
    created_at: dt.datetime
    closed_at: dt.datetime | None
    note: str

    @staticmethod
    def of(f: FollowUp) -> FollowUpOut:
        return FollowUpOut(
            id=f.pk, ticket_id=f.ticket_id, status=f.status, trigger=f.trigger,
            summary=f.summary, comment=f.survey.comment, created_at=f.created_at,
            closed_at=f.closed_at, note=f.note,
        )  # fmt: skip


class CloseIn(Schema):
    note: str


@followup_router.get("/results", response=list[SurveyResultOut])
def results(request: HttpRequest, filters: Query[ResultFilters]) -> list[SurveyResultOut]:
    authorize(request, "metrics.read")
    rows = survey_results(by=filters.by, since=filters.since, until=filters.until)
    return [SurveyResultOut.of(row) for row in rows]


@followup_router.get("/macros", response=list[MacroOutcomeOut])
def macros(request: HttpRequest, filters: Query[Period]) -> list[MacroOutcomeOut]:
    authorize(request, "metrics.read")
    rows = macro_outcomes(since=filters.since, until=filters.until)
    return [MacroOutcomeOut.of(row) for row in rows]


@followup_router.get("/followups", response=list[FollowUpOut])
def list_followups(request: HttpRequest, filters: Query[FollowUpFilters]) -> list[FollowUpOut]:
    authorize(request, "followup.manage")
    return [FollowUpOut.of(f) for f in followups(status=filters.status)[:LIST_LIMIT]]


@followup_router.post("/followups/{followup_id}/close", response=FollowUpOut)
def close(request: HttpRequest, followup_id: int, payload: CloseIn) -> FollowUpOut:
    authorize(request, "followup.manage")
    closed = followup_close(
        followup_id=followup_id, note=payload.note, user=request.user,  # type: ignore[arg-type]
        actor=Actor.of_user(request.user), now=timezone.now(),
    )  # fmt: skip
    return FollowUpOut.of(followups(status=closed.status).get(pk=closed.pk))
