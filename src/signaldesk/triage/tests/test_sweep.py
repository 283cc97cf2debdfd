"""The triage sweep: tickets whose triage job was lost are found and re-triaged."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from signaldesk.core.audit import Actor
from signaldesk.testing.factories import MessageFactory, TicketFactory
from signaldesk.tickets.models import Direction
from signaldesk.triage.models import TicketEnrichment
from signaldesk.triage.selectors import tickets_awaiting_triage
from signaldesk.triage.services import ticket_triage
from signaldesk.triage.tasks import triage_sweep_task

pytestmark = pytest.mark.django_db

MINUTE = dt.timedelta(minutes=1)


def ticket_with_message(*, minutes_ago: int, direction: str = Direction.INBOUND) -> int:
    at = timezone.now() - minutes_ago * MINUTE
    ticket = TicketFactory(created_at=at)
    MessageFactory(ticket=ticket, direction=direction, created_at=at, body_text="Where is it?")
    return int(ticket.pk)


def test_lists_tickets_whose_triage_missed_a_message() -> None:
    never = ticket_with_message(minutes_ago=10)
    done = ticket_with_message(minutes_ago=10)
    ticket_triage(ticket_id=done, actor=Actor.system("test"))
    behind = ticket_with_message(minutes_ago=20)
    ticket_triage(ticket_id=behind, actor=Actor.system("test"))
    MessageFactory(ticket_id=behind, created_at=timezone.now() - 10 * MINUTE, body_text="Hello?")
    ticket_with_message(minutes_ago=1)  # within the grace: its job may still be queued
    ticket_with_message(minutes_ago=60 * 24 * 3)  # before the lookback
    ticket_with_message(minutes_ago=10, direction=Direction.NOTE)  # no inbound message
    now = timezone.now()

    found = tickets_awaiting_triage(
        received_from=now - dt.timedelta(days=2), received_before=now - 5 * MINUTE, limit=10
    )

    assert found == [never, behind]


def test_sweep_task_triages_what_it_finds(settings) -> None:
    settings.SIGNALDESK_TRIAGE_SWEEP_GRACE_SECONDS = 300
    lost = ticket_with_message(minutes_ago=10)
    ticket_with_message(minutes_ago=1)

    queued = triage_sweep_task.apply().get()

    assert queued == 1
    assert list(TicketEnrichment.objects.values_list("ticket_id", "messages_seen")) == [(lost, 1)]
    assert triage_sweep_task.apply().get() == 0
