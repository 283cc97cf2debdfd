"""tickets_merge and ticket_split: messages and thread keys move, audit on both tickets."""

from __future__ import annotations

import datetime as dt

import pytest

from signaldesk.core.audit import Actor
from signaldesk.core.errors import Conflict, ValidationError
from signaldesk.core.models import AuditEvent
from signaldesk.testing.factories import CustomerFactory, MessageFactory, TicketFactory
from signaldesk.tickets.merge import ticket_split, tickets_merge
from signaldesk.tickets.models import Message, Ticket, TicketThread

pytestmark = pytest.mark.django_db
T0 = dt.datetime(2026, 3, 1, 9, 0, tzinfo=dt.UTC)


def _thread(ticket: Ticket, channel: str, key: str) -> TicketThread:
    return TicketThread.objects.create(
        ticket=ticket, channel=channel, external_thread_id=key, created_at=T0
    )


def _actions(ticket: Ticket) -> list[str]:
    return sorted(
        AuditEvent.objects.filter(object_type="tickets.ticket", object_id=str(ticket.pk))
        .exclude(action="ticket.status_changed")
        .values_list("action", flat=True)
    )


def test_merge_moves_messages_threads_tags_and_closes_source(system_actor: Actor) -> None:
    customer = CustomerFactory()
    source = TicketFactory(customer=customer, status="open", tags=["vip"])
    target = TicketFactory(customer=customer, status="open", tags=["delay"])
    moved = [MessageFactory(ticket=source).pk for _ in range(2)]
    thread = _thread(source, "email", "<root@x>")

    result = tickets_merge(source=source, target=target, actor=system_actor)

    source.refresh_from_db()
    assert result.pk == target.pk
    assert sorted(Message.objects.filter(ticket=target).values_list("pk", flat=True)) == moved
    assert TicketThread.objects.get(pk=thread.pk).ticket_id == target.pk
    assert (source.status, source.merged_into_id) == ("closed", target.pk)
    assert Ticket.objects.get(pk=target.pk).tags == ["delay", "vip"]
    assert _actions(source) == ["ticket.merged_into"]
    assert _actions(target) == ["ticket.merged_from"]
    event = AuditEvent.objects.get(action="ticket.merged_into", object_id=str(source.pk))
    assert event.after == {"merged_into": target.pk, "messages": moved, "threads": [thread.pk]}


def test_merge_refuses_self_other_customer_and_merged(system_actor: Actor) -> None:
    a, b = TicketFactory(), TicketFactory()
    with pytest.raises(ValidationError) as self_merge:
        tickets_merge(source=a, target=a, actor=system_actor)
    assert self_merge.value.code == "merge_self"
    with pytest.raises(ValidationError) as other:
        tickets_merge(source=a, target=b, actor=system_actor)
    assert other.value.code == "different_customers"
    c = TicketFactory(customer=a.customer)
    tickets_merge(source=a, target=c, actor=system_actor)
    with pytest.raises(Conflict) as twice:
        tickets_merge(source=a, target=c, actor=system_actor)
    assert twice.value.code == "already_merged"


def test_split_moves_messages_and_whole_threads(system_actor: Actor) -> None:
    ticket = TicketFactory(channel="email", priority="high", status="open")
    email_1 = MessageFactory(ticket=ticket, channel="email", created_at=T0)
    chat_1 = MessageFactory(ticket=ticket, channel="chat", created_at=T0 + dt.timedelta(hours=1))
    chat_2 = MessageFactory(ticket=ticket, channel="chat", created_at=T0 + dt.timedelta(hours=2))
    email_thread = _thread(ticket, "email", "<root@x>")
    chat_thread = _thread(ticket, "chat", "session-9")

    new = ticket_split(ticket=ticket, message_ids=[chat_1.pk, chat_2.pk], actor=system_actor)

    assert (new.customer_id, new.channel, new.priority, new.status) == (
        ticket.customer_id,
        "chat",
        "high",
        "open",
    )
    assert new.custom_fields == {"split_from": ticket.pk}
    assert list(Message.objects.filter(ticket=new).values_list("pk", flat=True)) == [
        chat_1.pk,
        chat_2.pk,
    ]
    assert list(Message.objects.filter(ticket=ticket).values_list("pk", flat=True)) == [email_1.pk]
    assert TicketThread.objects.get(pk=chat_thread.pk).ticket_id == new.pk
    assert TicketThread.objects.get(pk=email_thread.pk).ticket_id == ticket.pk
    assert _actions(ticket) == ["ticket.split"]
    assert _actions(new) == ["ticket.created", "ticket.split_from"]
    assert new.last_customer_message_at == chat_2.created_at


def test_split_keeps_a_thread_whose_channel_has_messages_left(system_actor: Actor) -> None:
    ticket = TicketFactory(channel="email")
    first = MessageFactory(ticket=ticket, channel="email", created_at=T0)
    MessageFactory(ticket=ticket, channel="email", created_at=T0 + dt.timedelta(hours=1))
    thread = _thread(ticket, "email", "<root@x>")
    new = ticket_split(ticket=ticket, message_ids=[first.pk], actor=system_actor)
    assert TicketThread.objects.get(pk=thread.pk).ticket_id == ticket.pk
    event = AuditEvent.objects.get(action="ticket.split", object_id=str(ticket.pk))
    assert event.after == {"new_ticket": new.pk, "messages": [first.pk], "threads": []}


def test_split_validation(system_actor: Actor) -> None:
    ticket = TicketFactory()
    only = MessageFactory(ticket=ticket)
    other = MessageFactory()
    cases = [([], "empty"), ([other.pk], "not_on_ticket"), ([only.pk], "split_all")]
    codes = []
    for ids, _code in cases:
        with pytest.raises(ValidationError) as error:
            ticket_split(ticket=ticket, message_ids=ids, actor=system_actor)
        codes.append(error.value.code)
    assert codes == [code for _ids, code in cases]
