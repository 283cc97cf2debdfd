"""Console search: the header box goes to a results page (ticket number, order number and
identity lookups, then full-text hits); typing shows live results through HTMX."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET

from signaldesk.accounts.permissions import role_allows
from signaldesk.console import selectors
from signaldesk.console.access import role_required
from signaldesk.console.forms import SearchForm
from signaldesk.search.selectors import search_customers, search_tickets
from signaldesk.tickets.models import TicketStatus

LIVE_LIMIT = 8
PAGE_LIMIT = 50


def _query(request: HttpRequest) -> str:
    form = SearchForm(request.GET)
    return form.cleaned_data["q"].strip() if form.is_valid() else ""


def _status(request: HttpRequest) -> str | None:
    status = request.GET.get("status", "")
    return status if status in TicketStatus.values else None


@require_GET
@role_required("tickets.read")
def search(request: HttpRequest) -> HttpResponse:
    query = _query(request)
    status = _status(request)
    lookup = selectors.ticket_search(query=query)
    if lookup.exact_ticket_id is not None:
        return redirect("console:ticket", ticket_id=lookup.exact_ticket_id)
    can_see_customers = role_allows(getattr(request, "console_role", None), "customers.read")
    context = {
        "result": lookup,
        "status": status or "",
        "statuses": TicketStatus.choices,
        "hits": search_tickets(query=query, limit=PAGE_LIMIT, status=status) if query else [],
        "customers": search_customers(query=query, limit=10) if query and can_see_customers else [],
        "section": "queues",
    }
    return render(request, "console/search.html", context)


@require_GET
@role_required("tickets.read")
def search_live(request: HttpRequest) -> HttpResponse:
    """The drop-down under the header box (HTMX, debounced in the template)."""
    query = _query(request)
    hits = search_tickets(query=query, limit=LIVE_LIMIT) if len(query) >= 2 else []
    return render(request, "console/_search_live.html", {"query": query, "hits": hits})
