"""{% workflow_panel ticket %}: the ticket's workflow moves and SLA clocks, for the console."""

from __future__ import annotations

from typing import Any

from django import template

from signaldesk.tickets.models import Ticket
from signaldesk.workflow.selectors import allowed_transitions, sla_clocks

register = template.Library()


@register.inclusion_tag("workflow/_transitions.html", takes_context=True)
def workflow_panel(context: template.Context, ticket: Ticket) -> dict[str, Any]:
    return {
        "ticket": ticket,
        "workflow": allowed_transitions(ticket),
        "clocks": sla_clocks(ticket_id=ticket.pk),
        "csrf_token": context.get("csrf_token"),
    }
