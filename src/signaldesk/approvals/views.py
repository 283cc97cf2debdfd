"""Console: the approvals queue (leads+) and the money-request form on the ticket page."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_POST

from signaldesk.approvals.models import MoneyRequest
from signaldesk.approvals.selectors import approvals_pending
from signaldesk.approvals.services import money_request_create, money_request_decide
from signaldesk.console.access import role_required
from signaldesk.core.audit import Actor
from signaldesk.core.errors import SignalDeskError
from signaldesk.tickets.models import Ticket

QUEUE_LIMIT = 200


@require_GET
@role_required("approvals.decide")
def queue(request: HttpRequest) -> HttpResponse:
    pending = list(approvals_pending()[:QUEUE_LIMIT])
    return render(request, "approvals/queue.html", {"pending": pending, "section": "approvals"})


@require_POST
@role_required("approvals.decide")
def decide(request: HttpRequest, request_id: int) -> HttpResponse:
    found = MoneyRequest.objects.filter(pk=request_id).first()
    if found is None:
        raise Http404("No such request.")
    approve = request.POST.get("decision") == "approve"
    try:
        money_request_decide(
            request=found,
            approve=approve,
            reason=str(request.POST.get("reason", "")),
            actor=Actor.of_user(request.user),
        )
    except SignalDeskError as exc:
        messages.error(request, exc.detail)
    else:
        messages.success(request, f"Request #{request_id} {'approved' if approve else 'denied'}.")
    return redirect("approvals:queue")


@require_POST
@role_required("tickets.write")
def ticket_request(request: HttpRequest, ticket_id: int) -> HttpResponse:
    ticket = Ticket.objects.select_related("customer", "order").filter(pk=ticket_id).first()
    if ticket is None:
        raise Http404("No such ticket.")
    try:
        amount = Decimal(str(request.POST.get("amount", "")).strip())
    except InvalidOperation:
        messages.error(request, "The amount is not a number.")
        return redirect("console:ticket", ticket_id=ticket_id)
    try:
        created = money_request_create(
            ticket=ticket,
            kind=str(request.POST.get("kind", "")),
            amount=amount,
            reason=str(request.POST.get("reason", "")),
            actor=Actor.of_user(request.user),
        )
    except SignalDeskError as exc:
        messages.error(request, exc.detail)
    else:
        messages.success(request, f"{created.get_kind_display()} request: {created.status}.")
    return redirect("console:ticket", ticket_id=ticket_id)
