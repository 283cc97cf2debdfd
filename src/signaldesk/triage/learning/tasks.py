"""Background jobs of the learning loop: thin, idempotent wrappers that take ids."""

from __future__ import annotations

from signaldesk.config.celery import celery_app
from signaldesk.core.audit import Actor


@celery_app.task(name="triage_learning.retrain", acks_late=True)
def retrain_task(version_id: int | None = None) -> int:
    """Train the requested model version (a version already trained or failed is left as it
    is, so a redelivered task does nothing). Without an id (the weekly schedule) a new version
    is created first. Returns the version id."""
    from signaldesk.triage.learning.services import model_train, model_version_create

    actor = Actor.system("classifier.retrain")
    if version_id is None:
        version_id = model_version_create(actor=actor).pk
    return model_train(version_id=version_id, actor=actor).pk
