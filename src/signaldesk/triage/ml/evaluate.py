"""Train/test evaluation of the contact-reason classifier.

``coverage_at_precision`` in the result is *honest*: the confidence threshold for each
precision target is chosen on out-of-fold predictions on the training file (stored in the
model) and then applied unchanged to the test file. ``coverage_detail`` also gives the
threshold, the precision realised on the test file and the oracle coverage (threshold chosen
on the test file itself, an upper bound).

Unknown test labels (never seen in training) stay in the test set - every such row is
necessarily an error - and are reported under ``unknown_test_labels``.
"""

from __future__ import annotations

import logging
import random
import time
from collections import Counter
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

import numpy as np
from numpy.typing import NDArray

from .classifier import PRECISION_TARGETS, ReasonClassifier
from .data import check_training_labels, read_table
from .encoder import EmbeddingCache, get_encoder
from .features import ModelKind
from .metrics import (
    accuracy,
    coverage_and_precision_at,
    coverage_at_precision,
    macro_f1,
    p99_ms,
    per_class,
)

log = logging.getLogger(__name__)

Progress = Callable[[str], None]


def _noop(_: str) -> None:
    return None


def _embeddings(
    model: ReasonClassifier, texts: Sequence[str], cache: EmbeddingCache | None
) -> NDArray[np.float32] | None:
    if not model.uses_embeddings:
        return None
    if cache is None:
        return model.embed(texts)
    cfg = model.config
    out = cache.encode(get_encoder(cfg.max_length, poolings=cfg.poolings), texts)
    cache.save()
    return out


def score_predictions(
    model: ReasonClassifier,
    y_true: Sequence[str],
    y_pred: Sequence[str],
    confidences: NDArray[np.float64],
) -> dict[str, Any]:
    """Accuracy, macro F1, per-class figures and coverage at the model's CV thresholds."""
    correct = np.array([a == b for a, b in zip(y_true, y_pred, strict=True)], dtype=bool)
    coverage: dict[str, float] = {}
    detail: dict[str, dict[str, float | None]] = {}
    for target in PRECISION_TARGETS:
        key = f"{target:.2f}"
        oracle = coverage_at_precision(confidences, correct, target)
        threshold = model.thresholds.get(key)
        if threshold is None:  # model trained without calibration folds
            coverage[key] = oracle
            detail[key] = {"threshold": None, "precision": None, "oracle_coverage": oracle}
            continue
        cov, prec = coverage_and_precision_at(confidences, correct, threshold)
        coverage[key] = cov
        detail[key] = {
            "threshold": threshold if np.isfinite(threshold) else None,
            "precision": prec,
            "oracle_coverage": oracle,
        }
    stats = per_class(list(y_true), list(y_pred))
    return {
        "accuracy": accuracy(list(y_true), list(y_pred)),
        "macro_f1": macro_f1(list(y_true), list(y_pred)),
        "per_class": {str(k): dict(v) for k, v in stats.items()},
        "coverage_at_precision": coverage,
        "coverage_detail": detail,
    }


def evaluate_texts(
    train_texts: Sequence[str],
    train_labels: Sequence[str],
    test_texts: Sequence[str],
    test_labels: Sequence[str],
    kind: ModelKind = "combined",
    cache: EmbeddingCache | None = None,
    latency_samples: int = 200,
    progress: Progress = _noop,
) -> dict[str, Any]:
    """Train on one set, measure on another; see module docstring for the fields."""
    model = ReasonClassifier(kind=kind)
    progress(f"training {kind} model on {len(train_texts)} texts")
    start, cpu_start = time.perf_counter(), time.process_time()
    emb = _embeddings(model, train_texts, cache)
    model.fit(train_texts, train_labels, embeddings=emb)
    train_seconds = time.perf_counter() - start
    train_cpu_seconds = time.process_time() - cpu_start

    progress(f"predicting {len(test_texts)} texts")
    start = time.perf_counter()
    preds = model.predict(test_texts)  # no cache: throughput includes encoding
    predict_seconds = time.perf_counter() - start
    y_pred = [p.label for p in preds]
    confidences = np.array([p.confidence for p in preds])

    progress("measuring single-ticket latency")
    sample = list(test_texts)
    random.Random(0).shuffle(sample)
    p99 = p99_ms(model.predict_one, sample[:latency_samples])

    known = set(model.classes_)
    unknown = Counter(label for label in test_labels if label not in known)
    result: dict[str, Any] = {"model": kind}
    result.update(score_predictions(model, test_labels, y_pred, confidences))
    result.update(
        {
            "predictions_per_second": len(test_texts) / predict_seconds,
            "p99_ms": p99,
            "n_train": len(train_texts),
            "n_test": len(test_texts),
            "train_seconds": train_seconds,
            "train_cpu_seconds": train_cpu_seconds,
            "cv_accuracy": model.cv_accuracy,
            "temperature": model.temperature,
            "unknown_test_labels": dict(unknown),
        }
    )
    return result


