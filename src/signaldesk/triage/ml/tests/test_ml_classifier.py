import math
import pickle
from pathlib import Path

import numpy as np
import pytest

from signaldesk.triage.ml.classifier import (
    FORMAT_NAME,
    ModelFormatError,
    Prediction,
    ReasonClassifier,
)
from signaldesk.triage.ml.data import ClassifierInputError

TEMPLATES = {
    "refund": ["I want my money back for {}", "please refund the {}", "refund request for {}"],
    "delivery": ["where is my {}", "the {} has not arrived yet", "track delivery of my {}"],
    "account": ["I cannot log in to see my {}", "reset my password for {}", "account locked {}"],
}
ITEMS = ["jacket", "order", "shoes", "phone", "lamp", "book", "chair", "watch"]


def synthetic() -> tuple[list[str], list[str]]:
    texts, labels = [], []
    for label, templates in TEMPLATES.items():
        for template in templates:
            for item in ITEMS:
                texts.append(template.format(item))
                labels.append(label)
    return texts, labels


def test_fit_predict_top3_and_probabilities() -> None:
    texts, labels = synthetic()
    model = ReasonClassifier(kind="tfidf").fit(texts, labels)
    preds = model.predict(["refund for the broken kettle", "where is my parcel"])
    assert [p.label for p in preds] == ["refund", "delivery"]
    assert isinstance(preds[0], Prediction)
    assert len(preds[0].top3) == 3
    assert preds[0].top3[0] == (preds[0].label, preds[0].confidence)
    assert [p for _, p in preds[0].top3] == sorted((p for _, p in preds[0].top3), reverse=True)
    probs = model.predict_proba(["refund", "delivery", "password"])
    assert probs.shape == (3, 3)
    assert np.allclose(probs.sum(axis=1), 1.0)
    assert model.calibrated is True
    assert model.cv_accuracy == 1.0
    assert set(model.thresholds) == {"0.95", "0.98"}
    # a handful of out-of-fold predictions cannot show 98% precision with 95% confidence
    # (Wilson lower bound), so nothing is auto-routed: every prediction goes to review
    assert model.threshold("refund", 0.98) == math.inf


def test_combined_model_uses_embeddings() -> None:
    texts, labels = synthetic()
    model = ReasonClassifier(kind="combined", calibration_folds=0).fit(texts, labels)
    pred = model.predict_one("I would like a refund of my purchase")
    assert pred.label == "refund"
    assert model.calibrated is False


def test_two_classes_and_empty_predict() -> None:
    texts, labels = synthetic()
    keep = [i for i, label in enumerate(labels) if label != "account"]
    model = ReasonClassifier(kind="tfidf").fit([texts[i] for i in keep], [labels[i] for i in keep])
    pred = model.predict_one("refund please")
    assert pred.label == "refund"
    assert len(pred.top3) == 2
    assert model.predict([]) == []


def test_save_load_round_trip(tmp_path: Path) -> None:
    texts, labels = synthetic()
    model = ReasonClassifier(kind="tfidf").fit(texts, labels)
    path = tmp_path / "model.pkl"
    model.save(path)
    loaded = ReasonClassifier.load(path)
    sample = ["refund for the lamp", "my chair has not arrived", "password reset"]
    assert loaded.predict(sample) == model.predict(sample)
    assert loaded.thresholds == model.thresholds


def test_load_refuses_other_formats(tmp_path: Path) -> None:
    texts, labels = synthetic()
    path = tmp_path / "model.pkl"
    ReasonClassifier(kind="tfidf", calibration_folds=0).fit(texts, labels).save(path)
    payload = pickle.loads(path.read_bytes())
    payload["format_version"] = 999
    path.write_bytes(pickle.dumps(payload))
    with pytest.raises(ModelFormatError, match="format version 999 is not supported"):
        ReasonClassifier.load(path)
    payload["format_version"] = 1
    payload["sklearn_version"] = "0.1"
    path.write_bytes(pickle.dumps(payload))
    with pytest.raises(ModelFormatError, match=r"scikit-learn 0\.1"):
        ReasonClassifier.load(path)
    assert ReasonClassifier.load(path, allow_version_mismatch=True).classes_ == sorted(TEMPLATES)
    path.write_bytes(pickle.dumps({"format": "something-else"}))
    with pytest.raises(ModelFormatError, match="not a SignalDesk classifier model"):
        ReasonClassifier.load(path)
    path.write_bytes(b"not a pickle")
    with pytest.raises(ModelFormatError, match="not a SignalDesk classifier model"):
        ReasonClassifier.load(path)
    assert FORMAT_NAME == "signaldesk-reason-classifier"


def test_single_class_and_unknown_kind_rejected() -> None:
    with pytest.raises(ClassifierInputError, match="at least 2 distinct labels, found 1"):
        ReasonClassifier(kind="tfidf").fit(["a", "b"], ["x", "x"])
    with pytest.raises(ValueError, match="unknown model kind 'bert'"):
        ReasonClassifier(kind="bert")  # type: ignore[arg-type]
