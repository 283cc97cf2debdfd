"""Finding the customer behind a message, across channels, and merging duplicate records."""

import datetime as dt
from decimal import Decimal

import pytest
from django.utils import timezone

from signaldesk.commerce.models import Customer, CustomerIdentity, Order
from signaldesk.core.audit import Actor
from signaldesk.core.models import AuditEvent
from signaldesk.intake.identity import customers_merge, normalise_email, normalise_phone
from signaldesk.testing.factories import (
    CustomerFactory,
    MessageFactory,
    OrderFactory,
    TicketFactory,
)
from signaldesk.tickets.models import Message, Ticket

pytestmark = pytest.mark.django_db


def identities(customer: Customer) -> list[tuple[str, str]]:
    return sorted(customer.identities.values_list("kind", "value"))


def test_normalisers() -> None:
    assert normalise_email("  Ana.Berg@Example.COM ") == "ana.berg@example.com"
    assert normalise_phone("0049 (151) 1234-5678") == "+4915112345678"
    assert normalise_phone("+1 415.555.0100") == "+14155550100"
    with pytest.raises(ValueError, match="country code"):
        normalise_phone("0151 12345678")


def test_unknown_sender_becomes_a_new_customer_with_identities(post_message) -> None:
    response = post_message(
        {
            "channel": "email",
            "customer": {"email": "  Ana@Example.COM ", "name": "Ana Berg"},
            "text": "Hello",
        }
    )

    customer = Customer.objects.get(pk=response.json()["customer_id"])
    assert (customer.name, customer.email, customer.phone) == ("Ana Berg", "ana@example.com", "")
    assert identities(customer) == [("email", "ana@example.com")]
    assert list(
        AuditEvent.objects.filter(object_type="commerce.customer").values_list("action", "after")
    ) == [
        ("customer.identity_added", {"kind": "email", "value": "ana@example.com"}),
        ("customer.created", {"name": "Ana Berg", "email": "ana@example.com", "phone": ""}),
    ]


def test_known_email_finds_the_customer(post_message) -> None:
    customer = CustomerFactory.with_identities(email="ana@example.com")
    response = post_message(
        {"channel": "chat", "customer": {"email": "ANA@example.com"}, "text": "Hi"}
    )

    assert response.json()["customer_id"] == customer.pk
    assert Customer.objects.count() == 1


def test_imported_customer_without_identity_rows_is_found_by_email(post_message) -> None:
    customer = CustomerFactory(email="ana@example.com")
    response = post_message(
        {"channel": "email", "customer": {"email": "ana@example.com"}, "text": "Hi"}
    )

    assert response.json()["customer_id"] == customer.pk
    assert identities(customer) == [("email", "ana@example.com")]


def test_whatsapp_quoting_an_order_links_to_the_customer_who_placed_it(post_message) -> None:
    customer = CustomerFactory.with_identities(email="ana@example.com", phone="")
    order = OrderFactory(customer=customer, number="#10023")
    response = post_message(
        {
            "channel": "whatsapp",
            "customer": {"phone": "0049 151 12345678"},
            "external_thread_id": "wa-1",
            "text": "Where is #10023?",
        }
    )

    body = response.json()
    assert (body["customer_id"], body["ticket_created"]) == (customer.pk, True)
    assert Ticket.objects.get(pk=body["ticket_id"]).order == order
    customer.refresh_from_db()
    assert customer.phone == "+4915112345678"
    assert identities(customer) == [("email", "ana@example.com"), ("phone", "+4915112345678")]
    added = AuditEvent.objects.get(action="customer.identity_added")
    assert (added.object_id, added.after, added.context["matched_by"]) == (
        str(customer.pk),
        {"kind": "phone", "value": "+4915112345678"},
        "order",
    )


def test_quoting_someone_elses_order_does_not_merge_or_link_it(post_message) -> None:
    owner = CustomerFactory.with_identities(email="ana@example.com")
    OrderFactory(customer=owner, number="#10023")
    sender = CustomerFactory.with_identities(email="ben@example.com")
    response = post_message(
        {"channel": "email", "customer": {"email": "ben@example.com"}, "text": "About #10023"}
    )

    assert response.json()["customer_id"] == sender.pk
    assert Ticket.objects.get(pk=response.json()["ticket_id"]).order is None
    assert Customer.objects.filter(merged_into__isnull=False).count() == 0


def test_guest_order_placed_with_the_senders_email_is_linked(post_message) -> None:
    order = OrderFactory(customer=None, email="ana@example.com", number="#10023")
    response = post_message(
        {"channel": "email", "customer": {"email": "ana@example.com"}, "text": "About #10023"}
    )

    assert Ticket.objects.get(pk=response.json()["ticket_id"]).order == order


def test_email_and_phone_of_two_customers_in_one_message_merge_them(post_message) -> None:
    now = timezone.now()
    older = CustomerFactory.with_identities(
        email="ana@example.com", phone="", created_at=now - dt.timedelta(days=30), orders_count=2
    )
    newer = CustomerFactory.with_identities(
        email="", phone="+4915112345678", name="", orders_count=1
    )
    newer_ticket = TicketFactory(customer=newer)
    newer_order = OrderFactory(customer=newer)
    response = post_message(
        {
            "channel": "email",
            "customer": {"email": "ana@example.com", "phone": "+49 151 12345678"},
            "text": "Hello again",
        }
    )

    assert response.json()["customer_id"] == older.pk
    newer.refresh_from_db()
    older.refresh_from_db()
    assert newer.merged_into_id == older.pk
    assert identities(older) == [("email", "ana@example.com"), ("phone", "+4915112345678")]
    assert identities(newer) == []
    assert Ticket.objects.get(pk=newer_ticket.pk).customer_id == older.pk
    assert Order.objects.get(pk=newer_order.pk).customer_id == older.pk
    assert (older.orders_count, older.phone) == (3, "+4915112345678")
    merged = AuditEvent.objects.get(action="customer.merged")
    assert (merged.object_id, merged.after) == (str(newer.pk), {"merged_into": older.pk})
    assert merged.context["moved"] == {
        "identities": 1,
        "tickets": 1,
        "orders": 1,
        "reviews": 0,
        "messages": 0,
        "earlier_merges": 0,
    }


def test_customers_merge_moves_messages_and_earlier_merges(system_actor: Actor) -> None:
    survivor = CustomerFactory(lifetime_value=Decimal("10.00"))
    duplicate = CustomerFactory(lifetime_value=Decimal("5.50"))
    merged_earlier = CustomerFactory(merged_into=duplicate)
    message = MessageFactory(ticket=TicketFactory(customer=duplicate))

    customers_merge(survivor=survivor, duplicates=[duplicate], actor=system_actor, reason="test")

    assert Message.objects.get(pk=message.pk).author_customer_id == survivor.pk
    assert Customer.objects.get(pk=merged_earlier.pk).merged_into_id == survivor.pk
    assert Customer.objects.get(pk=survivor.pk).lifetime_value == Decimal("15.50")
    assert AuditEvent.objects.filter(action="customer.merged").count() == 1


def test_identity_of_a_merged_customer_resolves_to_the_survivor(post_message) -> None:
    survivor = CustomerFactory()
    duplicate = CustomerFactory(merged_into=survivor)
    CustomerIdentity.objects.create(
        customer=duplicate, kind="email", value="old@example.com", created_at=timezone.now()
    )
    response = post_message(
        {"channel": "email", "customer": {"email": "old@example.com"}, "text": "Hi"}
    )

    assert response.json()["customer_id"] == survivor.pk
