"""Fixtures for console tests: one user per role and a fully enriched ticket."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.contrib.auth.models import AbstractUser
from django.core.cache import cache
from django.utils import timezone

from signaldesk.accounts.models import Role, Team
from signaldesk.commerce.models import Return, ShipmentStatus
from signaldesk.testing.factories import (
    CustomerFactory,
    CustomerIdentityFactory,
    MessageFactory,
    OrderFactory,
    OrderLineFactory,
    ShipmentFactory,
    TicketFactory,
    UserFactory,
)
from signaldesk.tickets.models import Direction, Priority, Ticket, TicketStatus

ROLES = [Role.AGENT, Role.LEAD, Role.MANAGER, Role.ADMIN, Role.STAKEHOLDER]
NOW = dt.datetime(2026, 3, 2, 9, 0, tzinfo=dt.UTC)


@pytest.fixture(autouse=True)
def _fresh_cache() -> None:
    """Login throttling and reason choices live in the cache, shared with live_server."""
    cache.clear()


@pytest.fixture
def team(db: None) -> Team:
    return Team.objects.create(slug="support-eu", name="Support EU")


@pytest.fixture
def users(db: None, team: Team) -> dict[str, AbstractUser]:
    return {role: UserFactory(username=role, role=role, role__team=team) for role in ROLES}


@pytest.fixture
def ticket(db: None, team: Team) -> Ticket:
    customer = CustomerFactory(
        name="Ana Lopez",
        email="ana@example.com",
        loyalty_tier="gold",
        lifetime_value=Decimal("812.40"),
        marketing_consent=True,
        orders_count=7,
    )
    CustomerIdentityFactory(customer=customer, kind="email", value="ana@example.com")
    CustomerIdentityFactory(customer=customer, kind="phone", value="+491511234567")
    order = OrderFactory(customer=customer, number="#10023", total=Decimal("89.90"))
    OrderLineFactory(order=order, line_no=1, sku="TEE-BLK-M", name="Black tee", variant__size="M")
    ShipmentFactory(
        order=order,
        tracking_number="JJD000111",
        carrier="DHL",
        status=ShipmentStatus.DELAYED,
        promised_at=dt.date(2026, 2, 27),
    )
    Return.objects.create(
        rma="RMA-77", order=order, sku="TEE-BLK-M", reason_code="sizing", requested_at=NOW
    )
    TicketFactory(
        customer=customer, subject="Earlier question", created_at=NOW - dt.timedelta(days=40)
    )
    ticket = TicketFactory(
        subject="Where is my parcel?",
        customer=customer,
        order=order,
        owner_team=team,
        priority=Priority.HIGH,
        status=TicketStatus.OPEN,
        contact_reason="delivery_delay",
        reason_confidence=0.62,
        reason_source="model",
        created_at=NOW,
        last_customer_message_at=NOW,
    )
    MessageFactory(ticket=ticket, body_text="My order #10023 has not arrived.", created_at=NOW)
    MessageFactory(
        ticket=ticket,
        direction=Direction.NOTE,
        author_customer=None,
        author_label="lead",
        body_text="Carrier reports a depot delay.",
        created_at=NOW + dt.timedelta(minutes=5),
    )
    return ticket


def make_open_ticket(**kwargs: object) -> Ticket:
    kwargs.setdefault("status", TicketStatus.OPEN)
    kwargs.setdefault("created_at", timezone.now())
    return TicketFactory(**kwargs)
