"""Background jobs of insights: thin, idempotent wrappers (declared in config/schedule.py)."""

from __future__ import annotations

from signaldesk.config.celery import celery_app
from signaldesk.core.audit import Actor


@celery_app.task(name="insights.weekly_notes")
def weekly_notes_task() -> int:
    """Draft the notes of the last complete week for every audience. Re-running refreshes the
    untouched drafts and never changes an edited or published note."""
    from signaldesk.insights.services import notes_draft_last_week

    return len(notes_draft_last_week(actor=Actor.system("insights.weekly_notes")))
