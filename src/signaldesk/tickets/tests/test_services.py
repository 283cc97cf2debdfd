import datetime as dt

import pytest
from django.utils import timezone

from signaldesk.core.audit import Actor
from signaldesk.core.models import AuditEvent
from signaldesk.testing.factories import CustomerFactory, OrderFactory, TicketFactory
from signaldesk.tickets.models import TicketThread
from signaldesk.tickets.selectors import ticket_open_for_order, ticket_surviving
from signaldesk.tickets.services import (
    message_inbound_create,
    ticket_create,
    ticket_order_link,
    ticket_reopen,
    ticket_thread_attach,
)

pytestmark = pytest.mark.django_db

NOW = dt.datetime(2025, 3, 10, 12, 0, tzinfo=dt.UTC)


def test_ticket_create_records_a_follow_up(system_actor: Actor) -> None:
    old = TicketFactory(status="closed")
    ticket = ticket_create(
        subject="Again",
        channel="email",
        customer=old.customer,
        order=None,
        at=NOW,
        actor=system_actor,
        follow_up_of=old,
    )

    assert (ticket.status, ticket.custom_fields, ticket.created_at, ticket.updated_at) == (
        "new",
        {"follow_up_of": old.pk},
        NOW,
        NOW,
    )
    assert AuditEvent.objects.get(action="ticket.created").after == {
        "subject": "Again",
        "channel": "email",
        "status": "new",
        "customer": old.customer_id,
        "order": None,
        "custom_fields": {"follow_up_of": old.pk},
    }


def test_ticket_reopen_sets_open_and_counts(system_actor: Actor) -> None:
    ticket = TicketFactory(status="solved", solved_at=NOW, reopened_count=1, updated_at=NOW)
    later = NOW + dt.timedelta(days=2)

    reopened = ticket_reopen(ticket=ticket, at=later, actor=system_actor, reason="reply")

    assert (reopened.status, reopened.reopened_count, reopened.solved_at) == ("open", 2, None)
    assert reopened.updated_at == later
    event = AuditEvent.objects.get(action="ticket.reopened")
    assert (event.before, event.after, event.context) == (
        {"status": "solved", "solved_at": NOW.isoformat(), "reopened_count": 1},
        {"status": "open", "solved_at": None, "reopened_count": 2},
        {"reason": "reply"},
    )


def test_only_solved_tickets_reopen(system_actor: Actor) -> None:
    ticket = TicketFactory(status="closed")

    with pytest.raises(ValueError, match="only solved tickets reopen"):
        ticket_reopen(ticket=ticket, at=NOW, actor=system_actor, reason="reply")


def test_thread_attach_moves_an_existing_thread_to_the_new_ticket(system_actor: Actor) -> None:
    old, new = TicketFactory(), TicketFactory()
    ticket_thread_attach(
        ticket=old, channel="email", external_thread_id="m-1", at=NOW, actor=system_actor
    )
    ticket_thread_attach(
        ticket=new, channel="email", external_thread_id="m-1", at=NOW, actor=system_actor
    )
    ticket_thread_attach(
        ticket=new, channel="email", external_thread_id="m-1", at=NOW, actor=system_actor
    )

    assert list(TicketThread.objects.values_list("ticket_id", flat=True)) == [new.pk]
    assert list(
        AuditEvent.objects.filter(action="ticket.thread_attached")
        .order_by("id")
        .values_list("object_id", "before")
    ) == [(str(old.pk), None), (str(new.pk), {"ticket": old.pk})]


def test_inbound_message_bumps_the_ticket_and_opens_a_pending_one(system_actor: Actor) -> None:
    ticket = TicketFactory(status="pending", created_at=NOW, updated_at=NOW)
    sent = NOW + dt.timedelta(hours=1)

    message = message_inbound_create(
        ticket=ticket,
        channel="email",
        customer=ticket.customer,
        author_label="Ana",
        body_text="Here you go",
        body_html="",
        attachments=[],
        external_id="<abc@mail>",
        idempotency_key=None,
        sent_at=sent,
        received_at=sent,
        actor=system_actor,
    )

    ticket.refresh_from_db()
    assert (ticket.status, ticket.last_customer_message_at, ticket.updated_at) == (
        "open",
        sent,
        sent,
    )
    assert (message.direction, message.external_id) == ("inbound", "<abc@mail>")
    assert sorted(AuditEvent.objects.values_list("action", flat=True)) == [
        "message.received",
        "ticket.status_changed",
    ]


def test_order_link_only_fills_an_empty_order(system_actor: Actor) -> None:
    first, second = OrderFactory(), OrderFactory()
    ticket = TicketFactory(order=None)

    ticket_order_link(ticket=ticket, order=first, actor=system_actor)
    linked = ticket_order_link(ticket=ticket, order=second, actor=system_actor)

    assert linked.order_id == first.pk
    assert AuditEvent.objects.filter(action="ticket.order_linked").count() == 1


def test_open_ticket_for_order_respects_status_and_activity() -> None:
    customer = CustomerFactory()
    order = OrderFactory(customer=customer)
    now = timezone.now()
    TicketFactory(customer=customer, order=order, status="solved", updated_at=now)
    TicketFactory(customer=customer, order=order, updated_at=now - dt.timedelta(days=20))
    recent = TicketFactory(customer=customer, order=order, status="pending", updated_at=now)

    assert (
        ticket_open_for_order(
            customer=customer, order=order, active_since=now - dt.timedelta(days=14)
        )
        == recent
    )


def test_ticket_surviving_follows_merges() -> None:
    survivor = TicketFactory()
    middle = TicketFactory(merged_into=survivor)
    merged = TicketFactory(merged_into=middle)

    assert ticket_surviving(merged) == survivor
