"""Changes to one ticket's fields (the API's PATCH) and the same changes over many tickets (bulk
actions from the console and the API). Every change goes through the single-ticket services in
tickets/actions.py, so each ticket gets its own audit event; a bulk run is one transaction."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from enum import StrEnum

from django.contrib.auth import get_user_model
from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction

from signaldesk.accounts.models import Team
from signaldesk.accounts.permissions import role_allows
from signaldesk.accounts.selectors import user_role
from signaldesk.core.audit import Actor, audit_record
from signaldesk.core.errors import NotFound, ValidationError
from signaldesk.tickets import actions
from signaldesk.tickets.models import Ticket

MAX_BULK_IDS = 500


class BulkAction(StrEnum):
    ASSIGN = "assign"
    SET_STATUS = "set_status"
    SET_PRIORITY = "set_priority"
    TAG = "tag"


@dataclass(frozen=True)
class TicketChanges:
    """Fields to change; None leaves a field alone. `unassign` clears the assignee."""

    status: str | None = None
    priority: str | None = None
    assignee_id: int | None = None
    unassign: bool = False
    team_id: int | None = None
    clear_team: bool = False


@dataclass(frozen=True)
class BulkResult:
    action: str
    ticket_ids: list[int]


def assignee_get(*, user_id: int) -> AbstractBaseUser:
    """An active user whose role may work tickets."""
    user = get_user_model().objects.filter(pk=user_id, is_active=True).first()
    if user is None or not role_allows(user_role(user), "tickets.write"):
        raise ValidationError(
            f"User {user_id} cannot be assigned tickets.", code="invalid_assignee"
        )
    return user


def team_get(*, team_id: int) -> Team:
    team = Team.objects.filter(pk=team_id).first()
    if team is None:
        raise ValidationError(f"Team {team_id} does not exist.", code="invalid_team")
    return team


@transaction.atomic
def ticket_update(*, ticket: Ticket, changes: TicketChanges, actor: Actor) -> Ticket:
    """Apply the given changes in one transaction, each through its audited service."""
    if changes.assignee_id is not None or changes.unassign:
        assignee = None if changes.unassign else assignee_get(user_id=changes.assignee_id or 0)
        ticket = actions.ticket_assign(ticket=ticket, assignee=assignee, actor=actor)
    if changes.team_id is not None or changes.clear_team:
        team = None if changes.clear_team else team_get(team_id=changes.team_id or 0)
        ticket = actions.ticket_set_team(ticket=ticket, team=team, actor=actor)
    if changes.priority is not None:
        ticket = actions.ticket_set_priority(ticket=ticket, priority=changes.priority, actor=actor)
    if changes.status is not None:
        ticket = actions.ticket_set_status(ticket=ticket, status=changes.status, actor=actor)
    return ticket


@transaction.atomic
def tickets_bulk_apply(
    *, ticket_ids: Sequence[int], action: str, value: str | int | None, actor: Actor
) -> BulkResult:
    """Apply one action to up to MAX_BULK_IDS tickets, all or nothing. `value` is a user id (or
    None to unassign) for assign, a status, a priority, or a tag."""
    ids = sorted(set(ticket_ids))
    if not ids:
        raise ValidationError("Select at least one ticket.", code="empty")
    if len(ids) > MAX_BULK_IDS:
        raise ValidationError(f"At most {MAX_BULK_IDS} tickets at once.", code="too_many")
    if action not in {a.value for a in BulkAction}:
        raise ValidationError(f"Unknown bulk action {action!r}.", code="invalid_action")
    tickets = list(Ticket.objects.select_for_update().filter(pk__in=ids).order_by("pk"))
    missing = sorted(set(ids) - {t.pk for t in tickets})
    if missing:
        raise NotFound(f"Tickets {missing} do not exist.")
    text = "" if value is None else str(value)
    if action == BulkAction.ASSIGN:
        if value not in (None, "") and not text.isdigit():
            raise ValidationError("Assign takes a user id.", code="invalid_assignee")
        changes = TicketChanges(assignee_id=int(text) if text else None, unassign=not text)
    elif action == BulkAction.SET_STATUS:
        changes = TicketChanges(status=text)
    elif action == BulkAction.SET_PRIORITY:
        changes = TicketChanges(priority=text)
    else:
        changes = TicketChanges()
    for ticket in tickets:
        if action == BulkAction.TAG:
            actions.ticket_add_tags(ticket=ticket, tags=[text], actor=actor)
        else:
            ticket_update(ticket=ticket, changes=changes, actor=actor)
    audit_record(
        actor=actor,
        action="tickets.bulk_applied",
        object_type="tickets.ticket",
        object_id="bulk",
        after={"action": action, "value": value, "tickets": ids},
    )
    return BulkResult(action=action, ticket_ids=ids)
