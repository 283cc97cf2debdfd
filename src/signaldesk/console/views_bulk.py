"""Console writes over several tickets: bulk actions from a queue, merge and split from the
ticket page. They call the same services as the API (tickets/bulk.py, tickets/merge.py)."""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST

from signaldesk.console import selectors
from signaldesk.console.access import role_required
from signaldesk.core.audit import Actor
from signaldesk.core.errors import NotFound, SignalDeskError
from signaldesk.tickets.bulk import tickets_bulk_apply
from signaldesk.tickets.merge import ticket_split, tickets_merge


def _ids(values: list[str]) -> list[int]:
    return [int(v) for v in values if v.isdigit()]


def _back_to_queue(request: HttpRequest) -> HttpResponse:
    target = request.POST.get("next", "")
    if target and url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        return redirect(target)
    return redirect("console:queues")


@require_POST
@role_required("tickets.write")
def queue_bulk(request: HttpRequest) -> HttpResponse:
    """The queue's action bar: assign (to me or an agent), set status, set priority."""
    action = request.POST.get("action", "")
    value: str | int | None
    if action == "assign_me":
        action, value = "assign", request.user.pk
    elif action == "assign":
        value = request.POST.get("assignee", "") or None
    else:
        value = request.POST.get(action.removeprefix("set_"), "")
    ids = _ids(request.POST.getlist("ids"))
    try:
        result = tickets_bulk_apply(
            ticket_ids=ids, action=action, value=value, actor=Actor.of_user(request.user)
        )
    except SignalDeskError as exc:
        messages.error(request, exc.detail)
    else:
        count = len(result.ticket_ids)
        messages.success(request, f"Updated {count} ticket{'s' if count != 1 else ''}.")
    return _back_to_queue(request)


@require_POST
@role_required("tickets.write")
def ticket_merge(request: HttpRequest, ticket_id: int) -> HttpResponse:
    raw = request.POST.get("into_ticket_id", "").strip().lstrip("#")
    try:
        source = selectors.ticket_get(ticket_id=ticket_id)
    except NotFound as exc:
        raise Http404(exc.detail) from exc
    try:
        if not raw.isdigit():
            raise NotFound("Enter the number of the ticket to merge into.")
        target = tickets_merge(
            source=source,
            target=selectors.ticket_get(ticket_id=int(raw)),
            actor=Actor.of_user(request.user),
        )
    except SignalDeskError as exc:
        messages.error(request, exc.detail)
        return redirect("console:ticket", ticket_id=ticket_id)
    messages.success(request, f"Ticket #{ticket_id} was merged into this ticket.")
    return redirect("console:ticket", ticket_id=target.pk)


@require_POST
@role_required("tickets.write")
def ticket_split_view(request: HttpRequest, ticket_id: int) -> HttpResponse:
    try:
        ticket = selectors.ticket_get(ticket_id=ticket_id)
    except NotFound as exc:
        raise Http404(exc.detail) from exc
    try:
        new = ticket_split(
            ticket=ticket,
            message_ids=_ids(request.POST.getlist("message_ids")),
            actor=Actor.of_user(request.user),
        )
    except SignalDeskError as exc:
        messages.error(request, exc.detail)
        return redirect("console:ticket", ticket_id=ticket_id)
    messages.success(request, f"Split off from #{ticket_id}.")
    return redirect("console:ticket", ticket_id=new.pk)


def assignable_agents() -> list[tuple[int, str]]:
    """(user id, username) of active staff, for the queue's "assign to" menu (capped)."""
    from django.contrib.auth import get_user_model

    from signaldesk.accounts.models import AgentProfile
    from signaldesk.accounts.permissions import CAPABILITIES

    roles = CAPABILITIES["tickets.write"]
    user_ids = AgentProfile.objects.filter(role__in=roles).values("user_id")
    users = get_user_model().objects.filter(pk__in=user_ids, is_active=True).order_by("username")
    return [(u.pk, u.get_username()) for u in users[:200]]
