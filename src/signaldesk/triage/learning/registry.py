"""The active model, loaded once per process and reloaded when the active version changes.

The cheap check is one indexed query for the active version's id per call; the artefact is only
read from disk when that id differs from the cached one."""

from __future__ import annotations

import logging
import threading
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings

from signaldesk.triage.learning.models import ModelStatus, ModelVersion
from signaldesk.triage.ml import ModelFormatError, Prediction, ReasonClassifier

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class LoadedModel:
    version_id: int
    version: int
    taxonomy_version: str
    thresholds: dict[str, float | None]
    classifier: ReasonClassifier

    def needs_review(self, prediction: Prediction) -> tuple[bool, float | None]:
        """(needs review, threshold): below the reason's threshold, or no threshold at all."""
        threshold = self.thresholds.get(prediction.label)
        return threshold is None or prediction.confidence < threshold, threshold


_LOCK = threading.Lock()
_CACHE: dict[int, ReasonClassifier] = {}  # version id → classifier (only the active one kept)


def model_dir() -> Path:
    return Path(settings.VAR_DIR) / "models"


def artefact_path(version: int) -> Path:
    return model_dir() / f"{version}.joblib"


def active_model() -> LoadedModel | None:
    """The active, ready model, or None when no model has been trained/activated (or its file
    cannot be read: logged as classifier.model_unreadable)."""
    row = (
        ModelVersion.objects.filter(is_active=True, status=ModelStatus.READY)
        .values_list("pk", "version", "taxonomy_version", "thresholds", "artefact_path")
        .first()
    )
    if row is None:
        return None
    pk, version, taxonomy_version, thresholds, path = row
    classifier = _CACHE.get(pk)
    if classifier is None:
        with _LOCK:
            classifier = _CACHE.get(pk)
            if classifier is None:
                try:
                    classifier = ReasonClassifier.load(path)
                except ModelFormatError as exc:
                    logger.error(
                        "classifier.model_unreadable", extra={"version": version, "error": str(exc)}
                    )
                    return None
                _CACHE.clear()
                _CACHE[pk] = classifier
                logger.info("classifier.model_loaded", extra={"version": version})
    return LoadedModel(pk, version, taxonomy_version, dict(thresholds or {}), classifier)


def clear_cache() -> None:
    with _LOCK:
        _CACHE.clear()
