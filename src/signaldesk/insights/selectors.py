"""Reads of the insights package."""

from __future__ import annotations

from django.db.models import QuerySet

from signaldesk.insights.models import NoteStatus, WeeklyNote


def notes_list(
    *, audience: str | None = None, published_only: bool = False, limit: int = 200
) -> QuerySet[WeeklyNote]:
    """Notes newest week first; ``published_only`` for readers who may not see drafts."""
    qs = WeeklyNote.objects.select_related("editor", "published_by")
    if audience:
        qs = qs.filter(audience=audience)
    if published_only:
        qs = qs.filter(status=NoteStatus.PUBLISHED)
    return qs.order_by("-week_start", "audience")[:limit]


def note_get(*, note_id: int, published_only: bool = False) -> WeeklyNote | None:
    qs = WeeklyNote.objects.select_related("editor", "published_by").filter(pk=note_id)
    if published_only:
        qs = qs.filter(status=NoteStatus.PUBLISHED)
    return qs.first()
