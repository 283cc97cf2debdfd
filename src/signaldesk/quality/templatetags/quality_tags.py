"""{% quality_panel ticket %}: the automatic scorecard of every reply sent on the ticket, with
the reasons behind each sub-score and the human QA review when there is one."""

from __future__ import annotations

from typing import Any

from django import template

from signaldesk.quality.selectors import scorecards_for_ticket
from signaldesk.tickets.models import Ticket

register = template.Library()

SUBSCORES = (
    ("factual", "Factual accuracy"),
    ("policy", "Policy compliance"),
    ("next_step", "Clear next step"),
    ("personalisation", "Personalisation"),
    ("tone", "Tone"),
)


@register.inclusion_tag("quality/_panel.html")
def quality_panel(ticket: Ticket) -> dict[str, Any]:
    cards = []
    for card in scorecards_for_ticket(ticket_id=ticket.pk).select_related("review"):
        rows = [
            (label, getattr(card, name), card.reasons.get(name, [])) for name, label in SUBSCORES
        ]
        review = getattr(card, "review", None)
        cards.append({"card": card, "rows": rows, "review": review})
    return {"ticket": ticket, "cards": cards}
