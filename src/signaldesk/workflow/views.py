"""Console view: POST a workflow move from the ticket page (templates/workflow/_transitions.html),
then redirect back to the ticket (POST/redirect/GET)."""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.views.decorators.http import require_POST

from signaldesk.console.access import role_required
from signaldesk.core.audit import Actor
from signaldesk.core.errors import SignalDeskError
from signaldesk.tickets.models import Ticket
from signaldesk.workflow.services import ticket_transition

FIELD_PREFIX = "field_"


@require_POST
@role_required("tickets.write")
def transition(request: HttpRequest, ticket_id: int) -> HttpResponse:
    ticket = Ticket.objects.filter(pk=ticket_id).first()
    if ticket is None:
        raise Http404("No such ticket.")
    to_state = request.POST.get("to_state", "").strip()
    fields = {
        key.removeprefix(FIELD_PREFIX): str(request.POST.get(key, ""))
        for key in request.POST
        if key.startswith(FIELD_PREFIX)
    }
    try:
        ticket = ticket_transition(
            ticket=ticket, to_state=to_state, fields=fields, actor=Actor.of_user(request.user)
        )
    except SignalDeskError as exc:
        messages.error(request, exc.detail)
    else:
        messages.success(request, f"Moved to {to_state.replace('_', ' ')}.")
    return redirect("console:ticket", ticket_id=ticket_id)
