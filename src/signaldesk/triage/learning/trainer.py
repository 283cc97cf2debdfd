"""Fit a ReasonClassifier on a TrainingSet: held-out evaluation, final fit, review thresholds.

Evaluation: a stratified 80/20 split of the distinct examples (weighted copies of corrections
only on the training side, so nothing leaks), scored with ``triage.ml.evaluate``. The final
model is then fitted on every example. Per-reason thresholds come from the final model's
out-of-fold predictions (``ReasonClassifier.threshold``) at the target precision; when the
target is not one the core computes per reason, the global out-of-fold threshold is used. An
unreachable target (or an uncalibrated model) gives ``None``: every such prediction is reviewed.
"""

from __future__ import annotations

import math
import time
from dataclasses import dataclass
from typing import Any

import numpy as np
from sklearn.model_selection import train_test_split

from signaldesk.triage.learning.training import Example, TrainingSet
from signaldesk.triage.ml import ReasonClassifier
from signaldesk.triage.ml.classifier import THRESHOLD_CONFIDENCE
from signaldesk.triage.ml.evaluate import score_predictions
from signaldesk.triage.ml.features import ModelKind
from signaldesk.triage.ml.metrics import threshold_for_precision

HOLDOUT_SHARE = 0.2


@dataclass
class Trained:
    model: ReasonClassifier
    metrics: dict[str, Any]
    thresholds: dict[str, float | None]


def _expand(examples: list[Example]) -> tuple[list[str], list[str]]:
    texts: list[str] = []
    labels: list[str] = []
    for e in examples:
        texts.extend([e.text] * e.weight)
        labels.extend([e.label] * e.weight)
    return texts, labels


def _holdout(examples: list[Example], kind: ModelKind) -> dict[str, Any] | None:
    labels = [e.label for e in examples]
    n_test = math.ceil(len(examples) * HOLDOUT_SHARE)
    if n_test < len(set(labels)) or len(examples) - n_test < len(set(labels)):
        return None
    train, test = train_test_split(
        examples, test_size=n_test, stratify=labels, random_state=0, shuffle=True
    )
    if len({e.label for e in train}) < 2:
        return None
    model = ReasonClassifier(kind=kind)
    model.fit(*_expand(train))
    preds = model.predict([e.text for e in test])
    y_true = [e.label for e in test]
    scored = score_predictions(
        model, y_true, [p.label for p in preds], np.array([p.confidence for p in preds])
    )
    scored["n_train"] = len(train)
    scored["n_test"] = len(test)
    return scored


def _finite(value: float) -> float | None:
    return float(value) if math.isfinite(value) else None


def review_thresholds(model: ReasonClassifier, target: float) -> dict[str, float | None]:
    """reason → confidence a prediction needs to skip review (None: always review)."""
    key = f"{target:.2f}"
    if not model.calibrated:
        return {label: None for label in model.classes_}
    if key in model.thresholds:
        return {label: _finite(model.threshold(label, target)) for label in model.classes_}
    fallback = _finite(
        threshold_for_precision(
            model.cv_confidences,
            model.cv_correct,
            target,
            confidence_level=THRESHOLD_CONFIDENCE,
        )
    )
    return {label: fallback for label in model.classes_}


def train(training: TrainingSet, *, kind: ModelKind, target_precision: float) -> Trained:
    """Evaluate on a held-out split, fit on everything, derive the review thresholds."""
    started = time.perf_counter()
    holdout = _holdout(training.examples, kind)
    model = ReasonClassifier(kind=kind)
    model.fit(*_expand(training.examples))
    metrics: dict[str, Any] = {
        "evaluation": "holdout" if holdout is not None else "none (too few examples)",
        "cv_accuracy": model.cv_accuracy,
        "temperature": model.temperature,
        "train_seconds": round(time.perf_counter() - started, 3),
    }
    if holdout is not None:
        metrics.update(holdout)
    return Trained(model, metrics, review_thresholds(model, target_precision))
