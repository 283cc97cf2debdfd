import math

import pytest

from signaldesk.triage.ml.metrics import (
    accuracy,
    coverage_and_precision_at,
    coverage_at_precision,
    macro_f1,
    p99_ms,
    per_class,
    percentile,
    threshold_for_precision,
    thresholds_for_precision,
)

# sorted by confidence: 0.9 ok, 0.8 ok, 0.7 wrong, 0.6 ok, 0.5 ok, 0.4 wrong
CONF = [0.5, 0.9, 0.7, 0.4, 0.8, 0.6]
OK = [True, True, False, False, True, True]


def test_accuracy_and_per_class() -> None:
    y_true = ["a", "a", "b", "b", "c"]
    y_pred = ["a", "b", "b", "b", "a"]
    assert accuracy(y_true, y_pred) == 0.6
    stats = per_class(y_true, y_pred)
    assert stats["a"] == {"precision": 0.5, "recall": 0.5, "support": 2}
    assert stats["b"] == {"precision": 2 / 3, "recall": 1.0, "support": 2}
    assert stats["c"] == {"precision": 0.0, "recall": 0.0, "support": 1}
    assert macro_f1(y_true, y_pred) == pytest.approx((0.5 + 0.8 + 0.0) / 3)


def test_coverage_at_precision_hand_computed() -> None:
    # prefixes: 1/1, 2/2, 2/3, 3/4, 4/5, 4/6
    assert coverage_at_precision(CONF, OK, 1.0) == pytest.approx(2 / 6)
    assert coverage_at_precision(CONF, OK, 0.75) == pytest.approx(5 / 6)
    assert coverage_at_precision(CONF, OK, 0.8) == pytest.approx(5 / 6)
    assert coverage_at_precision(CONF, OK, 0.81) == pytest.approx(2 / 6)
    assert coverage_at_precision([0.9, 0.8], [False, False], 0.5) == 0.0


def test_threshold_for_precision_and_applying_it() -> None:
    assert threshold_for_precision(CONF, OK, 1.0) == 0.8
    assert threshold_for_precision(CONF, OK, 0.8) == 0.5
    assert threshold_for_precision([0.9], [False], 0.5) == math.inf
    assert coverage_and_precision_at(CONF, OK, 0.8) == (2 / 6, 1.0)
    assert coverage_and_precision_at(CONF, OK, 0.5) == (5 / 6, 0.8)
    assert coverage_and_precision_at(CONF, OK, math.inf) == (0.0, 1.0)


def test_ties_are_not_split() -> None:
    # two items at 0.9, one right one wrong: precision 1.0 is unreachable
    assert coverage_at_precision([0.9, 0.9, 0.5], [True, False, True], 1.0) == 0.0
    assert threshold_for_precision([0.9, 0.9, 0.5], [True, False, True], 1.0) == math.inf


def test_per_reason_thresholds() -> None:
    conf = [0.9, 0.8, 0.7, 0.6, 0.95, 0.85]
    pred = ["a", "a", "a", "a", "b", "b"]
    ok = [True, True, False, True, True, True]
    # "b" has 2 items: below min_support 3 it gets the global threshold (0.8)
    assert thresholds_for_precision(conf, pred, ok, 1.0, min_support=3) == {"a": 0.8, "b": 0.8}
    assert thresholds_for_precision(conf, pred, ok, 1.0, min_support=2) == {"a": 0.8, "b": 0.85}


def test_latency_helpers() -> None:
    assert percentile([1.0, 2.0, 3.0, 4.0, 5.0], 50) == 3.0
    assert percentile([], 99) == 0.0
    assert p99_ms(lambda s: s.upper(), ["a"] * 50) < 5.0


def test_threshold_with_confidence_level_requires_the_wilson_lower_bound() -> None:
    # 100 correct items at 0.9 and one wrong item at 0.5
    confidences = [0.9] * 100 + [0.5]
    correct = [True] * 100 + [False]
    # observed precision of all 101 items is 100/101 = 0.990 >= 0.98
    assert threshold_for_precision(confidences, correct, 0.98) == 0.5
    # Wilson 95% one-sided lower bound of 100/100 is 0.9737 < 0.98: no threshold qualifies
    assert threshold_for_precision(confidences, correct, 0.98, confidence_level=0.95) == math.inf
    assert threshold_for_precision(confidences, correct, 0.97, confidence_level=0.95) == 0.9
