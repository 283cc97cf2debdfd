"""SLA clocks: start, pause/resume on status changes, first response, and the periodic sweep.

Everything is computed from stored times (SlaClock), never from in-process timers, so a restart
loses nothing. The sweep looks only at clocks whose `next_action_at` has passed; each clock is
handled in its own transaction with the row locked, and a stage is recorded as fired
(`stage_reached`) in the same transaction as its effects, so a stage fires exactly once however
often or late the sweep runs. See docs/workflow.md."""

from __future__ import annotations

import datetime as dt
import logging
from dataclasses import dataclass

from django.db import transaction
from django.db.models import Exists, Min, OuterRef

from signaldesk.core.audit import Actor, audit_record
from signaldesk.suppression.services import suppression_sync_for_ticket
from signaldesk.tickets.models import OPEN_STATUSES, Direction, Message, Ticket, TicketStatus
from signaldesk.workflow import escalation
from signaldesk.workflow.calendar import (
    BusinessCalendar,
    add_business_seconds,
    business_seconds_between,
)
from signaldesk.workflow.config import sla_config
from signaldesk.workflow.models import SlaBreach, SlaClock, SlaMetric
from signaldesk.workflow.sla_config import Policy, SlaConfig

logger = logging.getLogger(__name__)
SLA_ACTOR = Actor.system("sla")
DONE_STATUSES = (TicketStatus.SOLVED, TicketStatus.CLOSED)
# Open tickets younger than this without clocks get them from the sweep (intake does not call
# sla_start yet); older ones are left alone.
AUTOSTART_DAYS = 7
SWEEP_BATCH = 500
ALWAYS_OPEN = BusinessCalendar(id="always_open_fallback", always_open=True)


@dataclass
class SweepResult:
    started: int = 0
    reminders: int = 0
    escalations: int = 0
    breaches: int = 0
    met: int = 0
    notifications: int = 0


def customer_tier(ticket: Ticket) -> str:
    return ticket.customer.loyalty_tier if ticket.customer is not None else "none"


def tighter_requested(config: SlaConfig, matched: Policy, ticket: Ticket) -> Policy:
    """A policy asked for by a routing rule (`apply_sla`, stored as
    custom_fields["sla_policy_requested"]) replaces the matched one only when its first-response
    target is shorter: rules can tighten an SLA, never loosen it (e.g. VIP by lifetime value or
    order frequency on a customer whose loyalty tier alone would not match the `vip` policy)."""
    requested = config.policy(str((ticket.custom_fields or {}).get("sla_policy_requested") or ""))
    metric = SlaMetric.FIRST_RESPONSE
    if requested is None or requested.targets[metric] >= matched.targets[metric]:
        return matched
    return requested


def clock_calendar(clock: SlaClock) -> BusinessCalendar:
    """The clock's calendar from the current config (24/7 if it was removed since)."""
    return sla_config().calendars.get(clock.calendar_id, ALWAYS_OPEN)


def _at_offset(clock: SlaClock, minutes: int, calendar: BusinessCalendar) -> dt.datetime:
    """The instant the clock shows `minutes` of (unpaused) business time."""
    return add_business_seconds(clock.started_at, minutes * 60 + clock.paused_seconds, calendar)


def _elapsed_seconds(clock: SlaClock, now: dt.datetime, calendar: BusinessCalendar) -> float:
    until = clock.paused_at if clock.paused_at is not None else now
    return business_seconds_between(clock.started_at, until, calendar) - clock.paused_seconds


def _refresh(clock: SlaClock, calendar: BusinessCalendar) -> None:
    """Recompute due_at and next_action_at from the stored times."""
    clock.due_at = _at_offset(clock, clock.target_minutes, calendar)
    if clock.met_at is not None or clock.paused_at is not None:
        clock.next_action_at = None
        return
    offsets = [int(stage["offset_minutes"]) for stage in clock.stages[clock.stage_reached :]]
    if clock.breached_at is None:
        offsets.append(clock.target_minutes)
    clock.next_action_at = _at_offset(clock, min(offsets), calendar) if offsets else None


def _resume(clock: SlaClock, now: dt.datetime, calendar: BusinessCalendar) -> None:
    if clock.paused_at is not None:
        clock.paused_seconds += business_seconds_between(clock.paused_at, now, calendar)
        clock.paused_at = None


def _save(clock: SlaClock, calendar: BusinessCalendar) -> None:
    _refresh(clock, calendar)
    clock.save()


