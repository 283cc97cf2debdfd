"""POST /api/v1/approvals, GET ?status=pending, POST /{id}/decide; and the console queue."""

from __future__ import annotations

import datetime as dt

import pytest
from django.contrib.auth.models import AbstractUser
from django.test import Client
from django.utils import timezone

from signaldesk.accounts.models import Role
from signaldesk.approvals.models import MoneyRequest
from signaldesk.testing.factories import CustomerFactory, OrderFactory, TicketFactory, UserFactory
from signaldesk.tickets.models import Ticket, TicketStatus
from signaldesk.triage.models import TicketEnrichment

pytestmark = pytest.mark.django_db


@pytest.fixture
def ticket() -> Ticket:
    customer = CustomerFactory()
    made: Ticket = TicketFactory(
        customer=customer,
        order=OrderFactory(customer=customer, currency="EUR"),
        contact_reason="damaged_item",
        status=TicketStatus.OPEN,
    )
    now = timezone.now()
    TicketEnrichment.objects.create(ticket=made, days_since_delivery=3, as_of=now, computed_at=now)
    return made


def login(role: str) -> tuple[Client, AbstractUser]:
    user = UserFactory(username=f"{role}-api", role=role)
    client = Client()
    client.force_login(user)
    return client, user


def post(client: Client, url: str, data: dict[str, object]) -> object:
    import json

    return client.post(url, json.dumps(data), content_type="application/json")


def test_create_list_and_decide(ticket: Ticket) -> None:
    agent, _ = login(Role.AGENT)
    lead, lead_user = login(Role.LEAD)
    auto = post(
        agent,
        "/api/v1/approvals",
        {"ticket_id": ticket.pk, "kind": "refund", "amount": "99.99", "reason": "Broken"},
    )
    pending = post(
        agent,
        "/api/v1/approvals",
        {"ticket_id": ticket.pk, "kind": "refund", "amount": "100.00", "reason": "Broken"},
    )
    assert (auto.status_code, auto.json()["status"]) == (201, "auto_approved")  # type: ignore[attr-defined]
    body = pending.json()  # type: ignore[attr-defined]
    assert (body["status"], body["route"], body["requested_by"]) == ("pending", "lead", "agent-api")
    listed = agent.get("/api/v1/approvals?status=pending").json()
    assert [i["id"] for i in listed["items"]] == [body["id"]]
    denied = post(agent, f"/api/v1/approvals/{body['id']}/decide", {"approve": True, "reason": "x"})
    assert denied.status_code == 403  # type: ignore[attr-defined]
    ok = post(lead, f"/api/v1/approvals/{body['id']}/decide", {"approve": True, "reason": "Fine"})
    out = ok.json()  # type: ignore[attr-defined]
    assert (ok.status_code, out["status"], out["decided_by"]) == (200, "approved", "lead-api")  # type: ignore[attr-defined]
    assert out["cost_amount"] == "100.00"
    assert MoneyRequest.objects.get(pk=body["id"]).decided_by_id == lead_user.pk


def test_self_approval_refused_over_api(ticket: Ticket) -> None:
    lead, _ = login(Role.LEAD)
    made = post(
        lead,
        "/api/v1/approvals",
        {"ticket_id": ticket.pk, "kind": "compensation", "amount": "10.00", "reason": "Goodwill"},
    )
    request_id = made.json()["id"]  # type: ignore[attr-defined]
    refused = post(lead, f"/api/v1/approvals/{request_id}/decide", {"approve": True, "reason": "x"})
    assert refused.status_code == 403  # type: ignore[attr-defined]
    assert refused.json()["code"] == "self_approval"  # type: ignore[attr-defined]


def test_console_queue_oldest_first_and_decide(ticket: Ticket) -> None:
    agent, _ = login(Role.AGENT)
    lead, _ = login(Role.LEAD)
    agent.post(
        f"/approvals/tickets/{ticket.pk}/request/",
        {"kind": "compensation", "amount": "30.00", "reason": "First"},
    )
    agent.post(
        f"/approvals/tickets/{ticket.pk}/request/",
        {"kind": "compensation", "amount": "40.00", "reason": "Second"},
    )
    MoneyRequest.objects.filter(reason="Second").update(
        requested_at=timezone.now() - dt.timedelta(days=1)
    )
    page = lead.get("/approvals/").content.decode()
    assert page.index("Second") < page.index("First")
    first = MoneyRequest.objects.get(reason="First")
    response = lead.post(f"/approvals/{first.pk}/decide/", {"decision": "deny", "reason": "No"})
    first.refresh_from_db()
    assert (response.status_code, first.status, first.decision_reason) == (302, "denied", "No")
    ticket_page = agent.get(f"/tickets/{ticket.pk}/").content.decode()
    assert 'data-testid="approvals-panel"' in ticket_page
