"""Grounded drafts (Django-free): a macro template filled from facts, sentence by sentence, plus
policy passages, each sentence carrying the sources of what it states.

A variable with no fact is never invented: it becomes a visible `[missing: name]` marker, which
the `missing_variable` guardrail blocks until an agent replaces it."""

from __future__ import annotations

import string
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field

from signaldesk.knowledge.retrieval import Passage
from signaldesk.replies.guardrails.patterns import sentence_spans
from signaldesk.replies.guardrails.types import Finding

# Template variable names used by the shipped taxonomy -> the canonical fact name.
ALIASES: Mapping[str, str] = {
    "expected_date": "promised_date",
    "tracking_url": "tracking_link",
    "next_delivery_date": "promised_date",
}
VARIABLES = (
    "customer_name", "order_number", "items", "carrier", "tracking_number", "tracking_link",
    "promised_date", "refund_amount", "refund_status", "return_status", "agent_name",
)  # fmt: skip


@dataclass(frozen=True)
class Fact:
    """One value the reply may state, with where it comes from ("order.number",
    "shipment.tracking_number", "refund.amount", …)."""

    value: str
    source: str


@dataclass(frozen=True)
class DraftSentence:
    text: str
    sources: tuple[str, ...] = ()  # order fields or "kb:<slug>#<paragraph>"
    missing: tuple[str, ...] = ()


@dataclass(frozen=True)
class Draft:
    text: str
    sentences: tuple[DraftSentence, ...]
    missing: tuple[str, ...]
    macro_id: str
    articles: tuple[str, ...]  # slugs of the knowledge articles used
    findings: tuple[Finding, ...] = field(default=())

    @property
    def sources(self) -> tuple[str, ...]:
        return tuple(dict.fromkeys(s for sent in self.sentences for s in sent.sources))


def missing_marker(name: str) -> str:
    return f"[missing: {name}]"


def canonical(name: str) -> str:
    return ALIASES.get(name, name)


def _fill(template: str, facts: Mapping[str, Fact]) -> DraftSentence:
    out: list[str] = []
    sources: list[str] = []
    missing: list[str] = []
    for literal, name, _spec, _conv in string.Formatter().parse(template):
        out.append(literal)
        if name is None:
            continue
        fact = facts.get(canonical(name)) or facts.get(name)
        if fact is None or not fact.value:
            out.append(missing_marker(canonical(name)))
            missing.append(canonical(name))
        else:
            out.append(fact.value)
            sources.append(fact.source)
    return DraftSentence("".join(out), tuple(dict.fromkeys(sources)), tuple(dict.fromkeys(missing)))


def render_macro(template: str, facts: Mapping[str, Fact]) -> list[DraftSentence]:
    """The macro's sentences, variables filled from facts or left as missing markers."""
    return [_fill(template[start:end], facts) for start, end in sentence_spans(template)]


def passage_sentences(passages: Iterable[Passage]) -> list[DraftSentence]:
    return [DraftSentence(p.text, (f"kb:{p.source}",)) for p in passages]


def compose_draft(
    *,
    macro_id: str,
    template: str,
    facts: Mapping[str, Fact],
    passages: Sequence[Passage] = (),
) -> Draft:
    """Macro sentences first, then the policy passages (verbatim, each its own sentence)."""
    sentences = render_macro(template, facts) + passage_sentences(passages)
    missing = tuple(dict.fromkeys(m for s in sentences for m in s.missing))
    return Draft(
        text=" ".join(s.text for s in sentences),
        sentences=tuple(sentences),
        missing=missing,
        macro_id=macro_id,
        articles=tuple(dict.fromkeys(p.slug for p in passages)),
    )
