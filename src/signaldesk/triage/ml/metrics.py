"""Evaluation metrics for the contact-reason classifier (pure numpy).

Conventions used throughout:

* An item is *accepted* (auto-routed) when ``confidence >= threshold``.
* ``coverage_at_precision(conf, correct, target)`` is the *oracle* figure on the data given:
  the largest share of items that can be accepted by one global threshold while precision
  among the accepted items stays ``>= target``. Ties in confidence are never split.
* ``threshold_for_precision`` returns the threshold realising that coverage, so that it can
  be chosen on held-out (cross-validated) predictions and then applied to new data.
* An unreachable target gives the threshold ``math.inf`` (nothing is accepted).
"""

from __future__ import annotations

import math
import time
from collections import Counter
from collections.abc import Callable, Hashable, Sequence
from typing import TypedDict, TypeVar

import numpy as np
from numpy.typing import ArrayLike
from statsmodels.stats.proportion import proportion_confint

L = TypeVar("L", bound=Hashable)


class ClassStats(TypedDict):
    precision: float
    recall: float
    support: int


def accuracy(y_true: Sequence[object], y_pred: Sequence[object]) -> float:
    """Share of exact matches; 0.0 for empty input."""
    if len(y_true) != len(y_pred):
        raise ValueError("y_true and y_pred differ in length")
    if not y_true:
        return 0.0
    return sum(1 for a, b in zip(y_true, y_pred, strict=True) if a == b) / len(y_true)


def per_class[L: Hashable](y_true: Sequence[L], y_pred: Sequence[L]) -> dict[L, ClassStats]:
    """Precision, recall and support of every label seen in ``y_true`` or ``y_pred``.

    Precision of a label never predicted is 0.0; recall of a label with no support is 0.0.
    """
    tp: Counter[L] = Counter()
    pred_count: Counter[L] = Counter(y_pred)
    support: Counter[L] = Counter(y_true)
    for a, b in zip(y_true, y_pred, strict=True):
        if a == b:
            tp[a] += 1
    labels = sorted(set(support) | set(pred_count), key=str)
    out: dict[L, ClassStats] = {}
    for label in labels:
        p = tp[label] / pred_count[label] if pred_count[label] else 0.0
        r = tp[label] / support[label] if support[label] else 0.0
        out[label] = ClassStats(precision=p, recall=r, support=support[label])
    return out


def macro_f1[L: Hashable](y_true: Sequence[L], y_pred: Sequence[L]) -> float:
    """Unweighted mean F1 over the labels that occur in ``y_true``."""
    stats = per_class(y_true, y_pred)
    f1s = []
    for s in stats.values():
        if s["support"] == 0:
            continue
        p, r = s["precision"], s["recall"]
        f1s.append(2 * p * r / (p + r) if p + r else 0.0)
    return float(np.mean(f1s)) if f1s else 0.0


