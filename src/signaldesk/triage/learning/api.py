"""/api/v1/classifier: predict, model versions (list, activate, retrain), review queue and
agent corrections."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.http import HttpRequest
from ninja import Field, Router, Schema, Status

from signaldesk.accounts.api_auth import api_auth, authorize
from signaldesk.core.audit import Actor
from signaldesk.core.errors import Conflict, NotFound
from signaldesk.tickets.models import Ticket
from signaldesk.triage.classification import predict_text
from signaldesk.triage.learning import selectors, services
from signaldesk.triage.learning.models import ModelVersion, ReasonPrediction

classifier_router = Router(auth=api_auth, tags=["classifier"])


class PredictIn(Schema):
    text: str = Field(..., min_length=1, max_length=20_000)


class ScoredReason(Schema):
    reason: str
    confidence: float


class PredictOut(Schema):
    reason: str
    confidence: float
    top3: list[ScoredReason]
    needs_review: bool
    threshold: float | None
    model_version: int


class VersionOut(Schema):
    id: int
    version: int
    kind: str
    status: str
    is_active: bool
    requested_at: dt.datetime
    trained_at: dt.datetime | None
    trained_by: str = Field(..., alias="trained_by_label")
    taxonomy_version: str
    training_summary: dict[str, Any]
    metrics: dict[str, Any]
    target_precision: float
    thresholds: dict[str, float | None]
    error: str


class ReviewItemOut(Schema):
    prediction_id: int
    ticket_id: int
    subject: str
    reason: str
    confidence: float
    threshold: float | None
    top3: list[ScoredReason]
    model_version: int
    created_at: dt.datetime


class CorrectionIn(Schema):
    ticket_id: int
    reason: str = Field(..., min_length=1, max_length=60)


class CorrectionOut(Schema):
    id: int
    ticket_id: int
    from_reason: str
    from_source: str
    from_confidence: float | None
    to_reason: str
    model_version: int | None
    corrected_at: dt.datetime


def _scored(top3: list[Any]) -> list[ScoredReason]:
    return [ScoredReason(reason=str(r), confidence=float(c)) for r, c in top3]


@classifier_router.post("/predict", response=PredictOut)
def predict(request: HttpRequest, payload: PredictIn) -> PredictOut:
    """The active model's prediction for a text (nothing is stored). 409 when no model is
    trained yet."""
    authorize(request, "tickets.read")
    prediction = predict_text(payload.text)
    if prediction is None:
        raise Conflict("No classifier model is active yet; retrain first.", code="no_model")
    return PredictOut(
        reason=prediction.reason,
        confidence=prediction.confidence,
        top3=_scored(prediction.top3),
        needs_review=prediction.needs_review,
        threshold=prediction.threshold,
        model_version=int(prediction.model_version),
    )


@classifier_router.get("/versions", response=list[VersionOut])
def versions(request: HttpRequest) -> list[ModelVersion]:
    authorize(request, "models.manage")
    return list(selectors.model_versions())


@classifier_router.post("/versions/{version_id}/activate", response=VersionOut)
def activate(request: HttpRequest, version_id: int) -> ModelVersion:
    authorize(request, "models.manage")
    return services.model_activate(version_id=version_id, actor=Actor.of_user(request.user))


@classifier_router.post("/retrain", response={202: VersionOut})
def retrain(request: HttpRequest, kind: str | None = None) -> Status[ModelVersion]:
    """Queue a retrain (``?kind=tfidf|embed|combined``, default: the configured kind); the new
    version (status "training") is returned at once."""
    authorize(request, "models.manage")
    version = services.model_retrain_request(actor=Actor.of_user(request.user), kind=kind)
    return Status(202, version)


@classifier_router.get("/review-queue", response=list[ReviewItemOut])
def review_queue(request: HttpRequest, limit: int = 50) -> list[ReviewItemOut]:
    authorize(request, "tickets.review")
    rows: list[ReasonPrediction] = list(selectors.review_queue()[: max(1, min(limit, 500))])
    return [
        ReviewItemOut(
            prediction_id=p.pk,
            ticket_id=p.ticket_id,
            subject=p.ticket.subject,
            reason=p.reason,
            confidence=p.confidence,
            threshold=p.threshold,
            top3=_scored(p.top3),
            model_version=p.model_version.version,
            created_at=p.created_at,
        )
        for p in rows
    ]


@classifier_router.post("/corrections", response={201: CorrectionOut})
def correct(request: HttpRequest, payload: CorrectionIn) -> Status[CorrectionOut]:
    authorize(request, "tickets.review")
    ticket = Ticket.objects.filter(pk=payload.ticket_id).first()
    if ticket is None:
        raise NotFound(f"Ticket {payload.ticket_id} does not exist.")
    c = services.reason_correct(
        ticket=ticket, reason_id=payload.reason, actor=Actor.of_user(request.user)
    )
    version = c.model_version.version if c.model_version is not None else None
    out = CorrectionOut(
        id=c.pk, ticket_id=c.ticket_id, from_reason=c.from_reason, from_source=c.from_source,
        from_confidence=c.from_confidence, to_reason=c.to_reason, model_version=version,
        corrected_at=c.corrected_at,
    )  # fmt: skip
    return Status(201, out)
