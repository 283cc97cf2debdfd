"""{% triage_panel ticket %}: what triage found — language, sentiment, risk flags with their
evidence, the model's top-3 and the enrichment join (order, SKU, batch, shipment, customer)."""

from __future__ import annotations

from typing import Any

from django import template

from signaldesk.tickets.models import Ticket
from signaldesk.triage.learning.models import ReasonPrediction
from signaldesk.triage.selectors import enrichment_for_ticket

register = template.Library()


@register.inclusion_tag("triage/_panel.html")
def triage_panel(ticket: Ticket) -> dict[str, Any]:
    prediction = (
        ReasonPrediction.objects.filter(ticket_id=ticket.pk).order_by("-created_at", "-id").first()
    )
    return {
        "ticket": ticket,
        "enrichment": enrichment_for_ticket(ticket_id=ticket.pk),
        "prediction": prediction,
    }


@register.filter
def percent(value: float | None) -> str:
    return "–" if value is None else f"{value * 100:.0f}%"
