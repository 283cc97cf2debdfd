"""Catalog lookups for entity extraction: SKU literals and fuzzy product-title mentions.

Build a :class:`Catalog` once (per store, per catalog version) with :func:`build_catalog` and
pass it to :func:`signaldesk.triage.text.entities.extract_entities` or :func:`match_products`.

Matching (``rapidfuzz``):

1. Candidates: distinct titles at least half of whose words (≥ 3 letters) appear in the text,
   compared on each word's first four characters ("shrit" finds "shirt" only if the typo is
   after the 4th letter; a typo in the first four letters is missed – documented limit).
2. Score: the larger of ``fuzz.partial_ratio(title, text)`` (best aligned substring, tolerates
   typos) and the share of title words present in the text ×100 (tolerates word order).
3. Variant attributes ("Blue", "M", "42") present in the text are reported; among variants with
   the same title only those matching the most attributes are kept. One-character attributes
   (sizes "S", "M", "L") only count after "size/Größe/taille/talla/taglia/maat".
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Final

from rapidfuzz import fuzz

__all__ = [
    "Catalog",
    "CatalogItem",
    "ProductMatch",
    "build_catalog",
    "match_products",
]

DEFAULT_THRESHOLD: Final = 85.0
_MAX_RESULTS: Final = 5
_SIZE_CUE: Final = r"(?:size|sz|gr(?:ö|oe)(?:ß|ss)e|gr\.?|taille|talla|taglia|maat)"
_WORD_RE: Final = re.compile(r"[^\W_]+")


@dataclass(frozen=True, slots=True)
class CatalogItem:
    sku: str
    title: str
    attributes: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class ProductMatch:
    """A catalog item mentioned in the text; ``start``/``end`` locate the aligned title text."""

    sku: str
    title: str
    score: float
    matched_attributes: tuple[str, ...]
    start: int
    end: int


@dataclass(frozen=True, slots=True)
class Catalog:
    """Pre-indexed catalog; build it with :func:`build_catalog`. Titles are scored once per
    distinct normalised title, then expanded to the items (variants) that share it."""

    items: tuple[CatalogItem, ...]
    item_attributes: tuple[tuple[tuple[str, str], ...], ...]  # (attribute, normalised) per item
    titles: tuple[str, ...]
    title_items: tuple[tuple[int, ...], ...]
    title_words: tuple[frozenset[str], ...]
    title_keys: tuple[frozenset[str], ...]
    sku_index: Mapping[str, int]
    key_index: Mapping[str, tuple[int, ...]]


CatalogRow = CatalogItem | tuple[str, str, Mapping[str, str] | Sequence[str]]


_NON_WORD_RE: Final = re.compile(r"[\W_]")


def normalize(text: str) -> str:
    """Lower-case, punctuation → space, same length as ``text`` (offsets stay valid)."""
    lowered = text.lower()
    if len(lowered) != len(text):  # rare: "İ" lower-cases to two characters
        lowered = "".join(c.lower() if len(c.lower()) == 1 else c for c in text)
    return _NON_WORD_RE.sub(" ", lowered)


def _key(word: str) -> str:
    return word[:4]


def build_catalog(rows: Iterable[CatalogRow]) -> Catalog:
    """Index ``(sku, title, attributes)`` rows; attributes may be a mapping or a sequence."""
    items: list[CatalogItem] = []
    for row in rows:
        if isinstance(row, CatalogItem):
            items.append(row)
            continue
        sku, title, attributes = row
        values = attributes.values() if isinstance(attributes, Mapping) else attributes
        items.append(CatalogItem(sku, title, tuple(str(value) for value in values if value)))
    by_title: dict[str, list[int]] = {}
    for position, item in enumerate(items):
        by_title.setdefault(" ".join(normalize(item.title).split()), []).append(position)
    titles = tuple(by_title)
    title_words = tuple(frozenset(w for w in title.split() if len(w) >= 3) for title in titles)
    title_keys = tuple(frozenset(_key(w) for w in words) for words in title_words)
    index: dict[str, list[int]] = {}
    for title_id, keys in enumerate(title_keys):
        for key in keys:
            index.setdefault(key, []).append(title_id)
    return Catalog(
        items=tuple(items),
        item_attributes=tuple(
            tuple((attr, norm) for attr in item.attributes if (norm := _norm_attr(attr)))
            for item in items
        ),
        titles=titles,
        title_items=tuple(tuple(positions) for positions in by_title.values()),
        title_words=title_words,
        title_keys=title_keys,
        sku_index={item.sku.upper(): pos for pos, item in enumerate(items)},
        key_index={key: tuple(value) for key, value in index.items()},
    )


def _norm_attr(attribute: str) -> str:
    return " ".join(normalize(attribute).split())


def _attribute_hits(attributes: tuple[tuple[str, str], ...], padded: str) -> tuple[str, ...]:
    hits: list[str] = []
    for attribute, norm in attributes:
        if len(norm) == 1:
            if re.search(rf" {_SIZE_CUE} {re.escape(norm)} ", padded):
                hits.append(attribute)
        elif f" {norm} " in padded:
            hits.append(attribute)
    return tuple(hits)


def match_products(
    text: str, catalog: Catalog, threshold: float = DEFAULT_THRESHOLD
) -> list[ProductMatch]:
    """Catalog items whose title is mentioned in ``text`` with score >= ``threshold``."""
    norm = normalize(text)
    spans = [(m.group(), m.start(), m.end()) for m in _WORD_RE.finditer(norm)]
    padded = " " + " ".join(word for word, _, _ in spans) + " "
    text_words = {word for word, _, _ in spans}
    positions: dict[str, list[tuple[int, int]]] = {}
    for word, start, end in spans:
        if len(word) >= 3:
            positions.setdefault(_key(word), []).append((start, end))
    candidates: set[int] = set()
    for key in positions:
        candidates.update(catalog.key_index.get(key, ()))
    results: list[ProductMatch] = []
    for title_id in candidates:
        keys = catalog.title_keys[title_id]
        present = keys & positions.keys()
        if 2 * len(present) < len(keys):
            continue  # fewer than half of the title's words are even roughly there
        title = catalog.titles[title_id]
        words = catalog.title_words[title_id]
        coverage = 100.0 * len(words & text_words) / len(words) if words else 0.0
        hits = [span for key in present for span in positions[key]]
        lo = max(0, min(start for start, _ in hits) - len(title))
        hi = min(len(norm), max(end for _, end in hits) + len(title))
        alignment = fuzz.partial_ratio_alignment(title, norm[lo:hi], score_cutoff=threshold)
        partial = alignment.score if alignment is not None else 0.0
        score = round(max(partial, coverage), 1)
        if score < threshold:
            continue
        start, end = (alignment.dest_start + lo, alignment.dest_end + lo) if alignment else (lo, hi)
        group = [
            (catalog.items[pos], _attribute_hits(catalog.item_attributes[pos], padded))
            for pos in catalog.title_items[title_id]
        ]
        best = max(len(item_hits) for _, item_hits in group)
        results.extend(
            ProductMatch(item.sku, item.title, score, item_hits, start, end)
            for item, item_hits in group
            if len(item_hits) == best
        )
    results.sort(key=lambda m: (-m.score, -len(m.matched_attributes), m.sku))
    return results[:_MAX_RESULTS]
