"""Which ticket a message lands on: thread key, same order, reopen window, follow-ups."""

import datetime as dt

import pytest
from django.utils import timezone

from signaldesk.commerce.models import CustomerIdentity
from signaldesk.intake.services import after_message_ingested
from signaldesk.testing.factories import (
    CustomerFactory,
    CustomerIdentityFactory,
    OrderFactory,
    TicketFactory,
)
from signaldesk.tickets.models import Message, Ticket, TicketThread

pytestmark = pytest.mark.django_db


def email_message(thread: str, text: str, **extra):
    return {
        "channel": "email",
        "customer": {"email": "ana@example.com", "name": "Ana Berg"},
        "external_thread_id": thread,
        "text": text,
        **extra,
    }


def solved_ticket_on_thread(*, thread: str, solved_days_ago: float, status: str = "solved"):
    customer = CustomerFactory.with_identities(email="ana@example.com")
    solved_at = timezone.now() - dt.timedelta(days=solved_days_ago)
    ticket = TicketFactory(
        customer=customer,
        status=status,
        solved_at=solved_at,
        created_at=solved_at - dt.timedelta(days=1),
        updated_at=solved_at,
    )
    TicketThread.objects.create(
        ticket=ticket, channel="email", external_thread_id=thread, created_at=ticket.created_at
    )
    return ticket


def test_same_thread_continues_one_ticket(post_message) -> None:
    first = post_message(email_message("mail-1", "My parcel is late"))
    second = post_message(email_message("mail-1", "Any news?"))

    assert (first.status_code, second.status_code) == (201, 201)
    assert first.json()["ticket_created"] is True
    assert second.json()["ticket_created"] is False
    assert second.json()["ticket_id"] == first.json()["ticket_id"]
    ticket = Ticket.objects.get()
    assert (ticket.status, ticket.subject, ticket.channel, ticket.language) == (
        "new",
        "My parcel is late",
        "email",
        "",
    )
    assert list(ticket.messages.values_list("body_text", flat=True)) == [
        "My parcel is late",
        "Any news?",
    ]
    assert ticket.last_customer_message_at == Message.objects.get(body_text="Any news?").created_at


def test_other_thread_same_order_within_window_continues_the_ticket(post_message) -> None:
    customer = CustomerFactory.with_identities(email="ana@example.com")
    order = OrderFactory(customer=customer, number="#10023")
    first = post_message(email_message("mail-1", "Where is order #10023?"))
    whatsapp = post_message(
        {
            "channel": "whatsapp",
            "customer": {"phone": "+49 151 1234 5678"},
            "external_thread_id": "wa-491511",
            "text": "Hi, any update on my order 10023?",
        }
    )

    body = whatsapp.json()
    assert whatsapp.status_code == 201
    assert (body["ticket_id"], body["customer_id"], body["ticket_created"]) == (
        first.json()["ticket_id"],
        customer.pk,
        False,
    )
    ticket = Ticket.objects.get()
    assert ticket.order == order
    assert sorted(ticket.threads.values_list("channel", "external_thread_id")) == [
        ("email", "mail-1"),
        ("whatsapp", "wa-491511"),
    ]
    assert sorted(customer.identities.values_list("kind", "value")) == [
        ("email", "ana@example.com"),
        ("phone", "+4915112345678"),
    ]


def test_same_order_ticket_outside_window_is_not_continued(post_message) -> None:
    customer = CustomerFactory.with_identities(email="ana@example.com")
    OrderFactory(customer=customer, number="#10023")
    long_ago = (timezone.now() - dt.timedelta(days=15)).isoformat()
    first = post_message(email_message("mail-1", "Order #10023 is late", sent_at=long_ago))
    second = post_message(email_message("mail-2", "Order #10023 arrived broken"))

    assert second.json()["ticket_created"] is True
    assert second.json()["ticket_id"] != first.json()["ticket_id"]
    assert Ticket.objects.filter(order__number="#10023").count() == 2


def test_new_thread_without_shared_order_opens_a_new_ticket(post_message) -> None:
    first = post_message(email_message("mail-1", "Where is my parcel?"))
    second = post_message(email_message("mail-2", "Do you sell gift cards?"))

    assert second.json()["ticket_created"] is True
    assert second.json()["ticket_id"] != first.json()["ticket_id"]
    assert second.json()["customer_id"] == first.json()["customer_id"]
    assert list(Ticket.objects.order_by("pk").values_list("subject", flat=True)) == [
        "Where is my parcel?",
        "Do you sell gift cards?",
    ]


