"""Writes of the insights package: draft the weekly notes, edit a draft, publish (→ email).

Drafting is idempotent: re-drafting a week refreshes the drafts nobody has edited and leaves
edited drafts and published notes alone. Publishing emails the audience's recipients through the
transactional outbox, in the same transaction as the status change."""

from __future__ import annotations

import datetime as dt
import logging
import os

from django.db import transaction
from django.utils import timezone

from signaldesk.core.audit import Actor, audit_record
from signaldesk.core.errors import Conflict, ValidationError
from signaldesk.core.outbox import outbox_enqueue
from signaldesk.insights.gather import last_complete_week, store_facts, week_of
from signaldesk.insights.models import Audience, NoteRecipient, NoteStatus, WeeklyNote
from signaldesk.insights.note import draft_note
from signaldesk.insights.note.facts import AUDIENCES, NoteFacts
from signaldesk.insights.polish import polish_note

logger = logging.getLogger(__name__)

MAX_BODY_CHARS = 50_000


def note_draft(
    *,
    audience: str,
    store: NoteFacts,
    actor: Actor,
    polish: bool = False,
    now: dt.datetime | None = None,
) -> WeeklyNote:
    """Create or refresh the draft of ``audience`` for the week of ``store``."""
    if audience not in AUDIENCES:
        raise ValidationError(f"Unknown audience {audience!r}; one of {', '.join(AUDIENCES)}.")
    now = now or timezone.now()
    facts, body = draft_note(store, audience)
    facts_json = facts.as_dict()
    polished = False
    if polish:
        result = polish_note(body, facts_json)
        body, polished = result.text, result.polished
    ws = dt.date.fromisoformat(facts.week_start)
    with transaction.atomic():
        note = (
            WeeklyNote.objects.select_for_update().filter(audience=audience, week_start=ws).first()
        )
        if note is not None and (note.status == NoteStatus.PUBLISHED or note.editor_id):
            return note
        created = note is None
        if note is None:
            note = WeeklyNote(audience=audience, week_start=ws, created_at=now)
        note.week_end = dt.date.fromisoformat(facts.week_end)
        note.body_md = note.draft_md = body
        note.facts = facts_json
        note.polished = polished
        note.updated_at = now
        note.save()
        audit_record(
            actor=actor,
            action="insights.note_drafted",
            obj=note,
            after={
                "audience": audience,
                "week_start": ws,
                "created": created,
                "polished": polished,
            },
        )
    return note


def notes_draft_week(
    *,
    week_start: dt.date,
    actor: Actor,
    audiences: tuple[str, ...] = AUDIENCES,
    polish: bool = False,
    themes: bool = True,
) -> list[WeeklyNote]:
    """Gather the week's facts once and draft the note of every audience."""
    ws, _ = week_of(week_start)
    store = store_facts(week_start=ws, themes=themes)
    notes = [note_draft(audience=a, store=store, actor=actor, polish=polish) for a in audiences]
    logger.info("insights.notes_drafted", extra={"week_start": str(ws), "notes": len(notes)})
    return notes


def notes_draft_last_week(*, actor: Actor, today: dt.date | None = None) -> list[WeeklyNote]:
    from signaldesk.signals.services import local_day

    ws, _ = last_complete_week(today or local_day(timezone.now()))
    return notes_draft_week(week_start=ws, actor=actor, polish=polish_enabled())


def polish_enabled() -> bool:
    """SIGNALDESK_INSIGHTS_POLISH=1 sends the weekly drafts through the LLM (which must be
    configured: SIGNALDESK_LLM_BASE_URL); off by default."""
    return os.environ.get("SIGNALDESK_INSIGHTS_POLISH", "").strip().lower() in ("1", "true", "yes")


def note_edit(*, note: WeeklyNote, body_md: str, actor: Actor) -> WeeklyNote:
    """Replace a draft's text (a published note is final)."""
    body = body_md.replace("\r\n", "\n").strip() + "\n"
    if not body.strip():
        raise ValidationError("The note cannot be empty.")
    if len(body) > MAX_BODY_CHARS:
        raise ValidationError(f"The note is longer than {MAX_BODY_CHARS:,} characters.")
    with transaction.atomic():
        locked = WeeklyNote.objects.select_for_update().get(pk=note.pk)
        if locked.status != NoteStatus.DRAFT:
            raise Conflict("A published note cannot be edited.")
        before = len(locked.body_md)
        locked.body_md = body
        locked.editor_id = actor.user_id
        locked.edited_at = locked.updated_at = timezone.now()
        locked.save(update_fields=["body_md", "editor", "edited_at", "updated_at"])
        audit_record(
            actor=actor,
            action="insights.note_edited",
            obj=locked,
            before={"chars": before},
            after={"chars": len(body)},
        )
    return locked


def recipients_for(audience: str) -> list[str]:
    return list(
        NoteRecipient.objects.filter(audience=audience, active=True)
        .order_by("email")
        .values_list("email", flat=True)
    )


def note_publish(*, note: WeeklyNote, actor: Actor, now: dt.datetime | None = None) -> WeeklyNote:
    """Publish a draft and email it (outbox, one message per recipient, deduplicated)."""
    now = now or timezone.now()
    with transaction.atomic():
        locked = WeeklyNote.objects.select_for_update().get(pk=note.pk)
        if locked.status != NoteStatus.DRAFT:
            raise Conflict("This note is already published.")
        recipients = recipients_for(locked.audience)
        subject = (
            f"{Audience(locked.audience).label} insight note, week of {locked.week_start:%d %b %Y}"
        )
        for email in recipients:
            outbox_enqueue(
                kind="email",
                target=email,
                body=locked.body_md,
                dedupe_key=f"insights.note:{locked.pk}:{email}",
                now=now,
                headers={"Subject": subject},
            )
        locked.status = NoteStatus.PUBLISHED
        locked.published_at = locked.updated_at = now
        locked.published_by_id = actor.user_id
        locked.emailed_to = recipients
        locked.save(
            update_fields=["status", "published_at", "published_by", "emailed_to", "updated_at"]
        )
        audit_record(
            actor=actor,
            action="insights.note_published",
            obj=locked,
            before={"status": NoteStatus.DRAFT},
            after={"status": NoteStatus.PUBLISHED, "emailed_to": recipients},
        )
    return locked
