"""The training set of the reason classifier, read from the database and the active taxonomy.

Sources (each example is subject + first inbound message, cleaned as triage cleans it):
- ``history``: tickets whose reason was set by an agent, a tag mapping or an import;
- ``agent_corrections``: tickets an agent corrected (a ReasonCorrection exists and the ticket
  still carries an agent reason); repeated ``CORRECTION_WEIGHT`` times in the training set;
- ``taxonomy_examples``: the example phrases of every reason in the active taxonomy, so a fresh
  install with no history still trains a usable model.
Only reasons of the active taxonomy are used; reasons with fewer than ``MIN_EXAMPLES`` distinct
examples are skipped and reported in the summary."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from signaldesk.privacy.redact import ERASED
from signaldesk.taxonomy.domain import Taxonomy
from signaldesk.tickets.models import Direction, Message, Ticket
from signaldesk.triage.learning.models import ReasonCorrection
from signaldesk.triage.text.cleaning import clean_for_classification

HISTORY_SOURCES = ("agent", "tag_mapping", "import")
CORRECTION_WEIGHT = 3
MIN_EXAMPLES = 2
MAX_HISTORY = 50_000  # most recent labelled tickets
MAX_BODY_CHARS = 4000
_CHUNK = 1000


@dataclass(frozen=True)
class Example:
    text: str
    label: str
    source: str  # history | agent_corrections | taxonomy_examples
    weight: int = 1


@dataclass
class TrainingSet:
    examples: list[Example] = field(default_factory=list)
    skipped: dict[str, str] = field(default_factory=dict)  # reason → why

    @property
    def labels(self) -> list[str]:
        return sorted({e.label for e in self.examples})

    def summary(self) -> dict[str, Any]:
        by_source = Counter(e.source for e in self.examples)
        by_reason = Counter(e.label for e in self.examples)
        return {
            "n_examples": len(self.examples),
            "n_weighted": sum(e.weight for e in self.examples),
            "by_source": {
                s: by_source.get(s, 0)
                for s in ("history", "tag_mapping", "agent_corrections", "taxonomy_examples")
            },
            "by_reason": dict(sorted(by_reason.items())),
            "skipped_reasons": dict(sorted(self.skipped.items())),
            "correction_weight": CORRECTION_WEIGHT,
        }


def ticket_text(subject: str, first_inbound: str) -> str:
    """The classifier input for a ticket: its subject and first inbound message, cleaned."""
    body = clean_for_classification(first_inbound[:MAX_BODY_CHARS]) if first_inbound else ""
    parts = [" ".join(subject.split()), body]
    return "\n\n".join(p for p in parts if p)


def first_inbound_bodies(ticket_ids: Iterable[int]) -> dict[int, str]:
    """ticket id → body of its first inbound message, read in chunks."""
    ids = list(ticket_ids)
    out: dict[int, str] = {}
    for start in range(0, len(ids), _CHUNK):
        rows = (
            Message.objects.filter(
                ticket_id__in=ids[start : start + _CHUNK], direction=Direction.INBOUND
            )
            .order_by("ticket_id", "created_at", "id")
            .values_list("ticket_id", "body_text")
        )
        for ticket_id, body in rows:
            out.setdefault(ticket_id, body or "")
    return out


def _history(known: set[str]) -> list[Example]:
    corrected = set(ReasonCorrection.objects.values_list("ticket_id", flat=True).distinct())
    rows = list(
        Ticket.objects.filter(reason_source__in=HISTORY_SOURCES, contact_reason__in=known)
        .order_by("-created_at", "-id")
        .values_list("id", "subject", "contact_reason", "reason_source")[:MAX_HISTORY]
    )
    bodies = first_inbound_bodies(r[0] for r in rows)
    out: list[Example] = []
    for ticket_id, subject, reason, source in rows:
        if ERASED in (subject, bodies.get(ticket_id)):
            continue  # the customer's data was erased (privacy): not a training text any more
        text = ticket_text(subject, bodies.get(ticket_id, ""))
        if not text:
            continue
        if source == "agent" and ticket_id in corrected:
            out.append(Example(text, reason, "agent_corrections", CORRECTION_WEIGHT))
        else:
            out.append(
                Example(text, reason, "tag_mapping" if source == "tag_mapping" else "history")
            )
    return out


def training_set(taxonomy: Taxonomy) -> TrainingSet:
    """Collect, de-duplicate (same text and label) and filter the training examples."""
    known = set(taxonomy.ids)
    candidates = _history(known)
    for reason in taxonomy.reasons:
        candidates.extend(
            Example(" ".join(p.split()), reason.id, "taxonomy_examples") for p in reason.examples
        )
    seen: dict[tuple[str, str], Example] = {}
    for ex in candidates:  # corrections come first among equal texts: keep the heavier one
        key = (ex.text, ex.label)
        if key not in seen or ex.weight > seen[key].weight:
            seen[key] = ex
    examples = list(seen.values())
    counts = Counter(e.label for e in examples)
    out = TrainingSet()
    for reason_id in sorted(known):
        if counts.get(reason_id, 0) < MIN_EXAMPLES:
            out.skipped[reason_id] = (
                f"{counts.get(reason_id, 0)} example(s); at least {MIN_EXAMPLES} needed"
            )
    out.examples = [e for e in examples if e.label not in out.skipped]
    return out
