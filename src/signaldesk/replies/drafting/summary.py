"""Extractive thread summaries for escalation (Django-free).

* ask: the key sentence of the first inbound message — the first sentence with a question mark
  or a request cue ("please", "can you", "I want", "bitte", "pouvez", "quiero" …), else the
  first sentence.
* facts: the order facts (label, value, source) as given.
* tried: one line per outbound message (first sentence) and per macro used.
* pending: open approvals, the workflow state, and missing data."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from signaldesk.replies.guardrails.patterns import sentence_spans

REQUEST_CUE_RE = re.compile(
    r"\b(?:please|can you|could you|i want|i need|i would like|i'd like|where is|when will|"
    r"bitte|können sie|ich möchte|wo ist|pouvez|je voudrais|où est|quiero|pueden|dónde está)\b",
    re.IGNORECASE,
)
MAX_SENTENCE = 240


@dataclass(frozen=True)
class ThreadMessage:
    direction: str  # "inbound" | "outbound" | "note"
    text: str
    at: str = ""  # ISO timestamp, for display


@dataclass(frozen=True)
class SummaryFact:
    label: str
    value: str
    source: str


@dataclass(frozen=True)
class ThreadSummary:
    ask: str
    facts: tuple[SummaryFact, ...]
    tried: tuple[str, ...]
    pending: tuple[str, ...]

    def as_text(self) -> str:
        lines = [f"Customer asks: {self.ask or '(no inbound message)'}"]
        lines += [f"- {f.label}: {f.value}" for f in self.facts]
        lines += [f"Tried: {t}" for t in self.tried] or ["Tried: nothing yet"]
        lines += [f"Pending: {p}" for p in self.pending] or ["Pending: nothing"]
        return "\n".join(lines)


def _sentences(text: str) -> list[str]:
    return [text[s:e] for s, e in sentence_spans(text)]


def _clip(sentence: str) -> str:
    sentence = " ".join(sentence.split())
    return sentence if len(sentence) <= MAX_SENTENCE else sentence[: MAX_SENTENCE - 1] + "…"


def key_sentence(text: str) -> str:
    sentences = _sentences(text)
    if not sentences:
        return ""
    for sentence in sentences:
        if "?" in sentence or REQUEST_CUE_RE.search(sentence):
            return _clip(sentence)
    return _clip(sentences[0])


def summarise_thread(
    *,
    messages: Sequence[ThreadMessage],
    facts: Sequence[SummaryFact] = (),
    macros_used: Sequence[str] = (),
    pending: Sequence[str] = (),
) -> ThreadSummary:
    first_inbound = next((m for m in messages if m.direction == "inbound"), None)
    tried = [
        _clip(f"Replied: {key}")
        for m in messages
        if m.direction == "outbound" and (key := (_sentences(m.text) or [""])[0])
    ]
    tried += [f"Macro used: {macro}" for macro in macros_used]
    return ThreadSummary(
        ask=key_sentence(first_inbound.text) if first_inbound else "",
        facts=tuple(facts),
        tried=tuple(tried),
        pending=tuple(pending),
    )
