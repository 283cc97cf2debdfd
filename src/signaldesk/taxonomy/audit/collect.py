"""Stream the tickets once and gather what the audit needs: per-tag counts (all tickets) and a
bounded sample of ticket texts per tag (so memory stays flat on millions of tickets)."""

from __future__ import annotations

import datetime as dt
from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field

from signaldesk.tickets.models import Direction, Message, Ticket

# reason_source values whose contact_reason is independent evidence about a ticket (a tag
# mapping's reason would be circular when judging the tags themselves).
EVIDENCE_SOURCES = frozenset({"agent", "model", "import", "self_service"})


def normalise_tag(tag: object) -> str:
    return str(tag).strip().lower()


@dataclass
class TagCorpus:
    tickets_scanned: int = 0
    tickets_tagged: int = 0
    uses: Counter[str] = field(default_factory=Counter)
    last_used: dict[str, dt.datetime] = field(default_factory=dict)
    agent_uses: dict[str, Counter[str]] = field(default_factory=lambda: defaultdict(Counter))
    sample: dict[str, list[int]] = field(default_factory=lambda: defaultdict(list))
    ticket_tags: dict[int, tuple[str, ...]] = field(default_factory=dict)
    ticket_reason: dict[int, str] = field(default_factory=dict)
    texts: dict[int, str] = field(default_factory=dict)


def collect_corpus(
    *, since: dt.datetime | None, until: dt.datetime, sample_per_tag: int
) -> TagCorpus:
    corpus = TagCorpus()
    qs = Ticket.objects.filter(created_at__lt=until)
    if since is not None:
        qs = qs.filter(created_at__gte=since)
    rows = qs.order_by("id").values_list(
        "id",
        "tags",
        "subject",
        "assignee__username",
        "created_at",
        "contact_reason",
        "reason_source",
    )
    subjects: dict[int, str] = {}
    for ticket_id, raw_tags, subject, agent, created_at, reason, source in rows.iterator(
        chunk_size=5000
    ):
        corpus.tickets_scanned += 1
        tags = tuple(dict.fromkeys(normalise_tag(t) for t in (raw_tags or []) if str(t).strip()))
        if not tags:
            continue
        corpus.tickets_tagged += 1
        keep = False
        for tag in tags:
            corpus.uses[tag] += 1
            if tag not in corpus.last_used or created_at > corpus.last_used[tag]:
                corpus.last_used[tag] = created_at
            if agent:
                corpus.agent_uses[tag][agent] += 1
            if len(corpus.sample[tag]) < sample_per_tag:
                corpus.sample[tag].append(ticket_id)
                keep = True
        if keep:
            corpus.ticket_tags[ticket_id] = tags
            subjects[ticket_id] = subject or ""
            if reason and source in EVIDENCE_SOURCES:
                corpus.ticket_reason[ticket_id] = reason
    bodies = _first_inbound_bodies(subjects.keys())
    for ticket_id, subject in subjects.items():
        corpus.texts[ticket_id] = f"{subject}\n{bodies.get(ticket_id, '')}".strip()
    return corpus


def _first_inbound_bodies(ticket_ids: Iterable[int], chunk: int = 1000) -> dict[int, str]:
    ids = list(ticket_ids)
    out: dict[int, str] = {}
    for start in range(0, len(ids), chunk):
        rows = (
            Message.objects.filter(
                ticket_id__in=ids[start : start + chunk], direction=Direction.INBOUND
            )
            .order_by("ticket_id", "created_at", "id")
            .values_list("ticket_id", "body_text")
        )
        for ticket_id, body in rows:
            if ticket_id not in out:
                out[ticket_id] = (body or "")[:2000]
    return out
