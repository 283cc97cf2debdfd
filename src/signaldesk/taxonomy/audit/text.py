"""TF-IDF views of tickets, tags and reasons: tag centroids, reason centroids (from each reason's
name, description and example phrases) and each ticket's nearest reason."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.preprocessing import normalize

from signaldesk.taxonomy.audit.collect import TagCorpus
from signaldesk.taxonomy.domain import Taxonomy

Matrix = NDArray[np.float64]


@dataclass(frozen=True)
class TextModel:
    tags: tuple[str, ...]  # tags with a text centroid (≥ min_uses sampled tickets)
    tag_centroids: Matrix  # (len(tags), vocab), L2-normalised
    coherence: dict[str, float]  # mean cosine of a tag's tickets to its centroid
    ticket_nearest: dict[int, str]  # ticket id → nearest reason id ("" when nothing is close)


def _dense(matrix: object) -> Matrix:
    return np.asarray(matrix.toarray() if hasattr(matrix, "toarray") else matrix, dtype=float)


def build_text_model(
    corpus: TagCorpus, taxonomy: Taxonomy, *, min_uses: int, nearest_min_cosine: float
) -> TextModel:
    ticket_ids = sorted(corpus.texts)
    reason_docs = [
        [r.name, r.description, *r.examples, *(a.replace("_", " ") for a in r.aliases)]
        for r in taxonomy.reasons
    ]
    reason_texts = [t for doc in reason_docs for t in doc]
    texts = [corpus.texts[i] for i in ticket_ids]
    if not texts:
        return TextModel((), np.zeros((0, 0)), {}, {})
    vectorizer = TfidfVectorizer(
        lowercase=True,
        stop_words="english",
        ngram_range=(1, 2),
        sublinear_tf=True,
        token_pattern=r"(?u)\b\w\w+\b",
    )
    vectorizer.fit([*texts, *reason_texts])
    ticket_m = normalize(vectorizer.transform(texts))
    row_of = {tid: n for n, tid in enumerate(ticket_ids)}

    # Reason centroids: mean of the L2-normalised rows of the reason's texts.
    reason_rows = normalize(vectorizer.transform(reason_texts))
    centroids, start = [], 0
    for doc in reason_docs:
        centroids.append(np.asarray(reason_rows[start : start + len(doc)].mean(axis=0)).ravel())
        start += len(doc)
    reason_m = normalize(np.vstack(centroids))
    sims = _dense(ticket_m @ reason_m.T)
    best = sims.argmax(axis=1)
    ticket_nearest = {
        tid: (
            taxonomy.reasons[best[row_of[tid]]].id
            if sims[row_of[tid], best[row_of[tid]]] >= nearest_min_cosine
            else ""
        )
        for tid in ticket_ids
    }

    tags = tuple(sorted(t for t, ids in corpus.sample.items() if len(ids) >= min_uses))
    rows, coherence = [], {}
    for tag in tags:
        idx = [row_of[i] for i in corpus.sample[tag] if i in row_of]
        sub = ticket_m[idx]
        centroid = np.asarray(sub.mean(axis=0)).ravel()
        norm = float(np.linalg.norm(centroid))
        centroid = centroid / norm if norm else centroid
        coherence[tag] = round(float(_dense(sub @ centroid.reshape(-1, 1)).mean()), 4)
        rows.append(centroid)
    tag_m = np.vstack(rows) if rows else np.zeros((0, ticket_m.shape[1]))
    return TextModel(tags, tag_m, coherence, ticket_nearest)


def embedding_centroids(corpus: TagCorpus, tags: Sequence[str]) -> Matrix | None:
    """MiniLM centroids of "tag name + its tickets", when the optional encoder is installed."""
    try:
        from signaldesk.triage.ml.encoder import get_encoder  # type: ignore[import-not-found]

        encoder = get_encoder()
    except Exception:  # optional dependency: missing package, weights or module
        return None
    rows = []
    for tag in tags:
        texts = [tag.replace("_", " ").replace("-", " ")]
        texts += [corpus.texts[i] for i in corpus.sample[tag] if i in corpus.texts]
        vectors = np.asarray(encoder.encode(texts), dtype=float)
        rows.append(vectors.mean(axis=0))
    return normalize(np.vstack(rows)) if rows else None
