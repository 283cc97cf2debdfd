"""End to end: a suppression change reaches a real receiver on loopback with a valid signature."""

from __future__ import annotations

import datetime as dt
import json

import pytest

from signaldesk.core.outbox import outbox_deliver_due
from signaldesk.core.tests.test_outbox import SECRET, free_port, receiver
from signaldesk.suppression.services import suppression_sync_for_ticket
from signaldesk.testing.factories import CustomerFactory, TicketFactory
from signaldesk.tickets.models import Priority, TicketStatus

NOW = dt.datetime(2026, 3, 2, 9, 0, tzinfo=dt.UTC)
pytestmark = pytest.mark.django_db


def test_suppression_webhook_arrives_signed(monkeypatch: pytest.MonkeyPatch) -> None:
    port = free_port()
    monkeypatch.setenv("SIGNALDESK_SUPPRESSION_WEBHOOK_URL", f"http://127.0.0.1:{port}/hook")
    monkeypatch.setenv("SIGNALDESK_SUPPRESSION_WEBHOOK_SECRET", SECRET)
    ticket = TicketFactory(
        customer=CustomerFactory(email="bo@example.com"),
        status=TicketStatus.OPEN,
        priority=Priority.URGENT,
    )
    suppression_sync_for_ticket(ticket_id=ticket.pk, now=NOW)
    with receiver(port) as received:
        outbox_deliver_due(now=NOW)
    assert [verified for verified, _ in received] == [True]
    payload = json.loads(received[0][1])
    assert (payload["event"], payload["customer_email"], payload["source_ticket_id"]) == (
        "suppression.added",
        "bo@example.com",
        ticket.pk,
    )