@transaction.atomic
def sla_start(
    *, ticket: Ticket, now: dt.datetime, started_at: dt.datetime | None = None
) -> list[SlaClock]:
    """Start the ticket's clocks (first response unless already answered, and resolution) under
    the matching policy, counting from `started_at` (default `now`); a ticket in a pause status
    starts paused at `now`. Idempotent: existing clocks are kept as they are."""
    if ticket.status in DONE_STATUSES:
        return []
    config = sla_config()
    policy = config.match(
        priority=ticket.priority, tier=customer_tier(ticket), channel=ticket.channel
    )
    policy = tighter_requested(config, policy, ticket)
    calendar = config.calendars[policy.calendar]
    clocks = []
    for metric in SlaMetric.values:
        if metric == SlaMetric.FIRST_RESPONSE and ticket.first_response_at is not None:
            continue
        stages = [
            {"name": s.name, "action": s.action, "offset_minutes": s.offset_minutes}
            for s in policy.stages_for(metric)
        ]
        clock = SlaClock(
            ticket=ticket,
            metric=metric,
            policy_id=policy.id,
            policy_version=policy.version,
            calendar_id=policy.calendar,
            target_minutes=policy.targets[metric],
            stages=stages,
            started_at=started_at or now,
            paused_at=now if ticket.status in config.pause_statuses else None,
        )
        _refresh(clock, calendar)
        existing, _ = SlaClock.objects.get_or_create(
            ticket=ticket,
            metric=metric,
            defaults={
                f.attname: getattr(clock, f.attname)
                for f in SlaClock._meta.concrete_fields
                if f.attname not in ("id", "ticket_id", "metric")
            },
        )
        clocks.append(existing)
    logger.info("sla.started", extra={"ticket_id": ticket.pk, "policy": policy.id})
    return clocks


def clock_start_for(ticket: Ticket, now: dt.datetime) -> dt.datetime:
    """When a ticket's clocks start (`ticket_workflow_start`): the arrival of its first inbound
    message (its creation without one), never later than `now`, so a ticket that waited for
    triage — a backlog, a stopped worker, an import — is measured from when the customer wrote.
    An arrival older than AUTOSTART_DAYS (imported history) starts at `now` instead, the window
    the sweep also uses, so importing an old backlog does not breach it all at once."""
    first = Message.objects.filter(ticket_id=ticket.pk, direction=Direction.INBOUND).aggregate(
        at=Min("created_at")
    )["at"]
    arrival = min(first or ticket.created_at, now)
    return arrival if arrival >= now - dt.timedelta(days=AUTOSTART_DAYS) else now


def _recent(ticket: Ticket, now: dt.datetime) -> bool:
    return ticket.created_at >= now - dt.timedelta(days=AUTOSTART_DAYS)


def _stop(clock: SlaClock, at: dt.datetime, calendar: BusinessCalendar) -> None:
    """Mark the clock met at `at`; a target missed before then is recorded as a breach."""
    _resume(clock, at, calendar)
    clock.met_at = at
    _refresh(clock, calendar)
    if clock.breached_at is None and at > clock.due_at:
        _record_breach(clock, clock.ticket, now=at)
    clock.save()


@transaction.atomic
def sla_on_status_change(
    *, ticket: Ticket, old_status: str, new_status: str, now: dt.datetime
) -> None:
    """Keep the clocks in step with a status change: pause statuses stop them, leaving one adds
    the paused time to the due time; solved/closed meet them; reopening resumes resolution."""
    if old_status == new_status:
        return
    suppression_sync_for_ticket(ticket_id=ticket.pk, now=now)
    clocks = list(
        SlaClock.objects.select_for_update(of=("self",))
        .select_related("ticket")
        .filter(ticket=ticket)
    )
    if not clocks:
        if new_status not in DONE_STATUSES and _recent(ticket, now):
            sla_start(ticket=ticket, now=now, started_at=ticket.created_at)
        return
    pause = sla_config().pause_statuses
    for clock in clocks:
        calendar = clock_calendar(clock)
        if new_status in DONE_STATUSES:
            if clock.met_at is None:
                _stop(clock, now, calendar)
            continue
        if old_status in DONE_STATUSES and clock.metric == SlaMetric.RESOLUTION and clock.met_at:
            # Reopened: the time it spent solved does not count against the resolution target.
            clock.paused_seconds += business_seconds_between(clock.met_at, now, calendar)
            clock.met_at = None
        if clock.met_at is not None:
            continue
        if new_status in pause and clock.paused_at is None:
            clock.paused_at = now
        elif new_status not in pause:
            _resume(clock, now, calendar)
        _save(clock, calendar)


@transaction.atomic
def sla_on_first_response(*, ticket: Ticket, now: dt.datetime) -> None:
    """The first reply meets the first-response clock (breached first if it came late)."""
    clock = (
        SlaClock.objects.select_for_update(of=("self",))
        .select_related("ticket")
        .filter(ticket=ticket, metric=SlaMetric.FIRST_RESPONSE, met_at__isnull=True)
        .first()
    )
    if clock is not None:
        _stop(clock, now, clock_calendar(clock))


