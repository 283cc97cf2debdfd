"""GET /api/v1/insights/notes, GET /api/v1/insights/notes/{id},
POST /api/v1/insights/notes/{id}/publish.

Everyone with insights.read sees published notes; callers who may also write (leads+) see the
drafts too."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.http import HttpRequest
from ninja import Router, Schema

from signaldesk.accounts.api_auth import api_auth, authorize
from signaldesk.accounts.permissions import role_allows, scopes_allow
from signaldesk.accounts.selectors import user_role
from signaldesk.core.audit import Actor
from signaldesk.core.errors import NotFound
from signaldesk.core.pagination import PageLimit
from signaldesk.insights.rendering import note_html
from signaldesk.insights.selectors import note_get, notes_list
from signaldesk.insights.services import note_publish

insights_router = Router(auth=api_auth, tags=["insights"])


class NoteOut(Schema):
    id: int
    audience: str
    week_start: dt.date
    week_end: dt.date
    status: str
    body_md: str
    body_html: str
    facts: dict[str, Any]
    polished: bool
    edited_at: dt.datetime | None
    published_at: dt.datetime | None
    emailed_to: list[str]

    @staticmethod
    def resolve_body_html(obj: Any) -> str:
        return note_html(obj.body_md)


def _sees_drafts(request: HttpRequest) -> bool:
    token = getattr(request, "api_token", None)
    allowed = role_allows(user_role(request.user), "insights.write")
    return allowed and (token is None or scopes_allow(token.scopes, "insights.write"))


@insights_router.get("/notes", response=list[NoteOut])
def list_notes(request: HttpRequest, audience: str | None = None, limit: PageLimit = 50) -> Any:
    authorize(request, "insights.read")
    published_only = not _sees_drafts(request)
    return list(notes_list(audience=audience, published_only=published_only, limit=limit))


def _note(request: HttpRequest, note_id: int) -> Any:
    note = note_get(note_id=note_id, published_only=not _sees_drafts(request))
    if note is None:
        raise NotFound(f"Note {note_id} does not exist.")
    return note


@insights_router.get("/notes/{note_id}", response=NoteOut)
def get_note(request: HttpRequest, note_id: int) -> Any:
    authorize(request, "insights.read")
    return _note(request, note_id)


@insights_router.post("/notes/{note_id}/publish", response=NoteOut)
def publish_note(request: HttpRequest, note_id: int) -> Any:
    authorize(request, "insights.write")
    return note_publish(note=_note(request, note_id), actor=Actor.of_user(request.user))
