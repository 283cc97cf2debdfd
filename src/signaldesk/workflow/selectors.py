"""Reads for the console and the API: a ticket's workflow options, its SLA clocks, queue
ordering by SLA risk, and a user's unread notifications."""

from __future__ import annotations

from dataclasses import dataclass

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.db.models import F, OuterRef, QuerySet, Subquery

from signaldesk.tickets.models import Ticket
from signaldesk.workflow.config import ticket_types
from signaldesk.workflow.machines import FieldSpec
from signaldesk.workflow.models import Notification, SlaClock
from signaldesk.workflow.services import stored_fields


@dataclass(frozen=True)
class FieldInput:
    id: str
    label: str
    kind: str
    value: str  # stored by an earlier move, or ""


@dataclass(frozen=True)
class TransitionOption:
    state: str
    label: str
    status: str
    fields: tuple[FieldInput, ...]  # required to enter the state


@dataclass(frozen=True)
class WorkflowView:
    ticket_type: str
    type_name: str
    state: str
    state_label: str
    transitions: tuple[TransitionOption, ...]


def _input(spec: FieldSpec, stored: dict[str, str]) -> FieldInput:
    return FieldInput(id=spec.id, label=spec.label, kind=spec.kind, value=stored.get(spec.id, ""))


def allowed_transitions(ticket: Ticket) -> WorkflowView:
    """The ticket's current workflow state and the moves it may make from there."""
    workflow = ticket_types().for_type(ticket.ticket_type)
    state = workflow.current(ticket.workflow_state)
    stored = stored_fields(ticket)
    options = tuple(
        TransitionOption(
            state=target,
            label=workflow.states[target].label,
            status=workflow.states[target].status,
            fields=tuple(
                _input(workflow.fields[name], stored) for name in workflow.states[target].requires
            ),
        )
        for target in workflow.allowed(ticket.workflow_state)
    )
    return WorkflowView(
        ticket_type=ticket.ticket_type,
        type_name=workflow.name,
        state=state,
        state_label=workflow.states[state].label,
        transitions=options,
    )


def sla_clocks(*, ticket_id: int) -> list[SlaClock]:
    return list(SlaClock.objects.filter(ticket_id=ticket_id).order_by("metric"))


def sla_due_subquery() -> Subquery:
    """The earliest due time of a ticket's running (unmet, unpaused) clocks."""
    running = (
        SlaClock.objects.filter(
            ticket_id=OuterRef("pk"), met_at__isnull=True, paused_at__isnull=True
        )
        .order_by("due_at")
        .values("due_at")[:1]
    )
    return Subquery(running)


def tickets_by_sla_risk(qs: QuerySet[Ticket]) -> QuerySet[Ticket]:
    """Annotate `sla_due_at` and order by it, soonest (most overdue) first; tickets without a
    running clock come last, oldest first."""
    return qs.annotate(sla_due_at=sla_due_subquery()).order_by(
        F("sla_due_at").asc(nulls_last=True), "created_at", "pk"
    )


def unread_notifications(
    *, user: AbstractBaseUser | AnonymousUser, limit: int = 50
) -> list[Notification]:
    if not user.is_authenticated:
        return []
    return list(
        Notification.objects.filter(recipient_id=user.pk, read_at__isnull=True)
        .select_related("ticket")
        .order_by("-created_at", "-id")[:limit]
    )
