"""Console search (page + live HTMX results), bulk actions on a queue, merge and split."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import AbstractUser
from django.test import Client

from signaldesk.core.models import AuditEvent
from signaldesk.testing.factories import MessageFactory, TicketFactory
from signaldesk.tickets.models import Message, Ticket

pytestmark = pytest.mark.django_db


@pytest.fixture
def agent_client(client: Client, users: dict[str, AbstractUser]) -> Client:
    client.force_login(users["agent"])
    return client


def test_search_page_shows_full_text_hits_escaped(agent_client: Client, ticket: Ticket) -> None:
    other = TicketFactory(subject="Umbrella")
    MessageFactory(ticket=other, body_text="<script>alert('x')</script> depot umbrella")
    page = agent_client.get("/search/", {"q": "depot"}).content.decode()
    assert f'href="/tickets/{ticket.pk}/"' in page
    assert f'href="/tickets/{other.pk}/"' in page
    assert "<mark>depot</mark>" in page
    assert "<script>alert" not in page


def test_live_search_partial(agent_client: Client, ticket: Ticket) -> None:
    response = agent_client.get("/search/live/", {"q": "parcel"}, HTTP_HX_REQUEST="true")
    html = response.content.decode()
    assert response.status_code == 200
    assert f'href="/tickets/{ticket.pk}/"' in html
    assert "<mark>parcel</mark>" in html
    assert agent_client.get("/search/live/", {"q": "p"}).content.decode().strip() == ""


def test_header_box_is_wired_for_live_search(agent_client: Client, ticket: Ticket) -> None:
    page = agent_client.get("/queues/now/").content.decode()
    assert 'hx-get="/search/live/"' in page
    assert 'hx-trigger="input changed delay:300ms, search"' in page
    assert 'form="bulk-form"' in page


def test_bulk_set_priority_and_assign_me(
    agent_client: Client, users: dict[str, AbstractUser]
) -> None:
    tickets = [TicketFactory(status="open", priority="normal") for _ in range(2)]
    ids = [str(t.pk) for t in tickets]
    response = agent_client.post(
        "/tickets/bulk/",
        {"ids": ids, "action": "set_priority", "priority": "urgent", "next": "/queues/now/"},
    )
    assert (response.status_code, response["Location"]) == (302, "/queues/now/")
    agent_client.post("/tickets/bulk/", {"ids": ids, "action": "assign_me"})
    rows = list(Ticket.objects.filter(pk__in=ids).values_list("priority", "assignee_id"))
    assert rows == [("urgent", users["agent"].pk)] * 2
    assert AuditEvent.objects.filter(action="ticket.priority_changed").count() == 2


def test_bulk_refuses_offsite_redirect_and_reports_errors(agent_client: Client) -> None:
    response = agent_client.post(
        "/tickets/bulk/", {"ids": [], "action": "set_status", "next": "https://evil.example/"}
    )
    assert response["Location"] == "/queues/"
    follow = agent_client.get("/queues/now/").content.decode()
    assert "Select at least one ticket." in follow


def test_stakeholder_cannot_bulk(client: Client, users: dict[str, AbstractUser]) -> None:
    ticket = TicketFactory(priority="normal")
    client.force_login(users["stakeholder"])
    response = client.post(
        "/tickets/bulk/", {"ids": [ticket.pk], "action": "set_priority", "priority": "low"}
    )
    assert response.status_code == 403
    assert Ticket.objects.get(pk=ticket.pk).priority == "normal"


def test_merge_and_split_from_the_ticket_page(agent_client: Client, ticket: Ticket) -> None:
    page = agent_client.get(f"/tickets/{ticket.pk}/").content.decode()
    assert 'name="into_ticket_id"' in page
    assert 'form="split-form"' in page
    first = ticket.messages.order_by("created_at").first()
    assert first is not None
    split = agent_client.post(f"/tickets/{ticket.pk}/split/", {"message_ids": [str(first.pk)]})
    new_id = Message.objects.get(pk=first.pk).ticket_id
    assert new_id != ticket.pk
    assert split["Location"] == f"/tickets/{new_id}/"
    merge = agent_client.post(f"/tickets/{new_id}/merge/", {"into_ticket_id": f"#{ticket.pk}"})
    assert merge["Location"] == f"/tickets/{ticket.pk}/"
    assert Message.objects.get(pk=first.pk).ticket_id == ticket.pk
    assert Ticket.objects.get(pk=new_id).merged_into_id == ticket.pk