def _prefix_curve(
    confidences: ArrayLike, correct: ArrayLike
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Candidate thresholds (descending), precision and accepted count at each."""
    conf = np.asarray(confidences, dtype=np.float64).ravel()
    ok = np.asarray(correct, dtype=bool).ravel()
    if conf.shape != ok.shape:
        raise ValueError("confidences and correct differ in length")
    order = np.argsort(-conf, kind="stable")
    conf_sorted = conf[order]
    hits = np.cumsum(ok[order])
    count = np.arange(1, conf.size + 1)
    # only cut after the last item of a run of equal confidences
    last_of_tie = np.append(conf_sorted[1:] != conf_sorted[:-1], True)
    return conf_sorted[last_of_tie], hits[last_of_tie] / count[last_of_tie], count[last_of_tie]


def threshold_for_precision(
    confidences: ArrayLike,
    correct: ArrayLike,
    target: float,
    *,
    confidence_level: float | None = None,
) -> float:
    """Lowest threshold whose accepted set ``{conf >= t}`` has precision ``>= target``.

    With ``confidence_level`` (e.g. 0.95) the *one-sided Wilson lower bound* of the accepted
    set's precision must reach the target, not the observed precision: a threshold picked on
    cross-validation predictions then still holds on new data with that confidence instead of
    landing just under the target half of the time. Returns ``math.inf`` when no non-empty
    accepted set reaches the target.
    """
    thresholds, precision, count = _prefix_curve(confidences, correct)
    if confidence_level is not None and count.size:
        hits = np.rint(precision * count)
        alpha = 2.0 * (1.0 - confidence_level)
        lower, _upper = proportion_confint(hits, count, alpha=alpha, method="wilson")
        precision = np.asarray(lower, dtype=np.float64)
    good = np.nonzero(precision >= target)[0]
    if good.size == 0:
        return math.inf
    return float(thresholds[good[-1]])


def coverage_at_precision(confidences: ArrayLike, correct: ArrayLike, target: float) -> float:
    """Oracle coverage: largest share of items acceptable at precision ``>= target``."""
    _thresholds, precision, count = _prefix_curve(confidences, correct)
    if count.size == 0:
        return 0.0
    good = np.nonzero(precision >= target)[0]
    if good.size == 0:
        return 0.0
    return float(count[good[-1]] / count[-1])


def coverage_and_precision_at(
    confidences: ArrayLike, correct: ArrayLike, threshold: float
) -> tuple[float, float]:
    """(coverage, precision) of the accepted set ``{conf >= threshold}``.

    Precision of an empty accepted set is reported as 1.0 (no accepted item is wrong).
    """
    conf = np.asarray(confidences, dtype=np.float64).ravel()
    ok = np.asarray(correct, dtype=bool).ravel()
    if conf.size == 0:
        return 0.0, 1.0
    accepted = conf >= threshold
    n = int(accepted.sum())
    precision = float(ok[accepted].mean()) if n else 1.0
    return n / conf.size, precision


def thresholds_for_precision[L: Hashable](
    confidences: ArrayLike,
    predicted: Sequence[L],
    correct: ArrayLike,
    target: float,
    min_support: int = 20,
    *,
    confidence_level: float | None = None,
) -> dict[L, float]:
    """Per-reason thresholds for a needs-review queue.

    For every predicted label the threshold is chosen (as in ``threshold_for_precision``)
    among the items predicted as that label. Labels predicted fewer than ``min_support``
    times get the global threshold over all items. Labels never predicted are absent:
    callers should use ``thresholds.get(label, threshold_for_precision(...))``.
    """
    conf = np.asarray(confidences, dtype=np.float64).ravel()
    ok = np.asarray(correct, dtype=bool).ravel()
    pred = list(predicted)
    if not (conf.size == ok.size == len(pred)):
        raise ValueError("confidences, predicted and correct differ in length")
    fallback = threshold_for_precision(conf, ok, target, confidence_level=confidence_level)
    out: dict[L, float] = {}
    labels = sorted(set(pred), key=str)
    pred_arr = np.empty(len(pred), dtype=object)
    pred_arr[:] = pred
    for label in labels:
        mask = pred_arr == label
        if int(mask.sum()) < min_support:
            out[label] = fallback
        else:
            out[label] = threshold_for_precision(
                conf[mask], ok[mask], target, confidence_level=confidence_level
            )
    return out


def latency_ms(fn: Callable[[str], object], items: Sequence[str], warmup: int = 5) -> list[float]:
    """Wall-clock milliseconds of ``fn(item)`` for each item (after ``warmup`` calls)."""
    for item in items[:warmup]:
        fn(item)
    out = []
    for item in items:
        start = time.perf_counter()
        fn(item)
        out.append((time.perf_counter() - start) * 1000.0)
    return out


def percentile(values: Sequence[float], q: float) -> float:
    """``q``-th percentile (0-100, linear interpolation); 0.0 for no values."""
    if not values:
        return 0.0
    return float(np.percentile(np.asarray(values, dtype=np.float64), q))


def p99_ms(fn: Callable[[str], object], items: Sequence[str], warmup: int = 5) -> float:
    """99th percentile single-item latency of ``fn`` in milliseconds."""
    return percentile(latency_ms(fn, items, warmup=warmup), 99.0)
