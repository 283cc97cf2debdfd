"""Agent actions on a ticket from the console: reply, internal note, status, assignment and
contact-reason correction. Each is one transaction that locks the ticket row and writes an audit
event. (Intake-side writes live in tickets/services.py.)

Replies are recorded as outbound messages here; delivery over the ticket's channel is the job of
the channel adapters and is not triggered yet."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction
from django.utils import timezone

from signaldesk.accounts.models import Team
from signaldesk.core.audit import Actor, audit_record, snapshot
from signaldesk.core.errors import ValidationError
from signaldesk.tickets.models import Direction, Message, Priority, Ticket, TicketStatus

MAX_BODY_CHARS = 20_000
REASON_FIELDS = ("contact_reason", "reason_confidence", "reason_source", "taxonomy_version")


def _locked(ticket: Ticket) -> Ticket:
    return Ticket.objects.select_for_update().get(pk=ticket.pk)


def _clean_body(body: str) -> str:
    text = body.strip()
    if not text:
        raise ValidationError("Write something first.", code="empty")
    if len(text) > MAX_BODY_CHARS:
        raise ValidationError(f"Keep it under {MAX_BODY_CHARS} characters.", code="too_long")
    return text


def _author_label(user: AbstractBaseUser) -> str:
    full_name = getattr(user, "get_full_name", lambda: "")()
    return str(full_name or user.get_username())


@transaction.atomic
def ticket_reply(*, ticket: Ticket, author: AbstractBaseUser, body: str, actor: Actor) -> Message:
    """Record an outbound reply. Sets the first-response time and moves a new ticket to open."""
    text = _clean_body(body)
    locked = _locked(ticket)
    now = timezone.now()
    message = Message.objects.create(
        ticket=locked,
        direction=Direction.OUTBOUND,
        channel=locked.channel,
        author_user_id=author.pk,
        author_label=_author_label(author),
        body_text=text,
        created_at=now,
        received_at=now,
    )
    fields = ["updated_at"]
    locked.updated_at = now
    first_response = locked.first_response_at is None
    if first_response:
        locked.first_response_at = now
        fields.append("first_response_at")
    if locked.status == TicketStatus.NEW:
        locked.status = TicketStatus.OPEN
        fields.append("status")
    locked.save(update_fields=fields)
    if first_response:
        from signaldesk.workflow.sla import sla_on_first_response

        sla_on_first_response(ticket=locked, now=now)
    audit_record(
        actor=actor,
        action="ticket.replied",
        obj=locked,
        after={"message_id": message.pk, "chars": len(text)},
    )
    return message


@transaction.atomic
def ticket_add_note(
    *, ticket: Ticket, author: AbstractBaseUser, body: str, actor: Actor
) -> Message:
    """Add an internal note: visible to staff only, never sent to the customer."""
    text = _clean_body(body)
    locked = _locked(ticket)
    now = timezone.now()
    message = Message.objects.create(
        ticket=locked,
        direction=Direction.NOTE,
        channel=locked.channel,
        author_user_id=author.pk,
        author_label=_author_label(author),
        body_text=text,
        created_at=now,
        received_at=now,
    )
    locked.updated_at = now
    locked.save(update_fields=["updated_at"])
    audit_record(
        actor=actor,
        action="ticket.note_added",
        obj=locked,
        after={"message_id": message.pk, "chars": len(text)},
    )
    return message


@transaction.atomic
def ticket_set_status(*, ticket: Ticket, status: str, actor: Actor) -> Ticket:
    """Change the status; stamps solved/closed times and counts reopenings."""
    if status not in TicketStatus.values:
        raise ValidationError(f"Unknown status {status!r}.", code="invalid_status")
    locked = _locked(ticket)
    before = snapshot(locked, ["status"])
    if locked.status == status:
        return locked
    now = timezone.now()
    was_done = locked.status in (TicketStatus.SOLVED, TicketStatus.CLOSED)
    old_status = locked.status
    locked.status = status
    locked.updated_at = now
    if status == TicketStatus.SOLVED:
        locked.solved_at = now
    elif status == TicketStatus.CLOSED:
        locked.closed_at = now
        locked.solved_at = locked.solved_at or now
    elif was_done:
        locked.reopened_count += 1
        locked.solved_at = None
        locked.closed_at = None
    locked.save(update_fields=["status", "updated_at", "solved_at", "closed_at", "reopened_count"])
    from signaldesk.workflow.sla import sla_on_status_change  # workflow sits after tickets

    sla_on_status_change(ticket=locked, old_status=old_status, new_status=status, now=now)
    audit_record(
        actor=actor,
        action="ticket.status_changed",
        obj=locked,
        before=before,
        after=snapshot(locked, ["status"]),
    )
    return locked


def _set_fields(locked: Ticket, *, values: dict[str, Any], action: str, actor: Actor) -> Ticket:
    """Set the named fields (FKs by id) on a ticket the caller has locked in its transaction,
    save them with updated_at and audit the before/after values."""
    names = list(values)
    before = snapshot(locked, names)
    for name, value in values.items():
        field = locked._meta.get_field(name)
        setattr(locked, getattr(field, "attname", name), value)
    locked.updated_at = timezone.now()
    locked.save(update_fields=[*names, "updated_at"])
    audit_record(
        actor=actor, action=action, obj=locked, before=before, after=snapshot(locked, names)
    )
    return locked


@transaction.atomic
def ticket_assign(*, ticket: Ticket, assignee: AbstractBaseUser | None, actor: Actor) -> Ticket:
    """Assign to a user (or unassign with None)."""
    assignee_id = assignee.pk if assignee is not None else None
    return _set_fields(
        _locked(ticket), values={"assignee": assignee_id}, action="ticket.assigned", actor=actor
    )


@transaction.atomic
def ticket_set_reason(
    *,
    ticket: Ticket,
    reason: str,
    allowed: frozenset[str],
    actor: Actor,
    taxonomy_version: str = "",
) -> Ticket:
    """An agent's correction of the contact reason. `allowed` is the set of valid reason ids
    of the taxonomy version `taxonomy_version` (the active one), which the ticket now records;
    the correction is stored with reason_source="agent" and full confidence, and the model's
    previous guess is kept in the audit event."""
    if reason not in allowed:
        raise ValidationError(f"Unknown contact reason {reason!r}.", code="invalid_reason")
    locked = _locked(ticket)
    before = snapshot(locked, REASON_FIELDS)
    locked.contact_reason = reason
    locked.reason_confidence = 1.0
    locked.reason_source = "agent"
    if taxonomy_version:
        locked.taxonomy_version = taxonomy_version
    locked.updated_at = timezone.now()
    locked.save(update_fields=[*REASON_FIELDS, "updated_at"])
    audit_record(
        actor=actor,
        action="ticket.reason_corrected",
        obj=locked,
        before=before,
        after=snapshot(locked, REASON_FIELDS),
    )
    return locked


@transaction.atomic
def ticket_set_priority(*, ticket: Ticket, priority: str, actor: Actor) -> Ticket:
    """Change the priority (low, normal, high, urgent)."""
    if priority not in Priority.values:
        raise ValidationError(f"Unknown priority {priority!r}.", code="invalid_priority")
    locked = _locked(ticket)
    if locked.priority == priority:
        return locked
    return _set_fields(
        locked, values={"priority": priority}, action="ticket.priority_changed", actor=actor
    )


@transaction.atomic
def ticket_set_team(*, ticket: Ticket, team: Team | None, actor: Actor) -> Ticket:
    """Move the ticket to a team's queue (or to no team with None)."""
    team_id = team.pk if team is not None else None
    return _set_fields(
        _locked(ticket), values={"owner_team": team_id}, action="ticket.team_changed", actor=actor
    )


MAX_TAG_CHARS = 60


@transaction.atomic
def ticket_add_tags(*, ticket: Ticket, tags: list[str], actor: Actor) -> Ticket:
    """Add tags (trimmed, lower-case, kept unique, order of first use)."""
    cleaned = [t.strip().lower() for t in tags if t.strip()]
    if not cleaned or any(len(t) > MAX_TAG_CHARS for t in cleaned):
        raise ValidationError(f"Tags are 1–{MAX_TAG_CHARS} characters.", code="invalid_tag")
    locked = _locked(ticket)
    before = snapshot(locked, ["tags"])
    merged = list(dict.fromkeys([*locked.tags, *cleaned]))
    if merged == list(locked.tags):
        return locked
    locked.tags = merged
    locked.updated_at = timezone.now()
    locked.save(update_fields=["tags", "updated_at"])
    audit_record(
        actor=actor, action="ticket.tagged", obj=locked, before=before, after={"tags": merged}
    )
    return locked