def evaluate_files(
    train_csv: str | Path,
    test_csv: str | Path,
    text_column: str = "text",
    label_column: str = "category",
    kind: ModelKind = "combined",
    cache_path: str | Path | None = None,
    progress: Progress = _noop,
) -> dict[str, Any]:
    """Train on ``train_csv``, evaluate on ``test_csv``; returns a JSON-able dict.

    Keys: ``accuracy``, ``macro_f1``, ``per_class``, ``coverage_at_precision``
    (``{"0.95": x, "0.98": y}``), ``predictions_per_second``, ``p99_ms``, ``model``,
    ``n_train``, ``n_test``, ``train_seconds``, plus ``coverage_detail``,
    ``train_cpu_seconds``, ``cv_accuracy``, ``temperature``, ``unknown_test_labels`` and
    ``warnings``.
    Raises ``ClassifierInputError`` for unusable input.
    """
    train = read_table(train_csv, text_column, label_column)
    check_training_labels(train)
    test = read_table(test_csv, text_column, label_column)
    warnings = train.warnings + test.warnings
    for w in warnings:
        log.warning(w)
    cache = EmbeddingCache(cache_path) if cache_path is not None else None
    assert train.labels is not None and test.labels is not None
    result = evaluate_texts(
        train.texts, train.labels, test.texts, test.labels, kind, cache, progress=progress
    )
    if result["unknown_test_labels"]:
        msg = (
            f"{test.path}: {sum(result['unknown_test_labels'].values())} row(s) have labels "
            f"never seen in training: {', '.join(sorted(result['unknown_test_labels']))}"
        )
        log.warning(msg)
        warnings.append(msg)
    result["warnings"] = warnings
    return result


def cross_validate(
    texts: Sequence[str],
    labels: Sequence[str],
    kind: ModelKind = "combined",
    folds: int = 5,
    embeddings: NDArray[np.float32] | None = None,
    random_state: int = 0,
) -> dict[str, Any]:
    """Stratified K-fold accuracy (``embeddings``: optional precomputed rows for speed)."""
    from sklearn.model_selection import StratifiedKFold

    y = np.array(labels)
    accs: list[float] = []
    skf = StratifiedKFold(folds, shuffle=True, random_state=random_state)
    for tr, te in skf.split(np.zeros(len(y)), y):
        model = ReasonClassifier(kind=kind, calibration_folds=0)
        model.fit([texts[i] for i in tr], y[tr].tolist(), _rows(embeddings, tr))
        pred = model.predict([texts[i] for i in te], _rows(embeddings, te))
        accs.append(accuracy(y[te].tolist(), [p.label for p in pred]))
    return {"model": kind, "folds": folds, "accuracy": float(np.mean(accs)), "fold_accuracy": accs}


def few_shot(
    texts: Sequence[str],
    labels: Sequence[str],
    per_class_n: int = 20,
    kind: ModelKind = "combined",
    embeddings: NDArray[np.float32] | None = None,
    seeds: Sequence[int] = (0, 1, 2),
) -> dict[str, Any]:
    """Train on ``per_class_n`` random examples per label, test on all remaining rows."""
    accs: list[float] = []
    for seed in seeds:
        rng = random.Random(seed)
        by_label: dict[str, list[int]] = {}
        for i, label in enumerate(labels):
            by_label.setdefault(label, []).append(i)
        train_idx: list[int] = []
        for label in sorted(by_label):
            idx = by_label[label]
            train_idx.extend(rng.sample(idx, min(per_class_n, len(idx))))
        chosen = set(train_idx)
        test_idx = [i for i in range(len(texts)) if i not in chosen]
        tr = np.array(train_idx)
        te = np.array(test_idx)
        model = ReasonClassifier(kind=kind)
        model.fit([texts[i] for i in tr], [labels[i] for i in tr], _rows(embeddings, tr))
        pred = model.predict([texts[i] for i in te], _rows(embeddings, te))
        accs.append(accuracy([labels[i] for i in te], [p.label for p in pred]))
    return {
        "model": kind,
        "per_class": per_class_n,
        "seeds": list(seeds),
        "accuracy": float(np.mean(accs)),
        "seed_accuracy": accs,
    }


def _rows(emb: NDArray[np.float32] | None, idx: NDArray[np.int64]) -> NDArray[np.float32] | None:
    return emb[idx] if emb is not None else None