def test_reply_to_solved_ticket_within_window_reopens_it(post_message) -> None:
    ticket = solved_ticket_on_thread(thread="mail-9", solved_days_ago=10)
    response = post_message(email_message("mail-9", "It broke again"))

    assert response.status_code == 201
    assert response.json()["ticket_id"] == ticket.pk
    assert response.json()["ticket_reopened"] is True
    ticket.refresh_from_db()
    assert (ticket.status, ticket.reopened_count, ticket.solved_at) == ("open", 1, None)


def test_reply_to_solved_ticket_after_window_opens_a_linked_follow_up(post_message) -> None:
    old = solved_ticket_on_thread(thread="mail-9", solved_days_ago=15)
    response = post_message(email_message("mail-9", "It broke again"))

    body = response.json()
    assert (body["ticket_created"], body["ticket_reopened"]) == (True, False)
    follow_up = Ticket.objects.get(pk=body["ticket_id"])
    assert follow_up.custom_fields == {"follow_up_of": old.pk}
    assert follow_up.status == "new"
    old.refresh_from_db()
    assert (old.status, old.reopened_count) == ("solved", 0)
    assert TicketThread.objects.get(external_thread_id="mail-9").ticket_id == follow_up.pk


def test_reopen_window_comes_from_settings(post_message, settings) -> None:
    settings.SIGNALDESK_REOPEN_WINDOW_DAYS = 3
    old = solved_ticket_on_thread(thread="mail-9", solved_days_ago=5)
    response = post_message(email_message("mail-9", "Still broken"))

    assert response.json()["ticket_created"] is True
    assert Ticket.objects.get(pk=response.json()["ticket_id"]).custom_fields == {
        "follow_up_of": old.pk
    }


def test_reply_to_closed_ticket_always_opens_a_follow_up(post_message) -> None:
    old = solved_ticket_on_thread(thread="mail-9", solved_days_ago=1, status="closed")
    response = post_message(email_message("mail-9", "One more question"))

    body = response.json()
    assert (body["ticket_created"], body["ticket_reopened"]) == (True, False)
    assert Ticket.objects.get(pk=body["ticket_id"]).custom_fields == {"follow_up_of": old.pk}
    old.refresh_from_db()
    assert old.status == "closed"


def test_customer_reply_to_pending_ticket_sets_it_open(post_message) -> None:
    ticket = solved_ticket_on_thread(thread="mail-9", solved_days_ago=0, status="pending")
    response = post_message(email_message("mail-9", "Here is the photo you asked for"))

    assert response.json()["ticket_id"] == ticket.pk
    ticket.refresh_from_db()
    assert ticket.status == "open"


def test_subject_is_first_line_cut_to_120_characters(post_message) -> None:
    response = post_message(email_message("mail-1", "\n  " + "x" * 130 + "\nsecond line"))

    subject = Ticket.objects.get(pk=response.json()["ticket_id"]).subject
    assert subject == "x" * 119 + "…"


def test_given_subject_wins_over_first_line(post_message) -> None:
    response = post_message(email_message("mail-1", "Hello", subject="Refund for #99"))

    assert Ticket.objects.get(pk=response.json()["ticket_id"]).subject == "Refund for #99"


def test_after_commit_hook_receives_ticket_and_message_ids(
    post_message, django_capture_on_commit_callbacks
) -> None:
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        response = post_message(email_message("mail-1", "Hello"))

    body = response.json()
    assert len(callbacks) == 1
    assert callbacks[0].func is after_message_ingested
    assert callbacks[0].args == (body["ticket_id"], body["message_id"])


def test_message_on_thread_of_another_customer_keeps_the_ticket_customer(post_message) -> None:
    ticket = solved_ticket_on_thread(thread="mail-9", solved_days_ago=0, status="open")
    colleague = CustomerIdentityFactory(kind="email", value="ben@example.com").customer
    response = post_message(
        {
            "channel": "email",
            "customer": {"email": "ben@example.com"},
            "external_thread_id": "mail-9",
            "text": "I am writing for Ana",
        }
    )

    assert response.json()["ticket_id"] == ticket.pk
    assert response.json()["customer_id"] == colleague.pk
    ticket.refresh_from_db()
    assert ticket.customer == CustomerIdentity.objects.get(value="ana@example.com").customer
