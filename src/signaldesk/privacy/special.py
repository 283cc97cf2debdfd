"""Export and erasure for the models no query can select per customer: theme quotes (JSON lists
over many customers), weekly notes that copied those quotes, and the audit log."""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from typing import Any

from signaldesk.core.audit import to_jsonable
from signaldesk.core.models import AuditEvent
from signaldesk.insights.models import WeeklyNote
from signaldesk.privacy.redact import ERASED, scrub_json, scrub_text, secrets_pattern
from signaldesk.privacy.subject import Subject
from signaldesk.signals.models import Theme

CHUNK = 500
# Keys whose values are personal in the before/after/context of audit events on the subject's rows.
AUDIT_KEYS = frozenset(
    {
        "name", "email", "phone", "value", "subject", "external_thread_id", "body", "body_text",
        "body_html", "text", "comment", "title", "reason_text", "question", "from_address",
        "to_addresses", "filename", "satisfaction_comment", "author_label", "shipping_city",
    }
)  # fmt: skip
AUDIT_MARKER = "privacy_erasure"  # context key the audit trigger allows (privacy migration 0002)


def _quote_is_theirs(quote: Any, s: Subject) -> bool:
    if not isinstance(quote, dict):
        return False
    kind, obj = quote.get("kind"), quote.get("id")
    ids = {"ticket": s.ticket_ids, "chat": s.ticket_ids, "review": s.review_ids}
    return obj in ids.get(str(kind), s.return_ids if kind == "return" else ())


def themes_export(s: Subject) -> Iterator[dict[str, Any]]:
    """Themes quoting the customer, with those quotes only. Themes are few (one run a day
    keeps a few dozen), so they are read in chunks and filtered here."""
    for theme in Theme.objects.only("id", "run_id", "label", "quotes").iterator(chunk_size=CHUNK):
        quotes = [q for q in theme.quotes or [] if _quote_is_theirs(q, s)]
        if quotes:
            yield {"id": theme.pk, "run_id": theme.run_id, "label": theme.label, "quotes": quotes}


def themes_erase(s: Subject) -> tuple[int, list[str]]:
    """Replace the customer's quotes with ERASED; returns (themes changed, the old quote texts)."""
    changed: list[int] = []
    texts: list[str] = []
    for row in list(themes_export(s)):
        theme = Theme.objects.get(pk=row["id"])
        new_quotes = []
        for quote in theme.quotes:
            if _quote_is_theirs(quote, s):
                texts.append(str(quote.get("text", "")))
                quote = {**quote, "text": ERASED}
            new_quotes.append(quote)
        Theme.objects.filter(pk=theme.pk).update(quotes=new_quotes)
        changed.append(theme.pk)
    return len(changed), texts


def notes_export(quote_texts: list[str]) -> Iterator[dict[str, Any]]:
    pattern = secrets_pattern(quote_texts)
    if pattern is None:
        return
    fields = ("id", "audience", "status", "body_md", "draft_md")
    for note in WeeklyNote.objects.only(*fields, "facts").iterator(chunk_size=CHUNK):
        if any(pattern.search(text) for text in (note.body_md, note.draft_md, str(note.facts))):
            yield {"id": note.pk, "audience": note.audience, "status": note.status}


def notes_erase(quote_texts: list[str]) -> int:
    """Weekly notes that copied one of the erased quotes get it replaced by ERASED."""
    pattern = secrets_pattern(quote_texts)
    count = 0
    for row in list(notes_export(quote_texts)):
        note = WeeklyNote.objects.get(pk=row["id"])
        WeeklyNote.objects.filter(pk=note.pk).update(
            body_md=scrub_text(note.body_md, pattern),
            draft_md=scrub_text(note.draft_md, pattern),
            facts=scrub_json(note.facts, pattern),
        )
        count += 1
    return count


def _audit_rows(selected: Mapping[str, list[int]]) -> Iterator[AuditEvent]:
    for label, pks in sorted(selected.items()):
        ids = [str(pk) for pk in pks]
        for start in range(0, len(ids), CHUNK):
            yield from AuditEvent.objects.filter(
                object_type=label.lower(), object_id__in=ids[start : start + CHUNK]
            ).order_by("id")


def audit_export(selected: Mapping[str, list[int]]) -> Iterator[dict[str, Any]]:
    for event in _audit_rows(selected):
        yield {
            "id": event.pk,
            "occurred_at": to_jsonable(event.occurred_at),
            "actor_label": event.actor_label,
            "action": event.action,
            "object_type": event.object_type,
            "object_id": event.object_id,
            "before": event.before,
            "after": event.after,
            "context": event.context,
        }


def audit_redact(
    selected: Mapping[str, list[int]], pattern: re.Pattern[str] | None, record_id: int
) -> int:
    """Rewrite before/after/context of the events on the subject's rows without their personal
    values, stamping context[AUDIT_MARKER] = the erasure record. The append-only trigger
    allows exactly this update (same row identity, a marker naming an existing ErasureRecord,
    never twice)."""
    count = 0
    for event in list(_audit_rows(selected)):
        if AUDIT_MARKER in (event.context or {}):
            continue
        before = scrub_json(event.before, pattern, AUDIT_KEYS)
        after = scrub_json(event.after, pattern, AUDIT_KEYS)
        context = scrub_json(event.context or {}, pattern, AUDIT_KEYS)
        if before == event.before and after == event.after and context == (event.context or {}):
            continue
        AuditEvent.objects.filter(pk=event.pk).update(
            before=before, after=after, context={**context, AUDIT_MARKER: record_id}
        )
        count += 1
    return count
