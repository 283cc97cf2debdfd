"""Suppression entries follow their tickets; every change is a signed webhook in the outbox."""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import json
from decimal import Decimal

import pytest

from signaldesk.approvals.services import money_request_create
from signaldesk.core.audit import Actor
from signaldesk.core.models import OutboxMessage
from signaldesk.suppression.models import SuppressionEntry
from signaldesk.suppression.selectors import CSV_COLUMNS, active_suppressions, suppressions_csv
from signaldesk.suppression.services import suppression_expire, suppression_sync_for_ticket
from signaldesk.testing.factories import CustomerFactory, TicketFactory
from signaldesk.tickets.models import Priority, Ticket, TicketStatus

NOW = dt.datetime(2026, 3, 2, 9, 0, tzinfo=dt.UTC)
TTL = dt.timedelta(days=14)
URL = "http://127.0.0.1:9/suppressions"
SECRET = "whsec"
pytestmark = pytest.mark.django_db


def make_ticket(**kw: object) -> Ticket:
    kw.setdefault("status", TicketStatus.OPEN)
    kw.setdefault("priority", Priority.HIGH)
    customer = CustomerFactory(email="ana@example.com")
    ticket: Ticket = TicketFactory(customer=customer, created_at=NOW, **kw)
    return ticket


def set_fields(ticket: Ticket, **fields: object) -> None:
    Ticket.objects.filter(pk=ticket.pk).update(**fields)


def test_add_extend_lift() -> None:
    ticket = make_ticket()
    assert suppression_sync_for_ticket(ticket_id=ticket.pk, now=NOW) == "added"
    entry = SuppressionEntry.objects.get()
    assert (entry.reason, entry.started_at, entry.expires_at) == (
        "open high priority issue",
        NOW,
        NOW + TTL,
    )
    later = NOW + dt.timedelta(days=1)
    assert suppression_sync_for_ticket(ticket_id=ticket.pk, now=later) == "extended"
    entry.refresh_from_db()
    assert entry.expires_at == later + TTL
    set_fields(ticket, status=TicketStatus.SOLVED)
    assert suppression_sync_for_ticket(ticket_id=ticket.pk, now=later) == "lifted"
    entry.refresh_from_db()
    assert (entry.lifted_at, entry.lift_reason) == (later, "resolved")
    assert list(active_suppressions(now=later)) == []
    assert suppression_sync_for_ticket(ticket_id=ticket.pk, now=later) is None


def test_normal_priority_without_listed_reason_is_not_suppressed() -> None:
    ticket = make_ticket(priority=Priority.NORMAL, contact_reason="order_status")
    assert suppression_sync_for_ticket(ticket_id=ticket.pk, now=NOW) is None
    listed = make_ticket(priority=Priority.NORMAL, contact_reason="damaged_item")
    assert suppression_sync_for_ticket(ticket_id=listed.pk, now=NOW) == "added"
    assert SuppressionEntry.objects.get().reason == "open issue: damaged_item"


def test_pending_money_request_suppresses() -> None:
    ticket = make_ticket(priority=Priority.NORMAL, contact_reason="order_status")
    money_request_create(
        ticket=ticket,
        kind="compensation",
        amount=Decimal("20.00"),
        reason="Goodwill",
        actor=Actor.system("test"),
        now=NOW,
    )
    assert SuppressionEntry.objects.get().reason == "pending money request"


def test_expire_job_lifts_past_entries() -> None:
    ticket = make_ticket()
    suppression_sync_for_ticket(ticket_id=ticket.pk, now=NOW)
    assert suppression_expire(now=NOW + TTL - dt.timedelta(seconds=1)) == 0
    assert suppression_expire(now=NOW + TTL) == 1
    entry = SuppressionEntry.objects.get()
    assert (entry.lifted_at, entry.lift_reason) == (NOW + TTL, "expired")


def test_ticket_solved_through_status_action_lifts_entry() -> None:
    from signaldesk.tickets.actions import ticket_set_status

    ticket = make_ticket()
    suppression_sync_for_ticket(ticket_id=ticket.pk, now=NOW)
    ticket_set_status(ticket=ticket, status=TicketStatus.SOLVED, actor=Actor.system("test"))
    assert SuppressionEntry.objects.get().lift_reason == "resolved"


def test_csv_columns() -> None:
    ticket = make_ticket()
    suppression_sync_for_ticket(ticket_id=ticket.pk, now=NOW)
    entry = SuppressionEntry.objects.get()
    text = suppressions_csv([entry])
    assert CSV_COLUMNS == [
        "customer_id",
        "customer_email",
        "reason",
        "source_ticket_id",
        "started_at",
        "expires_at",
    ]
    assert text.splitlines() == [
        ",".join(CSV_COLUMNS),
        f"{entry.customer_id},ana@example.com,open high priority issue,{ticket.pk},"
        "2026-03-02T09:00:00+00:00,2026-03-16T09:00:00+00:00",
    ]


def test_no_webhook_when_url_unset(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("SIGNALDESK_SUPPRESSION_WEBHOOK_URL", raising=False)
    suppression_sync_for_ticket(ticket_id=make_ticket().pk, now=NOW)
    assert OutboxMessage.objects.count() == 0


def test_every_change_enqueues_a_signed_webhook(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SIGNALDESK_SUPPRESSION_WEBHOOK_URL", URL)
    monkeypatch.setenv("SIGNALDESK_SUPPRESSION_WEBHOOK_SECRET", SECRET)
    ticket = make_ticket()
    suppression_sync_for_ticket(ticket_id=ticket.pk, now=NOW)
    suppression_sync_for_ticket(ticket_id=ticket.pk, now=NOW + dt.timedelta(hours=1))
    set_fields(ticket, status=TicketStatus.SOLVED)
    suppression_sync_for_ticket(ticket_id=ticket.pk, now=NOW + dt.timedelta(hours=2))
    messages = list(OutboxMessage.objects.order_by("id"))
    events = [json.loads(m.body)["event"] for m in messages]
    assert events == ["suppression.added", "suppression.extended", "suppression.lifted"]
    first = messages[0]
    assert first.target == URL
    assert first.headers["X-SignalDesk-Timestamp"] == str(int(NOW.timestamp()))
    signed = f"{first.headers['X-SignalDesk-Timestamp']}.{first.body}".encode()
    digest = hmac.new(SECRET.encode(), signed, hashlib.sha256).hexdigest()
    assert first.headers["X-SignalDesk-Signature"] == f"sha256={digest}"
    assert json.loads(first.body)["customer_email"] == "ana@example.com"


def test_workflow_start_adds_the_entry() -> None:
    from signaldesk.workflow.services import ticket_workflow_start

    ticket = make_ticket()
    ticket_workflow_start(ticket_id=ticket.pk, now=NOW)
    entry = SuppressionEntry.objects.get()
    assert (entry.source_ticket_id, entry.started_at) == (ticket.pk, NOW)
