"""Console pages. Each view parses, authorises (role_required), calls one selector or service,
and renders. Writes go through tickets/actions.py and redirect back (POST/redirect/GET)."""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_POST

from signaldesk.accounts.permissions import role_allows
from signaldesk.console import selectors, views_bulk
from signaldesk.console.access import role_required
from signaldesk.console.forms import NoteForm, ReasonForm, ReplyForm, SearchForm, StatusForm
from signaldesk.core.audit import Actor
from signaldesk.core.errors import NotFound, SignalDeskError
from signaldesk.replies.services import reply_send
from signaldesk.tickets import actions
from signaldesk.triage.learning.services import reason_correct


def _queue_key(request: HttpRequest) -> str:
    key = request.GET.get("queue", "now")
    return key if key.replace("-", "").replace("_", "").isalnum() else "now"


def _page_number(request: HttpRequest) -> int:
    raw = request.GET.get("page", "1")
    return int(raw) if raw.isdigit() else 1


@require_GET
@role_required("metrics.read")
def home(request: HttpRequest) -> HttpResponse:
    """Landing page by role: staff go to their queues, stakeholders to dashboards."""
    if role_allows(getattr(request, "console_role", None), "tickets.read"):
        return redirect("console:queue", key="now")
    return redirect("console:dashboards")


@require_GET
@role_required("tickets.read")
def queue(request: HttpRequest, key: str = "now") -> HttpResponse:
    try:
        page = selectors.queue_page(key=key, user=request.user, page=_page_number(request))
    except NotFound as exc:
        raise Http404(exc.detail) from exc
    counts = selectors.queue_counts(user=request.user)
    context = {"page": page, "counts": counts, "section": "queues"}
    context["assignees"] = views_bulk.assignable_agents()  # the bulk action bar
    return render(request, "console/queue.html", context)


@require_GET
@role_required("tickets.read")
def queue_counts(request: HttpRequest) -> HttpResponse:
    counts = selectors.queue_counts(user=request.user)
    current = request.GET.get("current", "")
    return render(request, "console/_queue_counts.html", {"counts": counts, "current": current})


@require_GET
@role_required("tickets.read")
def ticket_detail(request: HttpRequest, ticket_id: int) -> HttpResponse:
    try:
        workspace = selectors.ticket_workspace(ticket_id=ticket_id)
    except NotFound as exc:
        raise Http404(exc.detail) from exc
    context = {
        "ws": workspace,
        "ticket": workspace.ticket,
        "section": "queues",
        "queue_key": _queue_key(request),
        "reply_form": ReplyForm(),
        "note_form": NoteForm(),
        "reason_form": ReasonForm(
            initial={"reason": workspace.ticket.contact_reason},
            choices=workspace.reason_choices,
        ),
    }
    return render(request, "console/ticket.html", context)


def _back(ticket_id: int) -> HttpResponse:
    return redirect("console:ticket", ticket_id=ticket_id)


def _report(request: HttpRequest, exc: SignalDeskError) -> None:
    messages.error(request, exc.detail)


@require_POST
@role_required("tickets.write")
def ticket_reply(request: HttpRequest, ticket_id: int) -> HttpResponse:
    form = ReplyForm(request.POST)
    if not form.is_valid():
        messages.error(request, "Write a reply first.")
        return _back(ticket_id)
    try:  # through the guardrails (replies/services.py): blocked replies are not sent
        result = reply_send(
            ticket=selectors.ticket_get(ticket_id=ticket_id),
            text=form.cleaned_data["body"],
            actor=Actor.of_user(request.user),
            author=request.user,  # type: ignore[arg-type]
            override_reason=request.POST.get("override_reason") or None,
            macro_slug=request.POST.get("macro_id") or None,
        )
    except NotFound as exc:
        raise Http404(exc.detail) from exc
    except SignalDeskError as exc:
        _report(request, exc)
    else:
        if result.sent:
            messages.success(request, "Reply added to the thread.")
        else:
            messages.error(request, "Reply not sent: the guardrails found problems (see panel).")
    return _back(ticket_id)


@require_POST
@role_required("tickets.write")
def ticket_note(request: HttpRequest, ticket_id: int) -> HttpResponse:
    form = NoteForm(request.POST)
    if not form.is_valid():
        messages.error(request, "Write a note first.")
        return _back(ticket_id)
    try:
        actions.ticket_add_note(
            ticket=selectors.ticket_get(ticket_id=ticket_id),
            author=request.user,  # type: ignore[arg-type]
            body=form.cleaned_data["body"],
            actor=Actor.of_user(request.user),
        )
    except NotFound as exc:
        raise Http404(exc.detail) from exc
    except SignalDeskError as exc:
        _report(request, exc)
    else:
        messages.success(request, "Internal note added.")
    return _back(ticket_id)


@require_POST
@role_required("tickets.write")
def ticket_status(request: HttpRequest, ticket_id: int) -> HttpResponse:
    form = StatusForm(request.POST)
    if not form.is_valid():
        messages.error(request, "Pick a valid status.")
        return _back(ticket_id)
    try:
        ticket = actions.ticket_set_status(
            ticket=selectors.ticket_get(ticket_id=ticket_id),
            status=form.cleaned_data["status"],
            actor=Actor.of_user(request.user),
        )
    except NotFound as exc:
        raise Http404(exc.detail) from exc
    messages.success(request, f"Status is now {ticket.get_status_display()}.")
    return _back(ticket_id)


@require_POST
@role_required("tickets.write")
def ticket_assign_me(request: HttpRequest, ticket_id: int) -> HttpResponse:
    try:
        actions.ticket_assign(
            ticket=selectors.ticket_get(ticket_id=ticket_id),
            assignee=request.user,  # type: ignore[arg-type]
            actor=Actor.of_user(request.user),
        )
    except NotFound as exc:
        raise Http404(exc.detail) from exc
    messages.success(request, "Assigned to you.")
    return _back(ticket_id)


@require_POST
@role_required("tickets.write")
def ticket_reason(request: HttpRequest, ticket_id: int) -> HttpResponse:
    choices = selectors.reason_choices()
    form = ReasonForm(request.POST, choices=choices)
    try:
        ticket = selectors.ticket_get(ticket_id=ticket_id)
        if form.is_valid():
            # through the learning loop: records a ReasonCorrection for the next retrain
            reason_correct(
                ticket=ticket,
                reason_id=form.cleaned_data["reason"],
                actor=Actor.of_user(request.user),
            )
            ticket = selectors.ticket_get(ticket_id=ticket_id)
    except NotFound as exc:
        raise Http404(exc.detail) from exc
    if request.htmx:  # type: ignore[attr-defined]
        context = {"ticket": ticket, "reason_form": form, "saved": form.is_valid()}
        return render(request, "console/_reason.html", context)
    if form.is_valid():
        messages.success(request, "Contact reason corrected.")
    else:
        messages.error(request, "Pick a reason from the list.")
    return _back(ticket_id)


@require_GET
@role_required("tickets.read")
def search(request: HttpRequest) -> HttpResponse:
    form = SearchForm(request.GET)
    query = form.cleaned_data["q"] if form.is_valid() else ""
    result = selectors.ticket_search(query=query)
    if result.exact_ticket_id is not None:
        return redirect("console:ticket", ticket_id=result.exact_ticket_id)
    return render(request, "console/search.html", {"result": result, "section": "queues"})


def permission_denied(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    """The 403 page (handler403): plain, with a way back, and no detail about why."""
    return render(request, "console/403.html", {}, status=403)
