"""GET /api/v1/suppressions (cursor pages, CSV) and the console CSV export."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client
from django.utils import timezone

from signaldesk.accounts.models import Role
from signaldesk.suppression.services import suppression_sync_for_ticket
from signaldesk.testing.factories import CustomerFactory, TicketFactory, UserFactory
from signaldesk.tickets.models import Priority, TicketStatus

pytestmark = pytest.mark.django_db


def suppress(n: int) -> list[int]:
    now = timezone.now()
    ids = []
    for i in range(n):
        ticket = TicketFactory(
            customer=CustomerFactory(email=f"c{i}@example.com"),
            status=TicketStatus.OPEN,
            priority=Priority.URGENT,
        )
        suppression_sync_for_ticket(ticket_id=ticket.pk, now=now - dt.timedelta(minutes=1))
        ids.append(ticket.pk)
    return ids


def client_for(role: str) -> Client:
    client = Client()
    client.force_login(UserFactory(username=f"{role}-s", role=role))
    return client


def test_list_is_cursor_paginated_newest_first() -> None:
    tickets = suppress(3)
    client = client_for(Role.AGENT)
    page = client.get("/api/v1/suppressions?limit=2").json()
    assert [i["source_ticket_id"] for i in page["items"]] == [tickets[2], tickets[1]]
    rest = client.get(f"/api/v1/suppressions?limit=2&cursor={page['next']}").json()
    assert [i["source_ticket_id"] for i in rest["items"]] == [tickets[0]]
    assert rest["next"] is None


def test_csv_via_api_and_console() -> None:
    suppress(2)
    client = client_for(Role.AGENT)
    api = client.get("/api/v1/suppressions?format=csv")
    console = client.get("/suppressions/export.csv")
    assert api["Content-Type"] == "text/csv; charset=utf-8"
    assert api.content == console.content
    lines = api.content.decode().splitlines()
    assert lines[0] == "customer_id,customer_email,reason,source_ticket_id,started_at,expires_at"
    assert [line.split(",")[1] for line in lines[1:]] == ["c0@example.com", "c1@example.com"]
