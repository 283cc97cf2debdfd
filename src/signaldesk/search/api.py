"""GET /api/v1/search?q=… : full-text search over tickets and customers."""

from __future__ import annotations

from typing import Literal

from django.http import HttpRequest
from ninja import Field, Query, Router, Schema

from signaldesk.accounts.api_auth import api_auth, authorize
from signaldesk.search.selectors import MAX_LIMIT, search_customers, search_tickets

search_router = Router(auth=api_auth, tags=["search"])


class SearchParams(Schema):
    q: str = Field(..., min_length=1, max_length=200)
    kind: Literal["all", "tickets", "customers"] = "all"
    status: Literal["new", "open", "pending", "on_hold", "solved", "closed"] | None = None
    limit: int = Field(20, ge=1, le=MAX_LIMIT)


class TicketHitOut(Schema):
    ticket_id: int
    subject: str
    status: str
    customer_id: int | None
    score: float
    snippet: str = Field(..., description="HTML-escaped text with <mark> around matches.")
    matched_in: str


class CustomerHitOut(Schema):
    customer_id: int
    name: str
    email: str
    score: float
    snippet: str


class SearchOut(Schema):
    query: str
    tickets: list[TicketHitOut]
    customers: list[CustomerHitOut]


@search_router.get("", response=SearchOut)
def search(request: HttpRequest, params: Query[SearchParams]) -> SearchOut:
    """Tickets (subject and message text; `status` filters them) and customers (name, email,
    identities), best match first. Tickets need tickets.read, customers need customers.read."""
    tickets: list[TicketHitOut] = []
    customers: list[CustomerHitOut] = []
    if params.kind in ("all", "tickets"):
        authorize(request, "tickets.read")
        hits = search_tickets(query=params.q, limit=params.limit, status=params.status)
        tickets = [TicketHitOut(**{**vars(h), "snippet": str(h.snippet)}) for h in hits]
    if params.kind in ("all", "customers"):
        authorize(request, "customers.read")
        found = search_customers(query=params.q, limit=params.limit)
        customers = [CustomerHitOut(**{**vars(h), "snippet": str(h.snippet)}) for h in found]
    return SearchOut(query=params.q, tickets=tickets, customers=customers)
