"""A solved ticket with a customer, an agent's reply and a macro use, for the follow-up tests."""

from __future__ import annotations

import pytest
from django.core.cache import cache

from signaldesk.core.audit import Actor
from signaldesk.testing.factories import (
    CustomerFactory,
    MessageFactory,
    OrderFactory,
    TicketFactory,
    UserFactory,
)
from signaldesk.tickets.actions import ticket_set_status
from signaldesk.tickets.models import Direction, Ticket, TicketStatus

ACTOR = Actor.system("test")


@pytest.fixture(autouse=True)
def _fresh_cache() -> None:
    cache.clear()  # rate-limit counters


@pytest.fixture
def agent(db: None):
    return UserFactory(username="agent", role="agent")


@pytest.fixture
def solved(db: None, agent) -> Ticket:
    customer = CustomerFactory(name="Ana Lopez", email="ana@example.com")
    order = OrderFactory(customer=customer, number="#10023")
    ticket = TicketFactory(
        customer=customer, order=order, subject="Late parcel", contact_reason="delivery_delay",
        status=TicketStatus.OPEN, assignee=agent,
    )  # fmt: skip
    MessageFactory(ticket=ticket, body_text="Where is my order #10023? It is late.")
    MessageFactory(
        ticket=ticket, direction=Direction.OUTBOUND, author_customer=None, author_user=agent,
        body_text="Hi Ana, DHL delivers it tomorrow.",
    )  # fmt: skip
    return ticket_set_status(ticket=ticket, status=TicketStatus.SOLVED, actor=ACTOR)
