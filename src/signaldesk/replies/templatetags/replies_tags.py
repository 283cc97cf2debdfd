"""{% replies_panel ticket %}: the grounded draft with its sources, the guardrail findings of the
last checked reply, and the thread summary, for the console's ticket page."""

from __future__ import annotations

from typing import Any

from django import template

from signaldesk.replies.drafts import draft_for
from signaldesk.replies.grounding import ticket_grounding
from signaldesk.replies.selectors import latest_guardrail_report
from signaldesk.replies.summaries import summary_build
from signaldesk.tickets.models import Ticket

register = template.Library()


@register.inclusion_tag("replies/_draft.html", takes_context=True)
def replies_panel(context: template.Context, ticket: Ticket) -> dict[str, Any]:
    request = context.get("request")
    agent = getattr(request, "user", None)
    grounding = ticket_grounding(
        ticket=ticket, agent=agent if agent is not None and agent.is_authenticated else None
    )
    report = latest_guardrail_report(ticket_id=ticket.pk)
    return {
        "ticket": ticket,
        "draft": draft_for(ticket=ticket, grounding=grounding),
        "report": report if report is not None and not report.sent else None,
        "summary": summary_build(ticket=ticket),
    }
