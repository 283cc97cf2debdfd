"""GET /api/v1/triage/tickets/{id}/enrichment and POST /api/v1/triage/tickets/{id}/run."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.http import HttpRequest
from ninja import Router, Schema

from signaldesk.accounts.api_auth import api_auth, authorize
from signaldesk.core.audit import Actor
from signaldesk.core.errors import NotFound
from signaldesk.tickets.models import Ticket
from signaldesk.triage.models import TicketEnrichment
from signaldesk.triage.selectors import enrichment_for_ticket
from signaldesk.triage.services import ticket_triage

triage_router = Router(auth=api_auth, tags=["triage"])


class EnrichmentOut(Schema):
    ticket_id: int
    order_id: int | None
    order_number: str | None
    order_match: str
    variant_id: int | None
    product_match: str
    sku: str
    size: str
    batch_code: str
    supplier: str
    tracking_number: str
    carrier: str
    warehouse: str
    region: str
    shipment_status: str
    promised_date: dt.date | None
    delivered_at: dt.datetime | None
    days_since_delivery: int | None
    days_late: int | None
    order_value: Decimal | None
    refund_amount: Decimal | None
    return_status: str
    customer_tier: str
    lifetime_value: Decimal | None
    is_vip: bool
    prior_tickets_90d: int
    open_tickets: int
    repeat_contact_7d: bool
    campaign: str
    discount_code: str
    channel: str
    language: str
    sentiment: float | None
    suggested_priority: str
    risk_flags: list[dict[str, Any]]
    entities: dict[str, list[dict[str, Any]]]
    provenance: dict[str, str]
    warnings: list[dict[str, str]]
    as_of: dt.datetime
    computed_at: dt.datetime

    @staticmethod
    def resolve_order_number(obj: TicketEnrichment) -> str | None:
        return obj.order.number if obj.order is not None else None


class RunOut(Schema):
    ticket_id: int
    changes: dict[str, list[Any]]
    enrichment: EnrichmentOut


def _ticket_or_404(ticket_id: int) -> None:
    if not Ticket.objects.filter(pk=ticket_id).exists():
        raise NotFound(f"Ticket {ticket_id} does not exist.")


@triage_router.get("/tickets/{ticket_id}/enrichment", response=EnrichmentOut)
def get_enrichment(request: HttpRequest, ticket_id: int) -> TicketEnrichment:
    authorize(request, "tickets.read")
    _ticket_or_404(ticket_id)
    row = enrichment_for_ticket(ticket_id=ticket_id)
    if row is None:
        raise NotFound(f"Ticket {ticket_id} has not been triaged yet.", code="not_triaged")
    return row


@triage_router.post("/tickets/{ticket_id}/run", response=RunOut)
def run_triage(request: HttpRequest, ticket_id: int) -> dict[str, Any]:
    authorize(request, "tickets.write")
    result = ticket_triage(ticket_id=ticket_id, actor=Actor.of_user(request.user))
    return {
        "ticket_id": ticket_id,
        "changes": {name: list(pair) for name, pair in result.changes.items()},
        "enrichment": enrichment_for_ticket(ticket_id=ticket_id),
    }
