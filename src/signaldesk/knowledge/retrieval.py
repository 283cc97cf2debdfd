"""Passage retrieval over knowledge articles (Django-free).

Articles are split into paragraphs ("passages", blank-line separated, headings dropped). A
`PassageIndex` ranks passages for a query with BM25 (the `bm25s` library, Okapi BM25 with
k1=1.5, b=0.75) over a small shared tokenizer: lower-case word tokens, numbers kept, a short
multilingual stop-word list removed and a light suffix stemmer applied, so "refunds"/"refunded"
and "returns"/"returned" meet. A `reason_id` filter keeps passages of articles tagged with
that contact reason.

`support()` is what the policy-claim guardrail uses: the share of a sentence's content tokens
found in a passage (token overlap, 0..1). It is deliberately simple and explainable."""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

import bm25s

TOKEN_RE = re.compile(r"[^\W_]+(?:[.,]\d+)?", re.UNICODE)
NUMBER_RE = re.compile(r"\d+(?:[.,]\d+)?")
_STOPWORDS_TEXT = """a an and are as at be been but by can do does for from has have how
i if in into
is it its me my no not of on or our so than that the their them then there these they this to us
was we were what when where which who will with you your yours ll ve re s t d m
der die das und ist ein eine zu mit für von wir sie ihr ihre den dem des nicht auf
le la les et est un une de du des pour avec nous vous votre vos pas en au aux
el los las y es una del para con nosotros su sus al por que"""
STOPWORDS = frozenset(_STOPWORDS_TEXT.split())
_SUFFIXES = ("ations", "ation", "ings", "ing", "ies", "ied", "ed", "es", "s")


def stem(token: str) -> str:
    if token.isdigit() or len(token) <= 4:
        return token
    for suffix in _SUFFIXES:
        if token.endswith(suffix) and len(token) - len(suffix) >= 4:
            base = token[: -len(suffix)]
            return base + "y" if suffix in ("ies", "ied") else base
    return token


def tokenize(text: str) -> list[str]:
    """Content tokens of a text: lower-cased, stop words removed, stemmed."""
    words = (m.group().lower().replace(",", ".") for m in TOKEN_RE.finditer(text))
    return [stem(w) for w in words if w not in STOPWORDS]


def numbers_in(text: str) -> frozenset[Decimal]:
    out: set[Decimal] = set()
    for match in NUMBER_RE.finditer(text):
        try:
            out.add(Decimal(match.group().replace(",", ".")))
        except InvalidOperation:  # pragma: no cover - the regex only matches numbers
            continue
    return frozenset(out)


@dataclass(frozen=True)
class Passage:
    """One paragraph of one article: its source is `slug#index` (0-based paragraph index)."""

    slug: str
    index: int
    text: str
    title: str = ""
    reason_ids: tuple[str, ...] = ()
    version: int = 1
    tokens: frozenset[str] = field(default=frozenset(), compare=False)
    numbers: frozenset[Decimal] = field(default=frozenset(), compare=False)

    @property
    def source(self) -> str:
        return f"{self.slug}#{self.index}"


def make_passage(
    *,
    slug: str,
    index: int,
    text: str,
    title: str = "",
    reason_ids: Iterable[str] = (),
    version: int = 1,
) -> Passage:
    return Passage(
        slug=slug,
        index=index,
        text=text,
        title=title,
        reason_ids=tuple(reason_ids),
        version=version,
        tokens=frozenset(tokenize(text)),
        numbers=numbers_in(text),
    )


def split_paragraphs(body: str) -> list[str]:
    """Paragraphs of a Markdown body: blank-line separated blocks, headings ("# …") dropped,
    list items kept as their own paragraph, inner line breaks joined."""
    out: list[str] = []
    for block in re.split(r"\n\s*\n", body.strip()):
        lines = [ln.strip() for ln in block.splitlines() if ln.strip()]
        lines = [ln for ln in lines if not ln.startswith("#")]
        if not lines:
            continue
        if all(ln.startswith(("- ", "* ")) for ln in lines):
            out.extend(ln[2:].strip() for ln in lines)
        else:
            out.append(" ".join(lines))
    return out


def passages_of(
    *, slug: str, title: str, body: str, reason_ids: Iterable[str] = (), version: int = 1
) -> list[Passage]:
    reasons = tuple(reason_ids)
    return [
        make_passage(
            slug=slug, index=i, text=text, title=title, reason_ids=reasons, version=version
        )
        for i, text in enumerate(split_paragraphs(body))
    ]


@dataclass(frozen=True)
class Hit:
    passage: Passage
    score: float


@dataclass(frozen=True)
class ArticleHit:
    """An article ranked for a query: its best passage, that passage's BM25 score and the share
    (0..1) of the query's content tokens the passage contains."""

    slug: str
    title: str
    score: float
    passage: Passage
    coverage: float


def support(sentence: str, passage: Passage) -> float:
    """Share (0..1) of the sentence's content tokens that appear in the passage."""
    tokens = set(tokenize(sentence))
    if not tokens:
        return 0.0
    return len(tokens & passage.tokens) / len(tokens)


class PassageIndex:
    """BM25 over passages. Build once per knowledge version; searching is read-only."""

    def __init__(self, passages: Sequence[Passage]) -> None:
        self.passages = tuple(passages)
        self._bm25: bm25s.BM25 | None = None
        corpus = [tokenize(f"{p.title} {p.text}") or ["_"] for p in self.passages]
        if corpus:
            self._bm25 = bm25s.BM25(k1=1.5, b=0.75)
            self._bm25.index(corpus, show_progress=False)

    def search(self, query: str, *, reason_id: str | None = None, k: int = 3) -> list[Hit]:
        """The k best passages with a positive score, best first (ties by source)."""
        tokens = tokenize(query)
        if self._bm25 is None or not tokens:
            return []
        scores = self._bm25.get_scores(tokens)
        hits = [
            Hit(p, float(scores[i]))
            for i, p in enumerate(self.passages)
            if scores[i] > 0 and (reason_id is None or reason_id in p.reason_ids)
        ]
        hits.sort(key=lambda h: (-h.score, h.passage.slug, h.passage.index))
        return hits[:k]

    def search_articles(self, query: str, *, k: int = 3) -> list[ArticleHit]:
        """The k best articles for a query: each article scores as its best passage (BM25),
        with that passage and its coverage of the query; ties by slug."""
        tokens = set(tokenize(query))
        best: dict[str, Hit] = {}
        for hit in self.search(query, k=len(self.passages)):
            if hit.passage.slug not in best:
                best[hit.passage.slug] = hit
        ranked = sorted(best.values(), key=lambda h: (-h.score, h.passage.slug))[:k]
        return [
            ArticleHit(
                slug=h.passage.slug,
                title=h.passage.title,
                score=h.score,
                passage=h.passage,
                coverage=len(tokens & h.passage.tokens) / len(tokens) if tokens else 0.0,
            )
            for h in ranked
        ]

    def for_reason(self, reason_id: str) -> list[Passage]:
        return [p for p in self.passages if reason_id in p.reason_ids]

    def best_support(self, sentence: str) -> tuple[Passage | None, float]:
        """The passage that supports a sentence best, by token overlap."""
        best: tuple[Passage | None, float] = (None, 0.0)
        for passage in self.passages:
            score = support(sentence, passage)
            if score > best[1]:
                best = (passage, score)
        return best
