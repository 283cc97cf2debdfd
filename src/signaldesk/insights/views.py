"""Console: the notes archive per audience, a note, the edit form and publish (leads+).

Readers without insights.write (agents, stakeholders) see published notes only, read-only."""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.safestring import mark_safe
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from signaldesk.accounts.permissions import role_allows
from signaldesk.console.access import role_required
from signaldesk.core.audit import Actor
from signaldesk.core.errors import SignalDeskError
from signaldesk.core.jobs import enqueue_on_commit
from signaldesk.insights.models import Audience, WeeklyNote
from signaldesk.insights.rendering import note_html
from signaldesk.insights.selectors import note_get, notes_list
from signaldesk.insights.services import note_edit, note_publish, recipients_for
from signaldesk.insights.tasks import weekly_notes_task


def _writer(request: HttpRequest) -> bool:
    return role_allows(getattr(request, "console_role", None), "insights.write")


def _note_or_404(request: HttpRequest, note_id: int) -> WeeklyNote:
    note = note_get(note_id=note_id, published_only=not _writer(request))
    if note is None:
        raise Http404("No such note.")
    return note


@require_GET
@role_required("insights.read")
def archive(request: HttpRequest) -> HttpResponse:
    audience = request.GET.get("audience", "")
    if audience not in Audience.values:
        audience = ""
    notes = list(notes_list(audience=audience or None, published_only=not _writer(request)))
    return render(
        request,
        "insights/archive.html",
        {
            "notes": notes,
            "audience": audience,
            "audiences": Audience.choices,
            "can_write": _writer(request),
            "section": "insights",
        },
    )


@require_GET
@role_required("insights.read")
def detail(request: HttpRequest, note_id: int) -> HttpResponse:
    note = _note_or_404(request, note_id)
    return render(
        request,
        "insights/detail.html",
        {
            "note": note,
            # note_html sanitises with nh3: raw HTML and unsafe links in the Markdown are dropped
            "body_html": mark_safe(note_html(note.body_md)),  # noqa: S308
            "recipients": recipients_for(note.audience) if _writer(request) else [],
            "can_write": _writer(request),
            "section": "insights",
        },
    )


@require_http_methods(["GET", "POST"])
@role_required("insights.write")
def edit(request: HttpRequest, note_id: int) -> HttpResponse:
    note = _note_or_404(request, note_id)
    body = note.body_md
    if request.method == "POST":
        body = str(request.POST.get("body_md", ""))
        try:
            note_edit(note=note, body_md=body, actor=Actor.of_user(request.user))
        except SignalDeskError as exc:
            messages.error(request, exc.detail)
        else:
            messages.success(request, "Note saved.")
            return redirect("insights:detail", note_id=note.pk)
    return render(
        request,
        "insights/edit.html",
        {"note": note, "body": body, "section": "insights"},
    )


@require_POST
@role_required("insights.write")
def publish(request: HttpRequest, note_id: int) -> HttpResponse:
    note = _note_or_404(request, note_id)
    try:
        done = note_publish(note=note, actor=Actor.of_user(request.user))
    except SignalDeskError as exc:
        messages.error(request, exc.detail)
    else:
        messages.success(request, f"Published and emailed to {len(done.emailed_to)} recipient(s).")
    return redirect("insights:detail", note_id=note.pk)


@require_POST
@role_required("insights.write")
def draft_now(request: HttpRequest) -> HttpResponse:
    enqueue_on_commit(weekly_notes_task)
    messages.success(request, "Drafting the notes of last week; untouched drafts are refreshed.")
    return redirect("insights:archive")
