"""Duplicate deliveries are stored once, also when they race each other."""

import contextlib
import json
import threading

import pytest
from django.db import connection, connections
from django.test import Client

from signaldesk.commerce.models import Customer, CustomerIdentity
from signaldesk.core.models import AuditEvent
from signaldesk.tickets.models import Message, Ticket, TicketThread


def turns() -> contextlib.AbstractContextManager:
    """PostgreSQL runs the racing requests truly at once. SQLite's shared in-memory test
    database fails concurrent writers with "table is locked" instead of waiting (file databases
    wait on busy_timeout), so there the requests take turns."""
    return threading.Lock() if connection.vendor == "sqlite" else contextlib.nullcontext()


PAYLOAD = {
    "channel": "email",
    "customer": {"email": "ana@example.com"},
    "external_thread_id": "mail-1",
    "idempotency_key": "mail-1-msg-1",
    "text": "Where is my parcel?",
}


@pytest.mark.django_db
def test_same_key_twice_stores_one_message(post_message) -> None:
    first = post_message(PAYLOAD)
    second = post_message(PAYLOAD)

    assert (first.status_code, second.status_code) == (201, 200)
    assert second.json() == {
        "message_id": first.json()["message_id"],
        "ticket_id": first.json()["ticket_id"],
        "customer_id": first.json()["customer_id"],
        "created": False,
        "ticket_created": False,
        "ticket_reopened": False,
    }
    assert Message.objects.count() == 1
    assert AuditEvent.objects.filter(action="message.received").count() == 1


@pytest.mark.django_db
def test_same_key_with_other_content_returns_the_stored_message(post_message) -> None:
    first = post_message(PAYLOAD)
    second = post_message({**PAYLOAD, "text": "changed"})

    assert second.status_code == 200
    assert second.json()["message_id"] == first.json()["message_id"]
    assert Message.objects.get().body_text == "Where is my parcel?"


@pytest.mark.django_db
def test_messages_without_key_are_not_deduplicated(post_message) -> None:
    payload = {k: v for k, v in PAYLOAD.items() if k != "idempotency_key"}
    post_message(payload)
    post_message(payload)

    assert Message.objects.count() == 2
    assert list(Message.objects.values_list("idempotency_key", flat=True)) == [None, None]


@pytest.mark.django_db(transaction=True)
@pytest.mark.usefixtures("transactional_db_with_audit_log")
def test_concurrent_duplicates_store_one_message(intake_key: str) -> None:
    workers = 6
    barrier = threading.Barrier(workers)
    statuses: list[int] = []
    bodies: list[dict] = []
    lock = threading.Lock()
    guard = turns()

    def deliver() -> None:
        try:
            barrier.wait(timeout=10)
            with guard:
                response = Client().post(
                    "/api/v1/messages",
                    data=json.dumps(PAYLOAD),
                    content_type="application/json",
                    HTTP_AUTHORIZATION=f"Bearer {intake_key}",
                )
            with lock:
                statuses.append(response.status_code)
                bodies.append(response.json())
        finally:
            connections.close_all()

    threads = [threading.Thread(target=deliver) for _ in range(workers)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)

    assert sorted(statuses) == [200] * (workers - 1) + [201]
    assert {(b["message_id"], b["ticket_id"], b["customer_id"]) for b in bodies} == {
        (Message.objects.get().pk, Ticket.objects.get().pk, Customer.objects.get().pk)
    }
    assert (CustomerIdentity.objects.count(), TicketThread.objects.count()) == (1, 1)
    assert AuditEvent.objects.filter(action="ticket.created").count() == 1


@pytest.mark.django_db(transaction=True)
@pytest.mark.usefixtures("transactional_db_with_audit_log")
def test_concurrent_first_messages_on_one_new_thread_share_a_ticket(intake_key: str) -> None:
    workers = 8
    barrier = threading.Barrier(workers)
    statuses: list[int] = []
    guard = turns()

    def deliver(n: int) -> None:
        try:
            barrier.wait(timeout=10)
            with guard:
                response = Client().post(
                    "/api/v1/messages",
                    data=json.dumps({**PAYLOAD, "idempotency_key": f"k-{n}", "text": f"part {n}"}),
                    content_type="application/json",
                    HTTP_AUTHORIZATION=f"Bearer {intake_key}",
                )
            statuses.append(response.status_code)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=deliver, args=(n,)) for n in range(workers)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)

    assert statuses == [201] * workers
    assert (Message.objects.count(), Ticket.objects.count(), Customer.objects.count()) == (
        workers,
        1,
        1,
    )
