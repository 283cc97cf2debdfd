"""Fixtures for the learning loop: models are written under a temporary VAR_DIR, trained with
the fast "tfidf" kind, and the process-level model cache starts empty in every test."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from django.conf import LazySettings

from signaldesk.core.audit import Actor
from signaldesk.triage.enrichment.catalog import catalog_invalidate
from signaldesk.triage.learning import registry
from signaldesk.triage.learning.models import ModelVersion
from signaldesk.triage.learning.services import model_train, model_version_create


@pytest.fixture(autouse=True)
def _learning_settings(settings: LazySettings, tmp_path: Path) -> Iterator[None]:
    settings.VAR_DIR = tmp_path
    settings.SIGNALDESK_CLASSIFIER_KIND = "tfidf"
    settings.SIGNALDESK_CLASSIFIER_TARGET_PRECISION = 0.95
    registry.clear_cache()
    catalog_invalidate()
    yield
    registry.clear_cache()


@pytest.fixture
def actor() -> Actor:
    return Actor.system("test")


@pytest.fixture
def train_version(db: None, actor: Actor) -> Callable[[], ModelVersion]:
    """Train (and activate) the next model version synchronously."""

    def make() -> ModelVersion:
        version = model_version_create(actor=actor)
        return model_train(version_id=version.pk, actor=actor)

    return make
