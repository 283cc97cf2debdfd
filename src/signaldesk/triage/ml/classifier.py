"""Contact-reason classifier: one linear SVM over TF-IDF and/or MiniLM features.

Probabilities are ``softmax(decision_scores / T)``. The temperature ``T`` is fitted by
minimising the negative log-likelihood of *out-of-fold* decision scores (stratified K-fold
on the training data, feature vocabularies refitted per fold). The same out-of-fold
predictions give the acceptance thresholds stored with the model: one global threshold and
per-reason thresholds for each precision target in ``PRECISION_TARGETS``.
"""

from __future__ import annotations

import math
import pickle
import platform
import warnings
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import sklearn
from numpy.typing import NDArray
from scipy.optimize import minimize_scalar
from sklearn.exceptions import ConvergenceWarning
from sklearn.model_selection import StratifiedKFold
from sklearn.svm import LinearSVC

from .data import ClassifierInputError
from .features import MODEL_KINDS, FeatureBuilder, FeatureConfig, ModelKind, embed_texts
from .features import uses_embeddings as _uses_embeddings
from .metrics import threshold_for_precision, thresholds_for_precision

FORMAT_NAME = "signaldesk-reason-classifier"
FORMAT_VERSION = 1
PRECISION_TARGETS: tuple[float, ...] = (0.95, 0.98)
# Thresholds are set so the precision target holds with this one-sided confidence (Wilson
# lower bound on the out-of-fold predictions), not merely on average.
THRESHOLD_CONFIDENCE = 0.95
DEFAULT_KIND: ModelKind = "tfidf"  # >= 1,000 tickets/s; see docs/benchmarks/classifier.md

FloatArray = NDArray[np.float64]


class ModelFormatError(ClassifierInputError):
    """A saved model cannot be loaded by this version of SignalDesk/scikit-learn."""


@dataclass(frozen=True)
class Prediction:
    """Top reason, its calibrated probability and the three most likely reasons."""

    label: str
    confidence: float
    top3: list[tuple[str, float]] = field(default_factory=list)


def softmax(scores: FloatArray, temperature: float) -> FloatArray:
    z = scores / temperature
    z = z - z.max(axis=1, keepdims=True)
    np.exp(z, out=z)
    z /= z.sum(axis=1, keepdims=True)
    return z


def fit_temperature(scores: FloatArray, y: NDArray[np.int64]) -> float:
    """Temperature minimising the NLL of ``softmax(scores / T)`` for true classes ``y``."""
    rows = np.arange(len(y))

    def nll(log_t: float) -> float:
        p = softmax(scores, math.exp(log_t))[rows, y]
        return float(-np.mean(np.log(np.maximum(p, 1e-12))))

    res = minimize_scalar(nll, bounds=(math.log(1e-3), math.log(100.0)), method="bounded")
    return float(math.exp(res.x))


