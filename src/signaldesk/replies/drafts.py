"""Grounded drafts for a ticket: the reason's approved macro, filled from the ticket's data, plus
the most relevant policy passage for the reason, checked by the guardrails."""

from __future__ import annotations

import dataclasses

from django.contrib.auth.models import AbstractBaseUser

from signaldesk.core.errors import NotFound
from signaldesk.knowledge.retrieval import Passage
from signaldesk.knowledge.selectors import knowledge_index
from signaldesk.replies.drafting.render import Draft, compose_draft
from signaldesk.replies.grounding import TicketGrounding, guardrail_policy, ticket_grounding
from signaldesk.replies.guardrails import GuardrailPolicy, check_reply
from signaldesk.replies.models import Macro
from signaldesk.replies.selectors import macro_for_reason
from signaldesk.taxonomy.selectors import reason_template
from signaldesk.tickets.models import Direction, Ticket

MAX_PASSAGES = 1


def _query(ticket: Ticket) -> str:
    first = ticket.messages.filter(direction=Direction.INBOUND).order_by("created_at", "id").first()
    return f"{ticket.subject} {first.body_text if first is not None else ''}"


def _passages(ticket: Ticket, reason_id: str) -> list[Passage]:
    index = knowledge_index()
    hits = index.search(_query(ticket), reason_id=reason_id, k=MAX_PASSAGES)
    if hits:
        return [h.passage for h in hits]
    return index.for_reason(reason_id)[:MAX_PASSAGES]


def draft_for(
    *,
    ticket: Ticket,
    grounding: TicketGrounding,
    policy: GuardrailPolicy | None = None,
    macro: Macro | None = None,
) -> Draft:
    """The reason's macro (or the given one, e.g. a rule's `suggest_macro`) filled from the
    grounding facts plus a policy passage, with its guardrail findings."""
    macro = macro or macro_for_reason(grounding.reason_id, language=ticket.language or "en")
    if macro is not None:
        macro_id, template = macro.slug, macro.body
    else:  # macros not synced yet: the taxonomy's default response, read-only
        try:
            response = reason_template(grounding.reason_id).response
        except NotFound:
            response = reason_template("other").response
        macro_id, template = response.macro_id, response.template
    draft = compose_draft(
        macro_id=macro_id,
        template=template,
        facts=grounding.facts,
        passages=_passages(ticket, grounding.reason_id),
    )
    findings = check_reply(draft.text, grounding.context, policy or guardrail_policy())
    return dataclasses.replace(draft, findings=tuple(findings))


def draft_build(*, ticket: Ticket, agent: AbstractBaseUser | None = None) -> Draft:
    """The grounded draft for a ticket, with its guardrail findings."""
    return draft_for(ticket=ticket, grounding=ticket_grounding(ticket=ticket, agent=agent))
