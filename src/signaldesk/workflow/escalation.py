"""What an SLA stage does when it fires: a reminder, or an escalation.

- remind: a notification to the assignee (or, unassigned, the team's leads; else managers);
- escalate: priority up one level, custom_fields["escalated"] set, the ticket handed to a senior
  agent of its team (AgentProfile.is_senior, fewest open tickets first) unless a senior already
  has it, and a notification to the team's managers (all managers when the team has none) and to
  the senior.

Called by the sweep inside the clock's transaction; the notification dedupe key
(`sla:<clock>:<stage>`) makes a replay harmless even if the stage counter were lost."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any

from django.db.models import Count, Q

from signaldesk.accounts.models import AgentProfile, Role
from signaldesk.core.audit import Actor, audit_record, snapshot
from signaldesk.tickets.models import OPEN_STATUSES, PRIORITY_RANK, Priority, Ticket
from signaldesk.workflow.models import Notification, NotificationKind, SlaClock, SlaMetric

SLA_ACTOR = Actor.system("sla")
ESCALATION_FIELDS = ("priority", "assignee", "custom_fields")


def _active_profiles(**filters: Any) -> Any:
    return AgentProfile.objects.filter(user__is_active=True, **filters).order_by("user_id")


def _managers(ticket: Ticket) -> list[int]:
    in_team = list(
        _active_profiles(role=Role.MANAGER, team_id=ticket.owner_team_id).values_list(
            "user_id", flat=True
        )
        if ticket.owner_team_id
        else []
    )
    if in_team:
        return in_team
    return list(_active_profiles(role=Role.MANAGER).values_list("user_id", flat=True))


def _reminder_recipients(ticket: Ticket) -> list[int]:
    if ticket.assignee_id is not None:
        return [ticket.assignee_id]
    if ticket.owner_team_id is not None:
        leads = list(
            _active_profiles(role=Role.LEAD, team_id=ticket.owner_team_id).values_list(
                "user_id", flat=True
            )
        )
        if leads:
            return leads
    return _managers(ticket)


def _senior_for(ticket: Ticket) -> int | None:
    """A senior agent of the ticket's team, fewest open assigned tickets first."""
    if ticket.owner_team_id is None:
        return None
    if (
        ticket.assignee_id is not None
        and _active_profiles(user_id=ticket.assignee_id, is_senior=True).exists()
    ):
        return ticket.assignee_id
    profile = (
        _active_profiles(team_id=ticket.owner_team_id, is_senior=True)
        .annotate(
            load=Count(
                "user__assigned_tickets",
                filter=Q(user__assigned_tickets__status__in=OPEN_STATUSES),
            )
        )
        .order_by("load", "user_id")
        .first()
    )
    return profile.user_id if profile is not None else None


def _notify(
    *, recipients: Iterable[int], kind: str, ticket: Ticket, text: str, key: str, now: dt.datetime
) -> int:
    rows = [
        Notification(
            recipient_id=user_id,
            kind=kind,
            ticket=ticket,
            text=text[:500],
            dedupe_key=key,
            created_at=now,
        )
        for user_id in dict.fromkeys(recipients)
    ]
    existing = set(
        Notification.objects.filter(
            dedupe_key=key, recipient_id__in=[r.recipient_id for r in rows]
        ).values_list("recipient_id", flat=True)
    )
    fresh = [row for row in rows if row.recipient_id not in existing]
    Notification.objects.bulk_create(fresh)
    return len(fresh)


def _due_text(clock: SlaClock, stage: dict[str, Any]) -> str:
    metric = SlaMetric(clock.metric).label.lower()
    due = clock.due_at.strftime("%Y-%m-%d %H:%M UTC")
    return f"#{clock.ticket_id} {clock.ticket.subject[:200]}: {metric} due {due} ({stage['name']})"


def fire_stage(*, clock: SlaClock, stage: dict[str, Any], index: int, now: dt.datetime) -> int:
    """Run one stage's action; returns how many notifications were created."""
    ticket = clock.ticket
    key = f"sla:{clock.pk}:{index}"
    text = _due_text(clock, stage)
    if stage["action"] == "remind":
        return _notify(
            recipients=_reminder_recipients(ticket),
            kind=NotificationKind.SLA_REMINDER,
            ticket=ticket,
            text=f"Reminder: {text}",
            key=key,
            now=now,
        )
    return _escalate(clock=clock, stage=stage, key=key, text=text, now=now)


def _escalate(
    *, clock: SlaClock, stage: dict[str, Any], key: str, text: str, now: dt.datetime
) -> int:
    ticket = Ticket.objects.select_for_update().get(pk=clock.ticket_id)
    before = snapshot(ticket, ESCALATION_FIELDS)
    ranks = sorted(PRIORITY_RANK.items(), key=lambda pair: pair[1])
    current = PRIORITY_RANK.get(Priority(ticket.priority), 1)
    ticket.priority = next((p for p, rank in ranks if rank == current + 1), ticket.priority)
    custom = dict(ticket.custom_fields or {})
    custom["escalated"] = {
        "at": now.isoformat(),
        "metric": clock.metric,
        "stage": stage["name"],
        "by": "sla",
    }
    ticket.custom_fields = custom
    senior = _senior_for(ticket)
    sent = 0
    if senior is not None and senior != ticket.assignee_id:
        ticket.assignee_id = senior
        sent += _notify(
            recipients=[senior],
            kind=NotificationKind.SLA_ASSIGNED,
            ticket=ticket,
            text=f"Escalated to you: {text}",
            key=key,
            now=now,
        )
    ticket.updated_at = now
    ticket.save(update_fields=["priority", "assignee", "custom_fields", "updated_at"])
    sent += _notify(
        recipients=_managers(ticket),
        kind=NotificationKind.SLA_ESCALATION,
        ticket=ticket,
        text=f"Escalated: {text}",
        key=key,
        now=now,
    )
    audit_record(
        actor=SLA_ACTOR,
        action="ticket.sla_escalated",
        obj=ticket,
        before=before,
        after=snapshot(ticket, ESCALATION_FIELDS),
        context={"clock_id": clock.pk, "stage": stage["name"]},
    )
    clock.ticket = ticket
    return sent
