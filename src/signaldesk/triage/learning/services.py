"""Writes of the learning loop: request/run a retrain, activate/roll back a model version,
store a prediction, record an agent's correction. Each is one transaction and audited."""

from __future__ import annotations

import logging
from collections.abc import Sequence
from typing import Any, cast

from django.conf import settings
from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from signaldesk.core.audit import Actor, audit_record
from signaldesk.core.errors import Conflict, NotFound, ValidationError
from signaldesk.taxonomy.selectors import active_taxonomy
from signaldesk.tickets import actions
from signaldesk.tickets.models import Ticket
from signaldesk.triage.learning import registry
from signaldesk.triage.learning.models import (
    ModelStatus,
    ModelVersion,
    ReasonCorrection,
    ReasonPrediction,
)
from signaldesk.triage.learning.trainer import train
from signaldesk.triage.learning.training import training_set
from signaldesk.triage.ml import DEFAULT_KIND, Prediction
from signaldesk.triage.ml.features import MODEL_KINDS, ModelKind

logger = logging.getLogger(__name__)

HUMAN_SOURCES = ("agent", "tag_mapping", "import", "self_service")


def classifier_kind() -> ModelKind:
    """SIGNALDESK_CLASSIFIER_KIND when set, else the ML core's documented default."""
    kind = getattr(settings, "SIGNALDESK_CLASSIFIER_KIND", "") or DEFAULT_KIND
    if kind not in MODEL_KINDS:
        raise ValidationError(
            f"SIGNALDESK_CLASSIFIER_KIND={kind!r}; choose one of {', '.join(MODEL_KINDS)}.",
            code="invalid_kind",
        )
    return cast(ModelKind, kind)


def _audit_version(actor: Actor, action: str, version: ModelVersion, **after: Any) -> None:
    audit_record(
        actor=actor, action=action, obj=version, after={"version": version.version, **after}
    )


@transaction.atomic
def model_version_create(*, actor: Actor, kind: str | None = None) -> ModelVersion:
    """A new version row in status "training" (the number is the next free one)."""
    kind = kind or classifier_kind()
    if kind not in MODEL_KINDS:
        raise ValidationError(f"Unknown model kind {kind!r}.", code="invalid_kind")
    # lock the newest row so concurrent requests number their versions one after the other
    ModelVersion.objects.select_for_update().order_by("-version").values_list("pk").first()
    latest = ModelVersion.objects.aggregate(n=Max("version"))["n"] or 0
    version = ModelVersion.objects.create(
        version=latest + 1,
        kind=kind,
        status=ModelStatus.TRAINING,
        requested_at=timezone.now(),
        trained_by_id=actor.user_id,
        trained_by_label=actor.label,
        target_precision=float(getattr(settings, "SIGNALDESK_CLASSIFIER_TARGET_PRECISION", 0.95)),
    )
    _audit_version(actor, "classifier.retrain_requested", version, kind=kind)
    return version


def model_retrain_request(*, actor: Actor, kind: str | None = None) -> ModelVersion:
    """Create a version row and enqueue its training once the transaction commits."""
    from signaldesk.triage.learning.tasks import retrain_task

    with transaction.atomic():
        version = model_version_create(actor=actor, kind=kind)
        version_id = version.pk
        transaction.on_commit(lambda: retrain_task.delay(version_id))
    return version


def model_train(*, version_id: int, actor: Actor, activate: bool = True) -> ModelVersion:
    """Train the requested version (idempotent: a version that is not "training" is returned
    as it is). On success the version becomes ready (and active when `activate`); on failure
    it is marked failed with the error, and the active model is left alone."""
    version = ModelVersion.objects.filter(pk=version_id).first()
    if version is None:
        raise NotFound(f"No model version {version_id}.")
    if version.status != ModelStatus.TRAINING:
        return version
    try:
        taxonomy = active_taxonomy()
        data = training_set(taxonomy)
        if len(data.labels) < 2:
            raise ValidationError("Training needs at least 2 reasons with 2+ examples each.")
        trained = train(
            data, kind=cast(ModelKind, version.kind), target_precision=version.target_precision
        )
        path = registry.artefact_path(version.version)
        trained.model.save(path)
    except Exception as exc:
        logger.exception("classifier.train_failed", extra={"version": version.version})
        ModelVersion.objects.filter(pk=version.pk).update(
            status=ModelStatus.FAILED, error=f"{type(exc).__name__}: {exc}"[:5000]
        )
        version.refresh_from_db()
        _audit_version(actor, "classifier.train_failed", version, error=version.error)
        return version
    with transaction.atomic():
        version = ModelVersion.objects.select_for_update().get(pk=version.pk)
        version.status = ModelStatus.READY
        version.trained_at = timezone.now()
        version.taxonomy_version = taxonomy.version
        version.training_summary = data.summary()
        version.metrics = trained.metrics
        version.thresholds = trained.thresholds
        version.artefact_path = str(path)
        version.error = ""
        version.save()
        _audit_version(
            actor, "classifier.trained", version,
            accuracy=trained.metrics.get("accuracy"), n_examples=len(data.examples),
        )  # fmt: skip
        if activate:
            model_activate(version_id=version.pk, actor=actor)
    logger.info("classifier.trained", extra={"version": version.version, "kind": version.kind})
    version.refresh_from_db()
    return version


