"""SLA clocks with explicit `now`: start, pause/resume, first response, staged escalation across a
simulated restart, breaches, and ordering by SLA risk."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.contrib.auth.models import AbstractUser

from signaldesk.accounts.models import AgentProfile, Role, Team
from signaldesk.core.audit import Actor
from signaldesk.core.models import AuditEvent
from signaldesk.testing.factories import CustomerFactory, TicketFactory, UserFactory
from signaldesk.tickets.actions import ticket_set_status
from signaldesk.tickets.models import Channel, Priority, Ticket, TicketStatus
from signaldesk.workflow.config import reset_config_cache
from signaldesk.workflow.models import Notification, SlaBreach, SlaClock
from signaldesk.workflow.selectors import tickets_by_sla_risk
from signaldesk.workflow.sla import (
    SweepResult,
    sla_on_first_response,
    sla_on_status_change,
    sla_start,
    sla_sweep,
)

pytestmark = pytest.mark.django_db
T0 = dt.datetime(2026, 3, 2, 8, 0, tzinfo=dt.UTC)  # Monday 09:00 in Berlin


def at(minutes: float) -> dt.datetime:
    return T0 + dt.timedelta(minutes=minutes)


def clock(ticket: Ticket, metric: str = "first_response") -> SlaClock:
    return SlaClock.objects.get(ticket=ticket, metric=metric)


def notes() -> list[tuple[str, str]]:
    return sorted(Notification.objects.values_list("recipient__username", "kind"))


@pytest.fixture
def team(db: None) -> Team:
    return Team.objects.create(slug="support-eu", name="Support EU")


@pytest.fixture
def staff(team: Team) -> dict[str, AbstractUser]:
    people: dict[str, Any] = {
        "agent": UserFactory(username="agent", role=Role.AGENT, role__team=team),
        "senior": UserFactory(username="senior", role=Role.AGENT, role__team=team),
        "manager": UserFactory(username="manager", role=Role.MANAGER, role__team=team),
        "other_manager": UserFactory(username="other_manager", role=Role.MANAGER),
    }
    AgentProfile.objects.filter(user=people["senior"]).update(is_senior=True)
    return people


@pytest.fixture
def urgent(team: Team, staff: dict[str, AbstractUser]) -> Ticket:
    ticket = TicketFactory(
        priority=Priority.URGENT,
        status=TicketStatus.OPEN,
        owner_team=team,
        assignee=staff["agent"],
        created_at=T0,
    )
    sla_start(ticket=ticket, now=T0)
    return ticket


def test_start_creates_both_clocks_from_the_matching_policy(urgent: Ticket) -> None:
    first, resolution = clock(urgent), clock(urgent, "resolution")
    assert (first.policy_id, first.policy_version, first.calendar_id) == (
        "urgent",
        1,
        "around_the_clock",
    )
    assert (first.started_at, first.due_at, first.next_action_at) == (T0, at(15), at(10))
    assert first.stages == [
        {"name": "Reminder to owner", "action": "remind", "offset_minutes": 10},
        {"name": "Escalate to senior", "action": "escalate", "offset_minutes": 15},
    ]
    assert (resolution.due_at, resolution.next_action_at) == (at(240), at(210))
    assert sla_start(ticket=urgent, now=at(5)) == [first, resolution]  # idempotent
    assert clock(urgent).started_at == T0


def test_staged_escalation_survives_a_restart(
    urgent: Ticket, staff: dict[str, AbstractUser]
) -> None:
    assert sla_sweep(now=at(9)) == SweepResult()
    assert sla_sweep(now=at(11)) == SweepResult(reminders=1, notifications=1)
    assert notes() == [("agent", "sla_reminder")]
    assert sla_sweep(now=at(11.5)) == SweepResult()
    assert notes() == [("agent", "sla_reminder")]

    reset_config_cache()  # a new process: nothing in memory, only the stored clocks

    assert sla_sweep(now=at(16)) == SweepResult(escalations=1, breaches=1, notifications=2)
    assert notes() == [
        ("agent", "sla_reminder"),
        ("manager", "sla_escalation"),
        ("senior", "sla_assigned"),
    ]
    urgent.refresh_from_db()
    assert urgent.assignee_id == staff["senior"].pk
    assert urgent.priority == Priority.URGENT
    assert urgent.custom_fields["escalated"] == {
        "at": at(16).isoformat(),
        "metric": "first_response",
        "stage": "Escalate to senior",
        "by": "sla",
    }
    breach = SlaBreach.objects.get()
    assert (breach.metric, breach.breached_at, breach.detected_at) == (
        "first_response",
        at(15),
        at(16),
    )
    assert (breach.priority, breach.team_id, breach.customer_tier) == (
        "urgent",
        urgent.owner_team_id,
        "none",
    )
    first = clock(urgent)
    assert (first.stage_reached, first.breached_at, first.next_action_at) == (2, at(15), None)
    assert sla_sweep(now=at(17)) == SweepResult()
    assert SlaBreach.objects.count() == 1
    assert AuditEvent.objects.filter(action="ticket.sla_escalated").count() == 1


def test_a_late_sweep_fires_every_due_stage_once(urgent: Ticket) -> None:
    assert sla_sweep(now=at(300)) == SweepResult(
        reminders=2, escalations=2, breaches=2, notifications=5
    )
    assert sla_sweep(now=at(301)) == SweepResult()


def test_escalation_raises_priority_on_a_business_calendar(team: Team) -> None:
    manager = UserFactory(username="boss", role=Role.MANAGER)
    ticket = TicketFactory(priority=Priority.HIGH, status=TicketStatus.OPEN, created_at=T0)
    sla_start(ticket=ticket, now=T0)
    assert clock(ticket).policy_id == "high"
    assert clock(ticket).due_at == at(120)
    assert sla_sweep(now=at(179)) == SweepResult(reminders=1, breaches=1, notifications=1)
    assert sla_sweep(now=at(180)) == SweepResult(escalations=1, notifications=1)
    ticket.refresh_from_db()
    assert ticket.priority == Priority.URGENT
    assert list(
        Notification.objects.filter(kind="sla_escalation").values_list("recipient", flat=True)
    ) == [manager.pk]


def test_pause_adds_the_paused_time_to_the_due_time(urgent: Ticket) -> None:
    sla_on_status_change(ticket=urgent, old_status="open", new_status="pending", now=at(5))
    assert (clock(urgent).paused_at, clock(urgent).next_action_at) == (at(5), None)
    assert sla_sweep(now=at(30)) == SweepResult()
    sla_on_status_change(ticket=urgent, old_status="pending", new_status="open", now=at(65))
    first = clock(urgent)
    assert (first.paused_at, first.paused_seconds, first.due_at) == (None, 3600.0, at(75))
    assert first.next_action_at == at(70)
    assert sla_sweep(now=at(71)) == SweepResult(reminders=1, notifications=1)


def test_pause_on_a_business_calendar_counts_business_time_only(team: Team) -> None:
    friday_five = dt.datetime(2026, 3, 6, 16, 0, tzinfo=dt.UTC)  # Fri 17:00 Berlin
    ticket = TicketFactory(status=TicketStatus.OPEN, created_at=friday_five)
    sla_start(ticket=ticket, now=friday_five)
    assert clock(ticket).policy_id == "standard"
    # 480 business minutes: 1h Fri, 4h Sat, 3h Mon -> Mon 12:00 Berlin
    assert clock(ticket).due_at == dt.datetime(2026, 3, 9, 11, 0, tzinfo=dt.UTC)
    sla_on_status_change(
        ticket=ticket,
        old_status="open",
        new_status="pending",
        now=friday_five + dt.timedelta(minutes=30),
    )
    monday_930 = dt.datetime(2026, 3, 9, 8, 30, tzinfo=dt.UTC)
    sla_on_status_change(ticket=ticket, old_status="pending", new_status="open", now=monday_930)
    first = clock(ticket)
    assert first.paused_seconds == 5 * 3600  # 30 min Fri + 4h Sat + 30 min Mon
    assert first.due_at == dt.datetime(2026, 3, 9, 16, 0, tzinfo=dt.UTC)  # Mon 17:00 Berlin


def test_first_response_stops_the_clock(urgent: Ticket) -> None:
    sla_on_first_response(ticket=urgent, now=at(5))
    assert (clock(urgent).met_at, clock(urgent).next_action_at) == (at(5), None)
    assert sla_sweep(now=at(20)) == SweepResult()
    assert SlaBreach.objects.count() == 0
    assert clock(urgent, "resolution").met_at is None


def test_a_late_first_response_records_the_breach(urgent: Ticket) -> None:
    sla_on_first_response(ticket=urgent, now=at(20))
    assert list(SlaBreach.objects.values_list("metric", "breached_at", "detected_at")) == [
        ("first_response", at(15), at(20))
    ]


def test_sweep_reconciles_a_reply_it_was_not_told_about(urgent: Ticket) -> None:
    Ticket.objects.filter(pk=urgent.pk).update(first_response_at=at(4))
    assert sla_sweep(now=at(11)) == SweepResult(met=1)
    assert clock(urgent).met_at == at(4)
    assert Notification.objects.count() == 0


def test_solving_meets_the_clocks_and_reopening_resumes_resolution(urgent: Ticket) -> None:
    sla_on_status_change(ticket=urgent, old_status="open", new_status="solved", now=at(30))
    assert [c.met_at for c in SlaClock.objects.filter(ticket=urgent).order_by("metric")] == [
        at(30),
        at(30),
    ]
    assert SlaBreach.objects.values_list("metric", flat=True).get() == "first_response"
    sla_on_status_change(ticket=urgent, old_status="solved", new_status="open", now=at(90))
    resolution = clock(urgent, "resolution")
    assert (resolution.met_at, resolution.paused_seconds, resolution.due_at) == (
        None,
        3600.0,
        at(300),
    )


def test_ticket_set_status_calls_the_hook(urgent: Ticket) -> None:
    ticket = ticket_set_status(ticket=urgent, status=TicketStatus.PENDING, actor=Actor.system("t"))
    assert clock(urgent).paused_at == ticket.updated_at


def test_sweep_starts_clocks_for_recent_open_tickets() -> None:
    customer = CustomerFactory(loyalty_tier="vip")
    ticket = TicketFactory(
        customer=customer, channel=Channel.CHAT, status=TicketStatus.NEW, created_at=T0
    )
    TicketFactory(status=TicketStatus.SOLVED, created_at=T0)
    TicketFactory(status=TicketStatus.OPEN, created_at=T0 - dt.timedelta(days=8))
    assert sla_sweep(now=at(1)) == SweepResult(started=1)
    assert (clock(ticket).policy_id, clock(ticket).started_at) == ("vip_chat", T0)
    assert SlaClock.objects.count() == 2


def test_tickets_by_sla_risk_orders_by_earliest_running_due_time() -> None:
    late = TicketFactory(priority=Priority.NORMAL, created_at=T0)
    soon = TicketFactory(priority=Priority.URGENT, created_at=at(30))
    paused = TicketFactory(priority=Priority.URGENT, created_at=T0)
    none = TicketFactory(created_at=at(-60))
    for ticket in (late, soon, paused):
        sla_start(ticket=ticket, now=ticket.created_at)
    sla_on_status_change(ticket=paused, old_status="new", new_status="pending", now=at(31))
    rows = list(tickets_by_sla_risk(Ticket.objects.all()))
    assert [t.pk for t in rows] == [soon.pk, late.pk, none.pk, paused.pk]
    assert [t.sla_due_at for t in rows] == [at(45), at(480), None, None]
