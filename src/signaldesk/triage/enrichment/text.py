"""The text half of triage: clean each inbound message, then language, sentiment, risk flags and
entities (with spans into the cleaned text of their message). Django-free apart from nothing:
takes plain strings, so the batch runner can call it for thousands of tickets."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from signaldesk.triage.text.cleaning import clean_for_classification
from signaldesk.triage.text.entities import Entities, extract_entities
from signaldesk.triage.text.language import detect_language
from signaldesk.triage.text.products import Catalog
from signaldesk.triage.text.risk import RiskFlag, detect_risks
from signaldesk.triage.text.sentiment import Sentiment, score_sentiment

SUBJECT = None  # message_id of the subject segment
MAX_CACHED_SEGMENTS = 20_000


@dataclass(frozen=True, slots=True)
class Segment:
    message_id: int | None  # None: the ticket subject
    text: str  # cleaned


@dataclass(frozen=True, slots=True)
class ProductMention:
    sku: str
    title: str
    score: float
    attributes: tuple[str, ...]
    message_id: int | None
    start: int
    end: int


@dataclass(frozen=True)
class TextSignals:
    text: str  # all cleaned segments joined, the input for the classifier
    language: str
    sentiment: Sentiment
    risks: list[tuple[int | None, RiskFlag]]
    entities: list[tuple[int | None, Entities]]
    products: list[ProductMention]  # best score first, one per SKU

    @property
    def order_values(self) -> list[str]:
        """Quoted order numbers, first mention first, without repeats."""
        return _unique(o.value for _, ents in self.entities for o in ents.order_numbers)

    @property
    def tracking_values(self) -> list[str]:
        return _unique(t.value for _, ents in self.entities for t in ents.tracking_numbers)

    @property
    def risk_kinds(self) -> list[str]:
        return sorted({flag.kind for _, flag in self.risks})

    def risks_json(self) -> list[dict[str, Any]]:
        return [
            {"kind": f.kind, "evidence": f.evidence, "weight": f.weight, "message_id": mid,
             "start": f.start, "end": f.end}
            for mid, f in self.risks
        ]  # fmt: skip

    def entities_json(self) -> dict[str, list[dict[str, Any]]]:
        out: dict[str, list[dict[str, Any]]] = {
            "order_numbers": [], "emails": [], "phones": [], "tracking_numbers": [],
            "amounts": [], "skus": [], "products": [],
        }  # fmt: skip
        for mid, ents in self.entities:
            for o in ents.order_numbers:
                out["order_numbers"].append(_span(mid, o, value=o.value, raw=o.raw))
            for e in ents.emails:
                out["emails"].append(_span(mid, e, value=e.value))
            for p in ents.phones:
                out["phones"].append(_span(mid, p, value=p.e164, raw=p.raw))
            for t in ents.tracking_numbers:
                out["tracking_numbers"].append(
                    _span(mid, t, value=t.value, carrier=t.carrier, raw=t.raw)
                )
            for a in ents.amounts:
                out["amounts"].append(
                    _span(mid, a, amount=str(a.amount), currency=a.currency, raw=a.raw)
                )
            for s in ents.skus:
                out["skus"].append(_span(mid, s, value=s.sku, in_catalog=s.in_catalog))
        for m in self.products:
            out["products"].append(
                {"sku": m.sku, "title": m.title, "score": m.score,
                 "attributes": list(m.attributes), "message_id": m.message_id,
                 "start": m.start, "end": m.end}
            )  # fmt: skip
        return out


def _unique(values: Any) -> list[str]:
    seen: list[str] = []
    for value in values:
        if value not in seen:
            seen.append(value)
    return seen


def _span(message_id: int | None, entity: Any, **values: Any) -> dict[str, Any]:
    return {**values, "message_id": message_id, "start": entity.start, "end": entity.end}


_segment_cache: dict[tuple[str, str], tuple[tuple[RiskFlag, ...], Entities]] = {}
_cached_catalog: list[Catalog | None] = [None]


def segment_signals(
    text: str, language: str, catalog: Catalog | None
) -> tuple[tuple[RiskFlag, ...], Entities]:
    """Risk flags and entities of one cleaned segment, memoised per process: subjects ("Where
    is my order?") and bodies (auto-replies, "Thanks!") repeat across tickets, and both cores
    are pure functions of (text, language, catalog). The memo is emptied when the catalog
    object changes and when it reaches MAX_CACHED_SEGMENTS entries."""
    if catalog is not _cached_catalog[0]:
        _segment_cache.clear()
        _cached_catalog[0] = catalog
    key = (text, language)
    found = _segment_cache.get(key)
    if found is None:
        found = (
            tuple(detect_risks(text, language)),
            extract_entities(text, language=language, catalog=catalog),
        )
        if len(_segment_cache) >= MAX_CACHED_SEGMENTS:
            _segment_cache.clear()
        _segment_cache[key] = found
    return found


def segment_cache_clear() -> None:
    _segment_cache.clear()
    _cached_catalog[0] = None


def segments_for(subject: str, messages: Sequence[tuple[int, str]]) -> list[Segment]:
    """The subject and each inbound message body, cleaned; empty ones dropped."""
    segments = [Segment(SUBJECT, " ".join(subject.split()))] if subject.strip() else []
    for message_id, body in messages:
        cleaned = clean_for_classification(body)
        if cleaned:
            segments.append(Segment(message_id, cleaned))
    return segments


def analyze_text(segments: Sequence[Segment], catalog: Catalog | None) -> TextSignals:
    text = "\n\n".join(segment.text for segment in segments)
    language = detect_language(text).code
    sentiment = score_sentiment(text, language)
    risks: list[tuple[int | None, RiskFlag]] = []
    entities: list[tuple[int | None, Entities]] = []
    best: dict[str, ProductMention] = {}
    for segment in segments:
        flags, found = segment_signals(segment.text, language, catalog)
        risks.extend((segment.message_id, flag) for flag in flags)
        entities.append((segment.message_id, found))
        for match in found.products:
            known = best.get(match.sku)
            if known is None or match.score > known.score:
                best[match.sku] = ProductMention(
                    match.sku, match.title, match.score, match.matched_attributes,
                    segment.message_id, match.start, match.end,
                )  # fmt: skip
    products = sorted(best.values(), key=lambda m: (-m.score, -len(m.attributes), m.sku))
    return TextSignals(text, language, sentiment, risks, entities, products)
