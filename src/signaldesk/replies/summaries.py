"""Thread summaries for escalation (extractive): the customer's ask, the order facts, what was
tried (outbound replies, macros used) and what is pending (approvals, workflow, missing data)."""

from __future__ import annotations

from signaldesk.replies.drafting.summary import (
    SummaryFact,
    ThreadMessage,
    ThreadSummary,
    summarise_thread,
)
from signaldesk.replies.grounding import ticket_grounding
from signaldesk.replies.selectors import macros_used_on
from signaldesk.tickets.models import Ticket

THREAD_LIMIT = 200
FACT_LABELS = (
    ("order_number", "Order"),
    ("items", "Items"),
    ("carrier", "Carrier"),
    ("tracking_number", "Tracking"),
    ("delivery_status", "Delivery status"),
    ("promised_date", "Promised date"),
    ("return_status", "Return"),
    ("refund_amount", "Refund amount"),
    ("refund_status", "Refund status"),
)
PENDING_STATES = {
    "awaiting_approval": "Refund/credit approval is open",
    "missing_data": "Waiting for missing data from the customer",
    "assessing": "Replacement/warranty assessment is open",
    "awaiting_item": "Waiting for the returned item",
}


def summary_build(*, ticket: Ticket) -> ThreadSummary:
    grounding = ticket_grounding(ticket=ticket)
    messages = [
        ThreadMessage(m.direction, m.body_text, m.created_at.isoformat())
        for m in ticket.messages.order_by("created_at", "id")[:THREAD_LIMIT]
    ]
    facts = [
        SummaryFact(label, grounding.facts[key].value, grounding.facts[key].source)
        for key, label in FACT_LABELS
        if key in grounding.facts
    ]
    pending: list[str] = []
    if ticket.workflow_state in PENDING_STATES:
        pending.append(PENDING_STATES[ticket.workflow_state])
    elif ticket.workflow_state:
        pending.append(f"Workflow state: {ticket.workflow_state}")
    if grounding.order is None:
        pending.append("No order linked to the ticket")
    if grounding.order is not None and "tracking_number" not in grounding.facts:
        pending.append("No shipment/tracking data for the order")
    return summarise_thread(
        messages=messages,
        facts=facts,
        macros_used=macros_used_on(ticket_id=ticket.pk),
        pending=pending,
    )
