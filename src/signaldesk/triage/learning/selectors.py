"""Reads of the learning loop: model versions and the needs-review queue."""

from __future__ import annotations

from django.db.models import QuerySet

from signaldesk.core.errors import NotFound
from signaldesk.triage.learning.models import ModelVersion, ReasonPrediction


def model_versions() -> QuerySet[ModelVersion]:
    return ModelVersion.objects.order_by("-version")


def model_version_get(*, version_id: int) -> ModelVersion:
    version = ModelVersion.objects.filter(pk=version_id).first()
    if version is None:
        raise NotFound(f"No model version {version_id}.")
    return version


def review_queue() -> QuerySet[ReasonPrediction]:
    """Low-confidence predictions still standing on their ticket (reason_source "model"),
    oldest first. One row per ticket: a newer prediction clears the older one's flag."""
    return (
        ReasonPrediction.objects.filter(needs_review=True, ticket__reason_source="model")
        .select_related("ticket", "model_version")
        .order_by("created_at", "id")
    )


def review_count() -> int:
    return review_queue().count()
