"""Knowledge gaps: repeated self-service questions that no article answers well (Django-free).

1. Keep the weak questions: the best article's BM25 score was below `min_score`, or the customer
   still asked for help after seeing the answers (escalated).
2. Vectorise them with TF-IDF over the knowledge tokenizer (the same stems search uses).
3. Group by nearest neighbours: two questions are linked when their cosine similarity is at least
   `min_similarity`; a gap is a connected group of at least `min_count` questions. Single-link
   grouping at a fixed threshold is simple to explain ("these questions share these words") and
   needs no number of clusters.
4. Per gap: the top keywords (summed TF-IDF weight, shown as the most frequent surface word of
   each stem), a suggested title from the top three, the distinct questions as FAQ bullets (most
   asked first), and the contact reason whose description matches the questions best (BM25 over
   the taxonomy reasons' name, description, examples and aliases)."""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from scipy.sparse.csgraph import connected_components
from sklearn.feature_extraction.text import TfidfVectorizer

from signaldesk.knowledge.retrieval import PassageIndex, make_passage, stem, tokenize

WORD_RE = re.compile(r"[^\W\d_]+", re.UNICODE)


@dataclass(frozen=True)
class AskedQuestion:
    text: str
    score: float  # BM25 of the best article's best passage (0 when nothing matched)
    coverage: float = 0.0
    best_slug: str = ""
    escalated: bool = False

    def weak(self, min_score: float) -> bool:
        return self.escalated or self.score < min_score


@dataclass(frozen=True)
class GapConfig:
    min_score: float = 1.2  # best BM25 score below this: not answered well
    min_similarity: float = 0.35  # cosine of TF-IDF vectors that links two questions
    min_count: int = 2  # questions (asked, not distinct) that make a gap
    n_keywords: int = 5
    max_faq: int = 8


@dataclass(frozen=True)
class Gap:
    count: int  # questions asked in this group
    keywords: tuple[str, ...]
    title: str
    questions: tuple[tuple[str, int], ...]  # (question, times asked), most asked first
    mean_score: float
    escalated: int  # how many of the questions were followed by "still need help"
    best_slugs: tuple[str, ...]  # articles shown as best, most frequent first (ties by slug)
    reason_id: str  # suggested contact reason ("" when none matches)

    @property
    def outline(self) -> tuple[str, ...]:
        """A suggested article outline, one line each (Markdown)."""
        lines = [f"# {self.title}", "", "Short answer: (one paragraph answering the questions)", ""]
        lines.append("## Questions customers asked")
        lines.extend(f"- {q}" for q, _ in self.questions)
        lines.append("")
        lines.append(f"Linked reason: {self.reason_id or '(choose one)'}")
        return tuple(lines)


DEFAULT_GAP_CONFIG = GapConfig()


def _surface_words(texts: Sequence[str]) -> dict[str, str]:
    """stem -> the most frequent original (lower-case) word with that stem."""
    counts: Counter[tuple[str, str]] = Counter()
    for text in texts:
        for word in WORD_RE.findall(text.lower()):
            counts[(stem(word), word)] += 1
    best: dict[str, tuple[int, str]] = {}
    for (st, word), n in counts.items():
        if st not in best or (n, -len(word)) > (best[st][0], -len(best[st][1])):
            best[st] = (n, word)
    return {st: word for st, (_, word) in best.items()}


def suggest_reason(texts: Sequence[str], reasons: Sequence[tuple[str, str]]) -> str:
    """The reason id whose text (name, description, examples) ranks best for the questions."""
    if not reasons:
        return ""
    index = PassageIndex(
        [make_passage(slug=rid, index=0, text=text) for rid, text in reasons if text.strip()]
    )
    hits = index.search(" ".join(texts), k=1)
    return hits[0].passage.slug if hits else ""


def find_gaps(
    questions: Sequence[AskedQuestion],
    *,
    reasons: Sequence[tuple[str, str]] = (),
    config: GapConfig | None = None,
) -> list[Gap]:
    """Groups of repeated, poorly answered questions, largest first (ties by title)."""
    config = config or DEFAULT_GAP_CONFIG
    weak = [q for q in questions if q.weak(config.min_score) and tokenize(q.text)]
    if len(weak) < config.min_count:
        return []
    vectorizer = TfidfVectorizer(analyzer=tokenize, sublinear_tf=True, norm="l2")
    matrix = vectorizer.fit_transform([q.text for q in weak])
    terms = vectorizer.get_feature_names_out()
    similarity = (matrix @ matrix.T).tocsr()  # sparse: only pairs sharing a word
    similarity.data[similarity.data < config.min_similarity] = 0.0
    similarity.eliminate_zeros()
    linked = similarity
    _n, labels = connected_components(linked, directed=False)
    gaps: list[Gap] = []
    for label in np.unique(labels):
        members = [i for i in np.flatnonzero(labels == label)]
        if len(members) < config.min_count:
            continue
        texts = [weak[i].text for i in members]
        weights = np.asarray(matrix[members].sum(axis=0)).ravel()
        order = np.argsort(-weights, kind="stable")[: config.n_keywords]
        surface = _surface_words(texts)
        keywords = tuple(surface.get(str(terms[j]), str(terms[j])) for j in order if weights[j])
        asked = Counter(" ".join(t.split()) for t in texts)
        faq = tuple(sorted(asked.items(), key=lambda kv: (-kv[1], kv[0]))[: config.max_faq])
        slugs = Counter(weak[i].best_slug for i in members if weak[i].best_slug)
        gaps.append(
            Gap(
                count=len(members),
                keywords=keywords,
                title=" ".join(keywords[:3]).capitalize() or "Untitled",
                questions=faq,
                mean_score=round(float(np.mean([weak[i].score for i in members])), 3),
                escalated=sum(weak[i].escalated for i in members),
                best_slugs=tuple(
                    s for s, _ in sorted(slugs.items(), key=lambda kv: (-kv[1], kv[0]))
                ),
                reason_id=suggest_reason(texts, reasons),
            )
        )
    gaps.sort(key=lambda g: (-g.count, g.title))
    return gaps
