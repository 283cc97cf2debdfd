"""SLA clocks count from the customer's first message, survive a restart (everything is read back
from the stored clocks) and the sweep at a later now escalates and records the breach."""

from __future__ import annotations

import datetime as dt

import pytest

from signaldesk.console.selectors import queue_page
from signaldesk.testing.factories import MessageFactory, TicketFactory, UserFactory
from signaldesk.tickets.models import Ticket
from signaldesk.workflow.config import reset_config_cache
from signaldesk.workflow.models import SlaBreach, SlaClock
from signaldesk.workflow.services import ticket_workflow_start
from signaldesk.workflow.sla import SweepResult, clock_start_for, sla_sweep

pytestmark = pytest.mark.django_db
NOW = dt.datetime(2026, 11, 20, 12, 0, tzinfo=dt.UTC)


def waiting_ticket(*, wrote: dt.datetime, **fields: object) -> Ticket:
    ticket: Ticket = TicketFactory(created_at=wrote, **fields)
    MessageFactory(ticket=ticket, created_at=wrote)
    return ticket


def test_clocks_start_at_the_first_message_and_a_sweep_after_a_restart_escalates() -> None:
    agent = UserFactory(role="agent")
    ticket = waiting_ticket(wrote=NOW - dt.timedelta(minutes=20), priority="urgent")
    ticket_workflow_start(ticket_id=ticket.pk, now=NOW)
    first = SlaClock.objects.get(ticket=ticket, metric="first_response")
    assert (first.policy_id, first.started_at, first.due_at) == (
        "urgent",
        NOW - dt.timedelta(minutes=20),
        NOW - dt.timedelta(minutes=5),
    )

    reset_config_cache()  # a restart: nothing is kept in memory, only the stored clocks
    later = NOW + dt.timedelta(minutes=1)
    assert sla_sweep(now=later) == SweepResult(reminders=1, escalations=1, breaches=1)
    assert sla_sweep(now=later) == SweepResult()  # each stage fires once

    ticket.refresh_from_db()
    assert ticket.custom_fields["escalated"] == {
        "at": later.isoformat(),
        "metric": "first_response",
        "stage": "Escalate to senior",
        "by": "sla",
    }
    breach = SlaBreach.objects.get()
    assert (breach.ticket_id, breach.metric, breach.breached_at) == (
        ticket.pk,
        "first_response",
        NOW - dt.timedelta(minutes=5),
    )
    page = queue_page(key="escalated", user=agent, page=1)
    assert [t.pk for t in page.tickets] == [ticket.pk]


def test_imported_history_older_than_a_week_starts_its_clocks_now() -> None:
    old = waiting_ticket(wrote=NOW - dt.timedelta(days=10))
    recent = waiting_ticket(wrote=NOW - dt.timedelta(days=6))
    ahead = waiting_ticket(wrote=NOW + dt.timedelta(minutes=3))
    assert [clock_start_for(t, NOW) for t in (old, recent, ahead)] == [
        NOW,
        NOW - dt.timedelta(days=6),
        NOW,
    ]
    ticket_workflow_start(ticket_id=old.pk, now=NOW)
    starts = set(SlaClock.objects.filter(ticket=old).values_list("started_at", flat=True))
    assert starts == {NOW}
