"""Theme discovery over short customer texts (tickets, chats, reviews, return reasons).

Pipeline (deterministic for a given ``seed``):

1. Vectors: the caller's embeddings (L2-normalised) when given, else TF-IDF (unigrams and
   bigrams, English stop words, sublinear tf) reduced with truncated SVD (LSA) and
   L2-normalised.
2. Clustering: KMeans for every k in ``k_range``; k is the one with the best cosine silhouette
   (a sample of at most ``silhouette_sample`` points).
3. Per theme: c-TF-IDF keywords (class term frequency x ``log(1 + A / f_t)`` where ``A`` is the
   mean number of words per theme and ``f_t`` the term's frequency over all themes, as in
   BERTopic), up to ``n_representatives`` texts closest to the centroid, size, counts in the
   recent window vs the previous window of equal length, and the source breakdown.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from numpy.typing import ArrayLike, NDArray
from scipy import sparse
from sklearn.cluster import KMeans
from sklearn.decomposition import TruncatedSVD
from sklearn.feature_extraction.text import CountVectorizer, TfidfVectorizer
from sklearn.metrics import silhouette_score
from sklearn.preprocessing import normalize

FloatArray = NDArray[np.float64]


@dataclass(frozen=True)
class ThemeConfig:
    k_range: tuple[int, int] = (2, 12)
    n_keywords: int = 8
    n_representatives: int = 3
    svd_components: int = 100
    window_days: int = 28
    silhouette_sample: int = 3000
    min_df: int = 2
    seed: int = 0


@dataclass(frozen=True)
class Theme:
    theme_id: int
    size: int
    keywords: tuple[str, ...]
    keyword_scores: tuple[float, ...]
    representatives: tuple[str, ...]
    representative_indices: tuple[int, ...]
    recent_count: int
    previous_count: int
    growth: float | None  # recent / previous; None when previous window is empty
    sources: tuple[tuple[str, int], ...]  # (source, count), largest first
    member_indices: tuple[int, ...]


@dataclass(frozen=True)
class ThemeResult:
    themes: tuple[Theme, ...]
    labels: NDArray[np.int64]
    k: int
    silhouette: float


def _vectors(texts: Sequence[str], embeddings: ArrayLike | None, cfg: ThemeConfig) -> FloatArray:
    if embeddings is not None:
        emb = np.asarray(embeddings, dtype=np.float64)
        if emb.shape[0] != len(texts):
            raise ValueError("one embedding row per text is required")
        return normalize(emb)
    min_df = cfg.min_df if len(texts) >= 10 * cfg.min_df else 1
    tfidf = TfidfVectorizer(
        stop_words="english", ngram_range=(1, 2), sublinear_tf=True, min_df=min_df
    ).fit_transform(texts)
    n_comp = min(cfg.svd_components, tfidf.shape[1] - 1, len(texts) - 1)
    if n_comp < 2:
        return normalize(tfidf.toarray())
    svd = TruncatedSVD(n_components=n_comp, random_state=cfg.seed)
    return normalize(svd.fit_transform(tfidf))


def _choose_k(x: FloatArray, cfg: ThemeConfig) -> tuple[NDArray[np.int64], int, float, FloatArray]:
    lo, hi = cfg.k_range
    hi = min(hi, x.shape[0] - 1)
    best: tuple[float, int, NDArray[np.int64], FloatArray] | None = None
    sample = min(cfg.silhouette_sample, x.shape[0])
    for k in range(max(lo, 2), hi + 1):
        km = KMeans(n_clusters=k, n_init=10, random_state=cfg.seed).fit(x)
        labels = km.labels_.astype(np.int64)
        if np.unique(labels).size < 2:
            continue
        score = float(
            silhouette_score(x, labels, metric="cosine", sample_size=sample, random_state=cfg.seed)
        )
        if best is None or score > best[0] + 1e-9:
            best = (score, k, labels, km.cluster_centers_)
    if best is None:
        labels = np.zeros(x.shape[0], dtype=np.int64)
        return labels, 1, 0.0, x.mean(axis=0, keepdims=True)
    return best[2], best[1], best[0], best[3]


def ctfidf_keywords(
    texts: Sequence[str], labels: ArrayLike, n_keywords: int
) -> dict[int, list[tuple[str, float]]]:
    """Class-based TF-IDF keywords per label."""
    lab = np.asarray(labels, dtype=np.int64)
    classes = np.unique(lab)
    # Count per text, then sum per class: joining a class's texts into one document would make
    # bigrams across text boundaries ("jacket jacket").
    cv = CountVectorizer(stop_words="english", ngram_range=(1, 2))
    per_text = cv.fit_transform(texts)
    rows = np.searchsorted(classes, lab)
    member = sparse.csr_matrix(
        (np.ones(lab.size), (rows, np.arange(lab.size))), shape=(classes.size, lab.size)
    )
    counts = np.asarray((member @ per_text).todense(), dtype=np.float64)
    terms = cv.get_feature_names_out()
    tf = counts / np.maximum(counts.sum(axis=1, keepdims=True), 1.0)
    avg_words = counts.sum() / len(classes)
    idf = np.log(1.0 + avg_words / np.maximum(counts.sum(axis=0), 1.0))
    score = tf * idf
    out: dict[int, list[tuple[str, float]]] = {}
    for row, c in enumerate(classes):
        order = np.argsort(-score[row], kind="stable")[:n_keywords]
        out[int(c)] = [(str(terms[j]), float(score[row, j])) for j in order if score[row, j] > 0]
    return out


def discover_themes(
    texts: Sequence[str],
    days: ArrayLike,
    sources: Sequence[str],
    embeddings: ArrayLike | None = None,
    as_of: int | None = None,
    config: ThemeConfig | None = None,
) -> ThemeResult:
    """Cluster texts into themes. ``days`` is a day index per text; ``as_of`` defaults to max."""
    cfg = config or ThemeConfig()
    day = np.asarray(days, dtype=np.int64)
    if not (len(texts) == day.size == len(sources)):
        raise ValueError("texts, days and sources must have equal length")
    if len(texts) < 3:
        raise ValueError("at least 3 texts are needed")
    x = _vectors(texts, embeddings, cfg)
    labels, k, sil, centers = _choose_k(x, cfg)
    keywords = ctfidf_keywords(texts, labels, cfg.n_keywords)
    end = int(day.max()) if as_of is None else int(as_of)
    w = cfg.window_days
    recent_mask = (day > end - w) & (day <= end)
    prev_mask = (day > end - 2 * w) & (day <= end - w)
    themes = []
    for c in range(k):
        members = np.flatnonzero(labels == c)
        if members.size == 0:
            continue
        center = normalize(centers[c : c + 1])[0]
        sims = x[members] @ center
        reps = members[np.argsort(-sims, kind="stable")[: cfg.n_representatives]]
        recent = int(recent_mask[members].sum())
        previous = int(prev_mask[members].sum())
        src = Counter(sources[int(i)] for i in members)
        kw = keywords.get(c, [])
        themes.append(
            Theme(
                theme_id=c,
                size=int(members.size),
                keywords=tuple(t for t, _ in kw),
                keyword_scores=tuple(s for _, s in kw),
                representatives=tuple(texts[i] for i in reps),
                representative_indices=tuple(int(i) for i in reps),
                recent_count=recent,
                previous_count=previous,
                growth=(recent / previous) if previous > 0 else None,
                sources=tuple(sorted(src.items(), key=lambda kv: (-kv[1], kv[0]))),
                member_indices=tuple(int(i) for i in members),
            )
        )
    themes.sort(key=lambda t: (-t.size, t.theme_id))
    return ThemeResult(tuple(themes), labels, k, sil)