class ReasonClassifier:
    """Classifier of ticket texts into contact reasons.

    ``kind``: ``"tfidf"`` (word + char n-grams, fastest), ``"embed"`` (MiniLM only) or
    ``"combined"`` (both blocks in one linear SVM, most accurate).
    """

    def __init__(
        self,
        kind: ModelKind = DEFAULT_KIND,
        C: float = 0.5,
        config: FeatureConfig | None = None,
        calibration_folds: int = 5,
        default_temperature: float = 0.1,
        random_state: int = 0,
        n_jobs: int = 2,
    ) -> None:
        if kind not in MODEL_KINDS:
            raise ValueError(f"unknown model kind {kind!r}; choose from {', '.join(MODEL_KINDS)}")
        self.kind: ModelKind = kind
        self.C = C
        self.config = config or FeatureConfig()
        self.calibration_folds = calibration_folds
        self.temperature = default_temperature
        self.random_state = random_state
        self.n_jobs = n_jobs
        self.classes_: list[str] = []
        self.features: FeatureBuilder | None = None
        self.svm: LinearSVC | None = None
        self.calibrated = False
        self.cv_accuracy: float | None = None
        # out-of-fold top confidence / correctness on the training data
        self.cv_confidences: FloatArray = np.zeros(0)
        self.cv_correct: NDArray[np.bool_] = np.zeros(0, dtype=bool)
        self.thresholds: dict[str, float] = {}
        self.class_thresholds: dict[str, dict[str, float]] = {}
        self.meta: dict[str, Any] = {}

    # -- training ---------------------------------------------------------------------------

    @property
    def uses_embeddings(self) -> bool:
        return _uses_embeddings(self.kind)

    def embed(self, texts: Sequence[str]) -> NDArray[np.float32] | None:
        """Embeddings if this kind needs them, else None (so callers can precompute)."""
        return embed_texts(texts, self.config) if self.uses_embeddings else None

    def _fit_svm(
        self, texts: Sequence[str], y: NDArray[np.int64], emb: NDArray[np.float32] | None
    ) -> tuple[FeatureBuilder, LinearSVC]:
        builder = FeatureBuilder(self.kind, self.config).fit(texts)
        x = builder.transform(texts, emb)
        svm = LinearSVC(C=self.C, random_state=self.random_state)
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", ConvergenceWarning)
            svm.fit(x, y)
        return builder, svm

    def _scores(
        self,
        builder: FeatureBuilder,
        svm: LinearSVC,
        texts: Sequence[str],
        emb: NDArray[np.float32] | None,
        n_classes: int,
    ) -> FloatArray:
        raw = np.asarray(svm.decision_function(builder.transform(texts, emb)), dtype=np.float64)
        if raw.ndim == 1:  # binary problem: one column for classes[1]
            raw = np.stack([-raw, raw], axis=1)
        out = np.full((raw.shape[0], n_classes), raw.min() - 10.0 if raw.size else -10.0)
        out[:, np.asarray(svm.classes_, dtype=np.int64)] = raw
        return out

    def _out_of_fold(
        self, texts: list[str], y: NDArray[np.int64], emb: NDArray[np.float32] | None
    ) -> FloatArray | None:
        counts = np.bincount(y)
        n_splits = min(self.calibration_folds, int(counts.min()))
        if n_splits < 2:
            return None
        skf = StratifiedKFold(n_splits, shuffle=True, random_state=self.random_state)
        folds = list(skf.split(np.zeros(len(y)), y))
        k = len(self.classes_)

        def one(train_idx: NDArray[np.int64], val_idx: NDArray[np.int64]) -> FloatArray:
            tr = [texts[i] for i in train_idx]
            va = [texts[i] for i in val_idx]
            e_tr = emb[train_idx] if emb is not None else None
            e_va = emb[val_idx] if emb is not None else None
            builder, svm = self._fit_svm(tr, y[train_idx], e_tr)
            return self._scores(builder, svm, va, e_va, k)

        from joblib import Parallel, delayed

        results = Parallel(n_jobs=self.n_jobs, prefer="threads")(
            delayed(one)(a, b) for a, b in folds
        )
        scores = np.zeros((len(y), k))
        for (_, val_idx), s in zip(folds, results, strict=True):
            scores[val_idx] = s
        return scores

    def fit(
        self,
        texts: Sequence[str],
        labels: Sequence[str],
        embeddings: NDArray[np.float32] | None = None,
    ) -> ReasonClassifier:
        """Train on ``texts``/``labels`` (``embeddings``: optional precomputed MiniLM rows)."""
        texts = list(texts)
        labels = [str(v) for v in labels]
        if len(texts) != len(labels):
            raise ClassifierInputError("texts and labels differ in length")
        if len(set(labels)) < 2:
            raise ClassifierInputError(
                f"training data needs at least 2 distinct labels, found {len(set(labels))}"
            )
        self.classes_ = sorted(set(labels))
        index = {c: i for i, c in enumerate(self.classes_)}
        y = np.array([index[v] for v in labels], dtype=np.int64)
        emb = embeddings if embeddings is not None else self.embed(texts)

        oof = self._out_of_fold(texts, y, emb) if self.calibration_folds >= 2 else None
        if oof is not None:
            self.temperature = fit_temperature(oof, y)
            probs = softmax(oof, self.temperature)
            pred = probs.argmax(axis=1)
            self.cv_confidences = probs.max(axis=1)
            self.cv_correct = pred == y
            self.cv_accuracy = float(self.cv_correct.mean())
            predicted_labels = [self.classes_[i] for i in pred]
            for target in PRECISION_TARGETS:
                key = f"{target:.2f}"
                self.thresholds[key] = threshold_for_precision(
                    self.cv_confidences,
                    self.cv_correct,
                    target,
                    confidence_level=THRESHOLD_CONFIDENCE,
                )
                self.class_thresholds[key] = thresholds_for_precision(
                    self.cv_confidences,
                    predicted_labels,
                    self.cv_correct,
                    target,
                    confidence_level=THRESHOLD_CONFIDENCE,
                )
            self.calibrated = True
        self.features, self.svm = self._fit_svm(texts, y, emb)
        self.meta = {
            "n_train": len(texts),
            "label_counts": dict(Counter(labels)),
            "calibration_folds": self.calibration_folds if oof is not None else 0,
        }
        return self

    # -- inference --------------------------------------------------------------------------

    def predict_proba(
        self, texts: Sequence[str], embeddings: NDArray[np.float32] | None = None
    ) -> FloatArray:
        """Calibrated class probabilities, shape ``(n, len(classes_))``; rows sum to 1."""
        if self.features is None or self.svm is None:
            raise RuntimeError("ReasonClassifier is not fitted")
        texts = list(texts)
        if not texts:
            return np.zeros((0, len(self.classes_)))
        emb = embeddings if embeddings is not None else self.embed(texts)
        scores = self._scores(self.features, self.svm, texts, emb, len(self.classes_))
        return softmax(scores, self.temperature)

    def predict(
        self, texts: Sequence[str], embeddings: NDArray[np.float32] | None = None
    ) -> list[Prediction]:
        probs = self.predict_proba(texts, embeddings)
        k = min(3, probs.shape[1])
        top = np.argsort(-probs, axis=1, kind="stable")[:, :k]
        out = []
        for row, idx in zip(probs, top, strict=True):
            top3 = [(self.classes_[i], float(row[i])) for i in idx]
            out.append(Prediction(label=top3[0][0], confidence=top3[0][1], top3=top3))
        return out

    def predict_one(self, text: str) -> Prediction:
        return self.predict([text])[0]

    def threshold(self, label: str, precision: float = 0.98) -> float:
        """Acceptance threshold of ``label`` (per-reason, falling back to global)."""
        key = f"{precision:.2f}"
        if key not in self.thresholds:
            raise KeyError(f"no threshold for precision {key}; have {sorted(self.thresholds)}")
        return self.class_thresholds.get(key, {}).get(label, self.thresholds[key])

    # -- persistence ------------------------------------------------------------------------

    def save(self, path: str | Path) -> None:
        payload = {
            "format": FORMAT_NAME,
            "format_version": FORMAT_VERSION,
            "sklearn_version": sklearn.__version__,
            "numpy_version": np.__version__,
            "python_version": platform.python_version(),
            "model": self,
        }
        p = Path(path)
        p.parent.mkdir(parents=True, exist_ok=True)
        tmp = p.with_name(p.name + ".tmp")
        with tmp.open("wb") as fh:
            pickle.dump(payload, fh, protocol=pickle.HIGHEST_PROTOCOL)
        tmp.replace(p)

    @classmethod
    def load(cls, path: str | Path, allow_version_mismatch: bool = False) -> ReasonClassifier:
        """Load a model written by ``save``; refuses other formats and sklearn versions.

        Only load model files you trust: the format is a pickle.
        """
        p = Path(path)
        try:
            with p.open("rb") as fh:
                payload = pickle.load(fh)  # noqa: S301 - trusted local model files only
        except FileNotFoundError:
            raise ModelFormatError(f"{p}: model file not found") from None
        except Exception as exc:
            raise ModelFormatError(f"{p}: not a SignalDesk classifier model ({exc})") from exc
        if not isinstance(payload, dict) or payload.get("format") != FORMAT_NAME:
            raise ModelFormatError(f"{p}: not a SignalDesk classifier model file")
        version = payload.get("format_version")
        if version != FORMAT_VERSION:
            raise ModelFormatError(
                f"{p}: model format version {version} is not supported "
                f"(this SignalDesk reads version {FORMAT_VERSION}); retrain the model"
            )
        saved_sk = payload.get("sklearn_version")
        if saved_sk != sklearn.__version__ and not allow_version_mismatch:
            raise ModelFormatError(
                f"{p}: model was trained with scikit-learn {saved_sk}, this environment has "
                f"{sklearn.__version__}; retrain the model (or pass allow_version_mismatch)"
            )
        model = payload["model"]
        if not isinstance(model, cls):
            raise ModelFormatError(f"{p}: payload is {type(model).__name__}, not {cls.__name__}")
        return model