@transaction.atomic
def model_activate(*, version_id: int, actor: Actor) -> ModelVersion:
    """Make a ready version the only active one (audited with the previous active version)."""
    versions = {v.pk: v for v in ModelVersion.objects.select_for_update().filter(is_active=True)}
    target = ModelVersion.objects.select_for_update().filter(pk=version_id).first()
    if target is None:
        raise NotFound(f"No model version {version_id}.")
    if target.status != ModelStatus.READY:
        raise Conflict(f"Model v{target.version} is {target.status}, not ready.", code="not_ready")
    previous = next(iter(versions.values()), None)
    if previous is not None and previous.pk == target.pk:
        return target
    ModelVersion.objects.filter(is_active=True).update(is_active=False)
    target.is_active = True
    target.save(update_fields=["is_active"])
    audit_record(
        actor=actor,
        action="classifier.version_activated",
        obj=target,
        before={"version": previous.version if previous else None},
        after={"version": target.version},
    )
    return target


@transaction.atomic
def model_rollback(*, actor: Actor) -> ModelVersion:
    """Activate the newest ready version older than the active one."""
    active = ModelVersion.objects.select_for_update().filter(is_active=True).first()
    if active is None:
        raise Conflict("No model is active; nothing to roll back.", code="no_active_model")
    previous = (
        ModelVersion.objects.filter(status=ModelStatus.READY, version__lt=active.version)
        .order_by("-version")
        .first()
    )
    if previous is None:
        raise Conflict(f"No ready version older than v{active.version}.", code="no_previous")
    return model_activate(version_id=previous.pk, actor=actor)


@transaction.atomic
def prediction_record(
    *, ticket: Ticket, loaded: registry.LoadedModel, reason: str, confidence: float,
    top3: list[tuple[str, float]], needs_review: bool, threshold: float | None,
) -> ReasonPrediction:  # fmt: skip
    """Store a prediction; it replaces the ticket's earlier predictions in the review queue."""
    now = timezone.now()
    ReasonPrediction.objects.filter(ticket_id=ticket.pk, needs_review=True).update(
        needs_review=False
    )
    return ReasonPrediction.objects.create(
        ticket_id=ticket.pk,
        model_version_id=loaded.version_id,
        reason=reason,
        confidence=confidence,
        threshold=threshold,
        top3=[[label, round(p, 6)] for label, p in top3],
        needs_review=needs_review,
        created_at=now,
    )


def prediction_record_many(
    *, tickets: Sequence[Ticket], loaded: registry.LoadedModel,
    predictions: Sequence[Prediction], reviews: Sequence[tuple[bool, float | None]],
) -> None:  # fmt: skip
    """`prediction_record` for many tickets (distinct) in two statements: the tickets' earlier
    predictions leave the review queue, the new ones are inserted in one bulk insert."""
    if not tickets:
        return
    now = timezone.now()
    ReasonPrediction.objects.filter(
        ticket_id__in=[t.pk for t in tickets], needs_review=True
    ).update(needs_review=False)
    rows = [
        ReasonPrediction(
            ticket_id=ticket.pk,
            model_version_id=loaded.version_id,
            reason=pred.label,
            confidence=pred.confidence,
            threshold=threshold,
            top3=[[label, round(p, 6)] for label, p in pred.top3],
            needs_review=needs_review,
            created_at=now,
        )
        for ticket, pred, (needs_review, threshold) in zip(
            tickets, predictions, reviews, strict=True
        )
    ]
    ReasonPrediction.objects.bulk_create(
        rows,
        batch_size=500,
    )


@transaction.atomic
def reason_correct(*, ticket: Ticket, reason_id: str, actor: Actor) -> ReasonCorrection:
    """An agent sets (or confirms) a ticket's reason: the ticket gets reason_source="agent"
    (tickets/actions.ticket_set_reason, audited), a ReasonCorrection records what the model or
    mapping said before, and the ticket leaves the needs-review queue."""
    taxonomy = active_taxonomy()
    allowed = frozenset(taxonomy.ids)
    before = Ticket.objects.select_for_update().filter(pk=ticket.pk).first()
    if before is None:
        raise NotFound(f"Ticket {ticket.pk} does not exist.")
    latest = (
        ReasonPrediction.objects.filter(ticket_id=ticket.pk)
        .order_by("-created_at", "-id")
        .values_list("model_version_id", flat=True)
        .first()
    )
    updated = actions.ticket_set_reason(
        ticket=before,
        reason=reason_id,
        allowed=allowed,
        actor=actor,
        taxonomy_version=taxonomy.version,
    )
    now = timezone.now()
    correction = ReasonCorrection.objects.create(
        ticket_id=ticket.pk,
        from_reason=before.contact_reason,
        from_source=before.reason_source,
        from_confidence=before.reason_confidence,
        to_reason=updated.contact_reason,
        model_version_id=latest,
        corrected_by_id=actor.user_id,
        corrected_by_label=actor.label,
        corrected_at=now,
    )
    ReasonPrediction.objects.filter(ticket_id=ticket.pk, needs_review=True).update(
        needs_review=False, reviewed_at=now, reviewed_by_label=actor.label
    )
    return correction
