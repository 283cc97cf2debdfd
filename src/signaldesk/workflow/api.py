"""GET /api/v1/workflow/tickets/{id}/transitions, POST .../transition, GET .../sla."""

from __future__ import annotations

import datetime as dt

from django.http import HttpRequest
from ninja import Router, Schema

from signaldesk.accounts.api_auth import api_auth, authorize
from signaldesk.core.audit import Actor
from signaldesk.core.errors import NotFound
from signaldesk.tickets.models import Ticket
from signaldesk.workflow.selectors import allowed_transitions, sla_clocks
from signaldesk.workflow.services import stored_fields, ticket_transition

workflow_router = Router(auth=api_auth, tags=["workflow"])


class FieldOut(Schema):
    id: str
    label: str
    kind: str
    value: str


class TransitionOut(Schema):
    state: str
    label: str
    status: str
    fields: list[FieldOut]


class WorkflowOut(Schema):
    ticket_id: int
    ticket_type: str
    state: str
    status: str
    fields: dict[str, str]
    transitions: list[TransitionOut]


class TransitionIn(Schema):
    to_state: str
    fields: dict[str, str] = {}


class ClockOut(Schema):
    metric: str
    policy_id: str
    policy_version: int
    target_minutes: int
    started_at: dt.datetime
    due_at: dt.datetime
    paused_at: dt.datetime | None
    paused_seconds: float
    stage_reached: int
    breached_at: dt.datetime | None
    met_at: dt.datetime | None


def _ticket(ticket_id: int) -> Ticket:
    ticket = Ticket.objects.filter(pk=ticket_id).first()
    if ticket is None:
        raise NotFound(f"Ticket {ticket_id} does not exist.")
    return ticket


def _out(ticket: Ticket) -> WorkflowOut:
    view = allowed_transitions(ticket)
    return WorkflowOut(
        ticket_id=ticket.pk,
        ticket_type=ticket.ticket_type,
        state=view.state,
        status=ticket.status,
        fields=stored_fields(ticket),
        transitions=[
            TransitionOut(
                state=o.state,
                label=o.label,
                status=o.status,
                fields=[
                    FieldOut(id=f.id, label=f.label, kind=f.kind, value=f.value) for f in o.fields
                ],
            )
            for o in view.transitions
        ],
    )


@workflow_router.get("/tickets/{ticket_id}/transitions", response=WorkflowOut)
def get_transitions(request: HttpRequest, ticket_id: int) -> WorkflowOut:
    authorize(request, "tickets.read")
    return _out(_ticket(ticket_id))


@workflow_router.post("/tickets/{ticket_id}/transition", response=WorkflowOut)
def post_transition(request: HttpRequest, ticket_id: int, payload: TransitionIn) -> WorkflowOut:
    authorize(request, "tickets.write")
    ticket = ticket_transition(
        ticket=_ticket(ticket_id),
        to_state=payload.to_state,
        fields=payload.fields,
        actor=Actor.of_user(request.user),
    )
    return _out(ticket)


@workflow_router.get("/tickets/{ticket_id}/sla", response=list[ClockOut])
def get_sla(request: HttpRequest, ticket_id: int) -> list[ClockOut]:
    authorize(request, "tickets.read")
    _ticket(ticket_id)
    return [
        ClockOut.model_validate(c, from_attributes=True) for c in sla_clocks(ticket_id=ticket_id)
    ]


from signaldesk.workflow.rules.api import rules_router  # noqa: E402

workflow_router.add_router("/rules", rules_router)
