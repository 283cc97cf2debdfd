"""The contact-reason classifier hook called by the triage pipeline.

`classify_ticket` asks the active model of the registry (triage/learning) for the ticket's
reason. It returns None while no model has been trained and activated (a fresh install before
the first `signaldesk model retrain`, or when the model file cannot be read): triage then leaves
the contact reason alone. Nothing here pretends to classify.

The prediction is stored as a `ReasonPrediction` (top-3, threshold, needs-review flag) for
tickets whose reason is still the model's to set (reason_source "" or "model"); the triage
pipeline applies it to the ticket (contact_reason, reason_confidence, reason_source="model"),
never over an agent's, import's or tag mapping's reason."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from signaldesk.tickets.models import Ticket

if TYPE_CHECKING:
    from signaldesk.triage.learning.registry import LoadedModel
    from signaldesk.triage.ml import Prediction

MODEL_SOURCES = ("", "model")


@dataclass(frozen=True)
class ReasonPrediction:
    """The predicted contact reason, its calibrated probability and where it came from."""

    reason: str
    confidence: float
    model_version: str = ""
    taxonomy_version: str = ""
    top3: list[tuple[str, float]] = field(default_factory=list)
    needs_review: bool = False
    threshold: float | None = None


def predict_text(text: str) -> ReasonPrediction | None:
    """The active model's prediction for a text, stored nowhere; None without a model."""
    from signaldesk.triage.learning.registry import active_model

    loaded = active_model()
    if loaded is None or not text.strip():
        return None
    return _predict(loaded, text)


def _predict(loaded: LoadedModel, text: str) -> ReasonPrediction:
    return _prediction(loaded, loaded.classifier.predict_one(text))


def _prediction(loaded: LoadedModel, pred: Prediction) -> ReasonPrediction:
    needs_review, threshold = loaded.needs_review(pred)
    return ReasonPrediction(
        reason=pred.label,
        confidence=pred.confidence,
        model_version=str(loaded.version),
        taxonomy_version=loaded.taxonomy_version,
        top3=list(pred.top3),
        needs_review=needs_review,
        threshold=threshold,
    )


def classify_ticket(*, ticket: Ticket, text: str) -> ReasonPrediction | None:
    """Predict the contact reason of `ticket` from its cleaned inbound `text`; see module doc."""
    from signaldesk.triage.learning.registry import active_model
    from signaldesk.triage.learning.services import prediction_record

    loaded = active_model()
    if loaded is None or not text.strip():
        return None
    prediction = _predict(loaded, text)
    if ticket.reason_source in MODEL_SOURCES:
        prediction_record(
            ticket=ticket,
            loaded=loaded,
            reason=prediction.reason,
            confidence=prediction.confidence,
            top3=prediction.top3,
            needs_review=prediction.needs_review,
            threshold=prediction.threshold,
        )
    return prediction


def classify_tickets(
    *,
    tickets: Sequence[Ticket],
    texts: Sequence[str],
    predicted: tuple[int, Sequence[Prediction | None]] | None = None,
) -> list[ReasonPrediction | None]:
    """`classify_ticket` for a chunk of tickets: one model lookup, one vectorised `predict`
    over all non-blank texts (row-wise features and scores: the same numbers as one at a time),
    and the predictions stored with two statements (`prediction_record_many`). `predicted`
    = (model version id, predictions) computed elsewhere (the batch's worker processes) is used
    when it came from the model that is still active."""
    from signaldesk.triage.enrichment.parallel import predict_texts
    from signaldesk.triage.learning.registry import active_model
    from signaldesk.triage.learning.services import prediction_record_many

    out: list[ReasonPrediction | None] = [None] * len(tickets)
    loaded = active_model()
    if loaded is None:
        return out
    if predicted is not None and predicted[0] == loaded.version_id:
        preds = list(predicted[1])
    else:
        preds = predict_texts(loaded.classifier, texts)
    recorded: list[tuple[Ticket, Prediction]] = []
    for i, pred in enumerate(preds):
        if pred is None:
            continue
        out[i] = _prediction(loaded, pred)
        if tickets[i].reason_source in MODEL_SOURCES:
            recorded.append((tickets[i], pred))
    prediction_record_many(
        tickets=[t for t, _ in recorded],
        loaded=loaded,
        predictions=[p for _, p in recorded],
        reviews=[loaded.needs_review(p) for _, p in recorded],
    )
    return out
