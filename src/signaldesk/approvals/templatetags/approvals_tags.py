"""{% approvals_panel ticket %}: the ticket's money requests and a form to request one."""

from __future__ import annotations

from typing import Any

from django import template

from signaldesk.approvals.models import MoneyKind
from signaldesk.approvals.selectors import ticket_money_requests
from signaldesk.tickets.models import Ticket

register = template.Library()


@register.inclusion_tag("approvals/_ticket_panel.html", takes_context=True)
def approvals_panel(context: template.Context, ticket: Ticket) -> dict[str, Any]:
    return {
        "ticket": ticket,
        "requests": ticket_money_requests(ticket_id=ticket.pk),
        "kinds": MoneyKind.choices,
        "csrf_token": context.get("csrf_token"),
    }
