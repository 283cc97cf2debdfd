"""Moving a ticket through its type's workflow (ticket_types.yaml).

`ticket_transition` validates the move against the type's state machine, stores the field values
under ticket.custom_fields["workflow"], sets workflow_state, and moves Ticket.status to the
state's status through tickets.actions.ticket_set_status (which stamps solved/closed times and
tells the SLA clocks). One transaction, one audit event with before and after."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any

from django.db import transaction
from django.utils import timezone

from signaldesk.core.audit import Actor, audit_record
from signaldesk.suppression.services import suppression_sync_for_ticket
from signaldesk.tickets import actions
from signaldesk.tickets.models import Ticket
from signaldesk.workflow.config import ticket_types

WORKFLOW_KEY = "workflow"


def _workflow_snapshot(ticket: Ticket) -> dict[str, Any]:
    stored = (ticket.custom_fields or {}).get(WORKFLOW_KEY, {})
    return {
        "workflow_state": ticket.workflow_state,
        "status": ticket.status,
        "fields": dict(stored) if isinstance(stored, dict) else {},
    }


def stored_fields(ticket: Ticket) -> dict[str, str]:
    stored = (ticket.custom_fields or {}).get(WORKFLOW_KEY, {})
    return {str(k): str(v) for k, v in stored.items()} if isinstance(stored, dict) else {}


@transaction.atomic
def ticket_transition(
    *, ticket: Ticket, to_state: str, fields: Mapping[str, str], actor: Actor
) -> Ticket:
    """Move the ticket to `to_state` of its type's workflow; raises ValidationError naming the
    allowed moves or the missing field."""
    locked = Ticket.objects.select_for_update().get(pk=ticket.pk)
    workflow = ticket_types().for_type(locked.ticket_type)
    from_state = workflow.current(locked.workflow_state)
    cleaned = workflow.check_transition(
        from_state=locked.workflow_state,
        to_state=to_state,
        given=fields,
        stored=stored_fields(locked),
    )
    before = _workflow_snapshot(locked)
    new_status = workflow.states[to_state].status
    if locked.status != new_status:
        locked = actions.ticket_set_status(ticket=locked, status=new_status, actor=actor)
    custom = dict(locked.custom_fields or {})
    custom[WORKFLOW_KEY] = {**stored_fields(locked), **cleaned}
    locked.custom_fields = custom
    locked.workflow_state = to_state
    locked.updated_at = timezone.now()
    locked.save(update_fields=["custom_fields", "workflow_state", "updated_at"])
    audit_record(
        actor=actor,
        action="ticket.workflow_transitioned",
        obj=locked,
        before=before,
        after=_workflow_snapshot(locked),
        context={"ticket_type": locked.ticket_type, "from": from_state, "to": to_state},
    )
    return locked


def ticket_workflow_start(*, ticket_id: int, now: dt.datetime) -> None:
    """After triage has set the ticket's priority and reason: run the active workflow rules
    (workflow/rules/), start its SLA clocks from the customer's first message
    (`sla.clock_start_for`), then carry out the rules' approval and auto-action intents
    (workflow/rules/auto_actions.py). Idempotent: nothing is created or sent twice."""
    from signaldesk.workflow.rules.auto_actions import rule_intents_carry_out
    from signaldesk.workflow.rules.services import rules_apply
    from signaldesk.workflow.sla import clock_start_for, sla_start

    if Ticket.objects.filter(pk=ticket_id).exists():
        rules_apply(ticket_id=ticket_id)
    ticket = Ticket.objects.select_related("customer").filter(pk=ticket_id).first()
    if ticket is not None:
        sla_start(ticket=ticket, now=now, started_at=clock_start_for(ticket, now))
        rule_intents_carry_out(ticket_id=ticket_id, now=now)
        suppression_sync_for_ticket(ticket_id=ticket_id, now=now)