def _record_breach(clock: SlaClock, ticket: Ticket, *, now: dt.datetime) -> bool:
    """Record the breach of `clock` at its due time; False when it was already recorded."""
    clock.breached_at = clock.due_at
    _, created = SlaBreach.objects.get_or_create(
        clock=clock,
        defaults={
            "ticket": ticket,
            "metric": clock.metric,
            "policy_id": clock.policy_id,
            "policy_version": clock.policy_version,
            "due_at": clock.due_at,
            "breached_at": clock.due_at,
            "detected_at": now,
            "priority": ticket.priority,
            "channel": ticket.channel,
            "customer_tier": customer_tier(ticket),
            "team_id": ticket.owner_team_id,
        },
    )
    if created:
        audit_record(
            actor=SLA_ACTOR,
            action="ticket.sla_breached",
            obj=ticket,
            after={"metric": clock.metric, "due_at": clock.due_at, "policy": clock.policy_id},
        )
        logger.info("sla.breached", extra={"ticket_id": ticket.pk, "metric": clock.metric})
    return created


def _reconcile(clock: SlaClock, now: dt.datetime, calendar: BusinessCalendar) -> dt.datetime | None:
    """When the ticket moved on without telling us (no hook call), the instant it was met."""
    ticket = clock.ticket
    if clock.metric == SlaMetric.FIRST_RESPONSE and ticket.first_response_at is not None:
        return min(ticket.first_response_at, now)
    if ticket.status in DONE_STATUSES:
        return min(ticket.solved_at or ticket.closed_at or now, now)
    return None


def _sweep_clock(clock_id: int, ticket_id: int, now: dt.datetime, result: SweepResult) -> None:
    with transaction.atomic():
        # Ticket first, then clock: the same lock order as ticket_set_status -> the status hook.
        Ticket.objects.select_for_update().filter(pk=ticket_id).first()
        clock = (
            SlaClock.objects.select_for_update(of=("self",))
            .select_related("ticket", "ticket__customer")
            .filter(
                pk=clock_id, met_at__isnull=True, paused_at__isnull=True, next_action_at__lte=now
            )
            .first()
        )
        if clock is None:
            return  # handled by a concurrent sweep, or changed since it was listed
        calendar = clock_calendar(clock)
        met_at = _reconcile(clock, now, calendar)
        if met_at is not None:
            _stop(clock, met_at, calendar)
            result.met += 1
            return
        if clock.ticket.status in sla_config().pause_statuses:
            clock.paused_at = now
            _save(clock, calendar)
            return
        elapsed = _elapsed_seconds(clock, now, calendar)
        while (
            clock.stage_reached < len(clock.stages)
            and int(clock.stages[clock.stage_reached]["offset_minutes"]) * 60 <= elapsed
        ):
            stage = clock.stages[clock.stage_reached]
            sent = escalation.fire_stage(
                clock=clock, stage=stage, index=clock.stage_reached, now=now
            )
            result.notifications += sent
            if stage["action"] == "remind":
                result.reminders += 1
            else:
                result.escalations += 1
            clock.stage_reached += 1
        if clock.breached_at is None and elapsed >= clock.target_minutes * 60:
            _refresh(clock, calendar)
            if _record_breach(clock, clock.ticket, now=now):
                result.breaches += 1
        _save(clock, calendar)


def _autostart(now: dt.datetime, result: SweepResult) -> None:
    has_clock = SlaClock.objects.filter(ticket=OuterRef("pk"))
    tickets = (
        Ticket.objects.filter(
            status__in=OPEN_STATUSES,
            created_at__gte=now - dt.timedelta(days=AUTOSTART_DAYS),
            created_at__lte=now,
            merged_into__isnull=True,
        )
        .filter(~Exists(has_clock))
        .select_related("customer")
        .order_by("created_at")[:SWEEP_BATCH]
    )
    for ticket in tickets:
        if sla_start(ticket=ticket, now=now, started_at=ticket.created_at):
            result.started += 1


def sla_sweep(*, now: dt.datetime) -> SweepResult:
    """Start missing clocks, fire due stages, record breaches. Safe to run twice or late."""
    result = SweepResult()
    _autostart(now, result)
    seen: set[int] = set()
    while True:
        due = list(
            SlaClock.objects.filter(
                met_at__isnull=True, paused_at__isnull=True, next_action_at__lte=now
            )
            .exclude(pk__in=seen)
            .order_by("next_action_at", "pk")
            .values_list("pk", "ticket_id")[:SWEEP_BATCH]
        )
        for clock_id, ticket_id in due:
            _sweep_clock(clock_id, ticket_id, now, result)
        seen.update(pk for pk, _ in due)
        if len(due) < SWEEP_BATCH:
            break
    logger.info("sla.swept", extra=result.__dict__)
    return result
