"""Console pages through Django's test client."""

from __future__ import annotations

import datetime as dt

import pytest
from django.contrib.auth.models import AbstractUser
from django.test import Client

from signaldesk.accounts.models import Team
from signaldesk.console import selectors
from signaldesk.console.tests.conftest import NOW, make_open_ticket
from signaldesk.core.models import AuditEvent
from signaldesk.tickets.models import Direction, Priority, Ticket, TicketStatus

pytestmark = pytest.mark.django_db


def client_for(user: AbstractUser) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_needs_answer_queue_orders_by_priority_then_oldest_customer_message(
    users: dict[str, AbstractUser],
) -> None:
    normal_old = make_open_ticket(subject="normal old", last_customer_message_at=NOW)
    urgent_new = make_open_ticket(
        subject="urgent new",
        priority=Priority.URGENT,
        last_customer_message_at=NOW + dt.timedelta(hours=2),
    )
    normal_new = make_open_ticket(
        subject="normal new", last_customer_message_at=NOW + dt.timedelta(hours=1)
    )
    make_open_ticket(subject="waiting", status=TicketStatus.PENDING)

    page = selectors.queue_page(key="now", user=users["agent"], page=1)

    assert [t.pk for t in page.tickets] == [urgent_new.pk, normal_old.pk, normal_new.pk]
    assert page.has_next is False


def test_queue_page_paginates(users: dict[str, AbstractUser], monkeypatch) -> None:
    monkeypatch.setattr(selectors, "PAGE_SIZE", 2)
    tickets = [
        make_open_ticket(last_customer_message_at=NOW + dt.timedelta(minutes=i)) for i in range(3)
    ]

    first = selectors.queue_page(key="now", user=users["agent"], page=1)
    second = selectors.queue_page(key="now", user=users["agent"], page=2)

    assert [t.pk for t in first.tickets] == [tickets[0].pk, tickets[1].pk]
    assert first.has_next is True
    assert [t.pk for t in second.tickets] == [tickets[2].pk]
    assert second.has_next is False


def test_queue_counts_are_capped(users: dict[str, AbstractUser], team: Team, monkeypatch) -> None:
    monkeypatch.setattr(selectors, "COUNT_CAP", 2)
    for _ in range(3):
        make_open_ticket(owner_team=team)
    make_open_ticket(assignee=users["agent"])

    counts = {c.queue.key: c.display for c in selectors.queue_counts(user=users["agent"])}

    assert counts == {
        "now": "2+",
        "mine": "1",
        "unassigned": "2+",
        "priority": "0",
        "escalated": "0",
        "team-support-eu": "2+",
    }


def test_queue_page_renders_rows_and_polling_counts(
    users: dict[str, AbstractUser], ticket: Ticket
) -> None:
    response = client_for(users["agent"]).get("/queues/")

    html = response.content.decode()
    assert response.status_code == 200
    assert "Where is my parcel?" in html
    assert 'hx-trigger="every 30s"' in html
    assert f'href="/tickets/{ticket.pk}/?queue=now"' in html


def test_counts_partial(users: dict[str, AbstractUser], ticket: Ticket) -> None:
    response = client_for(users["agent"]).get("/queues/counts/?current=now", HTTP_HX_REQUEST="true")

    assert response.status_code == 200
    # now, mine, unassigned, priority (VIP), escalated, the ticket's team
    assert response.content.decode().count('data-queue-key="') == 6


def test_unknown_queue_is_404(users: dict[str, AbstractUser]) -> None:
    assert client_for(users["agent"]).get("/queues/nope/").status_code == 404


def test_ticket_page_shows_thread_customer_and_order(
    users: dict[str, AbstractUser], ticket: Ticket
) -> None:
    response = client_for(users["agent"]).get(f"/tickets/{ticket.pk}/")

    html = response.content.decode()
    assert response.status_code == 200
    for text in [
        "My order #10023 has not arrived.",
        "Carrier reports a depot delay.",
        "Ana Lopez",
        "Gold",
        "812.40 EUR",
        "+491511234567",
        "Earlier question",
        "TEE-BLK-M",
        "JJD000111",
        "Delayed",
        "RMA-77",
        "delivery_delay",
        "62%",
        '<label for="reply-body">',
        '<label for="note-body">',
        '<label for="reason-select">',
    ]:
        assert text in html


def test_ticket_page_for_missing_ticket_is_404(users: dict[str, AbstractUser]) -> None:
    assert client_for(users["agent"]).get("/tickets/999999/").status_code == 404


def test_agent_replies_notes_assigns_corrects_and_resolves(
    users: dict[str, AbstractUser], ticket: Ticket
) -> None:
    client = client_for(users["agent"])
    base = f"/tickets/{ticket.pk}"

    assert client.post(f"{base}/assign-me/").status_code == 302
    assert client.post(f"{base}/reason/", {"reason": "lost_parcel"}).status_code == 302
    assert (
        client.post(f"{base}/reply/", {"body": "Sorry! A new parcel is on its way."}).status_code
        == 302
    )
    assert client.post(f"{base}/note/", {"body": "Reshipped."}).status_code == 302
    assert client.post(f"{base}/status/", {"status": "solved"}).status_code == 302

    ticket.refresh_from_db()
    assert ticket.assignee_id == users["agent"].pk
    assert (ticket.contact_reason, ticket.reason_source, ticket.reason_confidence) == (
        "lost_parcel",
        "agent",
        1.0,
    )
    assert ticket.status == TicketStatus.SOLVED
    assert list(ticket.messages.values_list("direction", "body_text")) == [
        (Direction.INBOUND, "My order #10023 has not arrived."),
        (Direction.NOTE, "Carrier reports a depot delay."),
        (Direction.OUTBOUND, "Sorry! A new parcel is on its way."),
        (Direction.NOTE, "Reshipped."),
    ]
    assert list(
        AuditEvent.objects.filter(object_id=str(ticket.pk))
        .order_by("id")
        .values_list("action", flat=True)
    ) == [
        "ticket.assigned",
        "ticket.reason_corrected",
        "ticket.replied",
        "ticket.note_added",
        "ticket.status_changed",
    ]


def test_reason_correction_over_htmx_returns_the_panel(
    users: dict[str, AbstractUser], ticket: Ticket
) -> None:
    response = client_for(users["agent"]).post(
        f"/tickets/{ticket.pk}/reason/", {"reason": "wrong_item"}, HTTP_HX_REQUEST="true"
    )

    html = response.content.decode()
    assert response.status_code == 200
    assert html.strip().startswith('<section id="reason-panel"')
    assert '<strong data-testid="reason-value">wrong_item</strong>' in html
    assert "set by agent" in html


def test_reason_outside_the_choices_is_refused(
    users: dict[str, AbstractUser], ticket: Ticket
) -> None:
    response = client_for(users["agent"]).post(
        f"/tickets/{ticket.pk}/reason/", {"reason": "made_up"}, HTTP_HX_REQUEST="true"
    )

    ticket.refresh_from_db()
    assert response.status_code == 200
    assert "Pick a reason from the list." in response.content.decode()
    assert ticket.contact_reason == "delivery_delay"


def test_empty_reply_is_refused(users: dict[str, AbstractUser], ticket: Ticket) -> None:
    client = client_for(users["agent"])

    response = client.post(f"/tickets/{ticket.pk}/reply/", {"body": "   "}, follow=True)

    assert "Write a reply first." in response.content.decode()
    assert ticket.messages.count() == 2


def test_stakeholder_gets_the_403_page_on_agent_pages(
    users: dict[str, AbstractUser], ticket: Ticket
) -> None:
    client = client_for(users["stakeholder"])

    queue = client.get("/queues/")
    detail = client.get(f"/tickets/{ticket.pk}/")
    reply = client.post(f"/tickets/{ticket.pk}/reply/", {"body": "hi"})

    assert (queue.status_code, detail.status_code, reply.status_code) == (403, 403, 403)
    assert "You don't have access to this page" in queue.content.decode()
    assert ticket.messages.count() == 2


@pytest.mark.parametrize(
    ("role", "landing"),
    [
        ("agent", "/queues/now/"),
        ("lead", "/queues/now/"),
        ("manager", "/queues/now/"),
        ("admin", "/queues/now/"),
        ("stakeholder", "/dashboards/"),
    ],
)
def test_home_lands_each_role(users: dict[str, AbstractUser], role: str, landing: str) -> None:
    response = client_for(users[role]).get("/")

    assert (response.status_code, response["Location"]) == (302, landing)


def test_nav_shows_admin_only_to_admins(users: dict[str, AbstractUser]) -> None:
    admin_html = client_for(users["admin"]).get("/dashboards/").content.decode()
    agent_html = client_for(users["agent"]).get("/dashboards/").content.decode()
    stakeholder_html = client_for(users["stakeholder"]).get("/dashboards/").content.decode()

    assert ('href="/admin/"' in admin_html, 'href="/admin/"' in agent_html) == (True, False)
    assert ('href="/queues/"' in stakeholder_html, 'href="/queues/"' in agent_html) == (False, True)


def test_search_by_ticket_number_order_and_email(
    users: dict[str, AbstractUser], ticket: Ticket
) -> None:
    client = client_for(users["agent"])

    by_number = client.get("/search/", {"q": f"#{ticket.pk}"})
    by_order = client.get("/search/", {"q": "#10023"})
    by_email = client.get("/search/", {"q": "ANA@example.com"})

    assert (by_number.status_code, by_number["Location"]) == (302, f"/tickets/{ticket.pk}/")
    assert "Where is my parcel?" in by_order.content.decode()
    assert by_email.content.decode().count("data-queue-row") == 2


def test_queue_page_query_count_does_not_grow_with_rows(
    users: dict[str, AbstractUser], django_assert_max_num_queries
) -> None:
    for _ in range(10):
        make_open_ticket()
    client = client_for(users["agent"])

    # the page: ordered ids, then their rows; one capped count per queue (escalated: +1)
    with django_assert_max_num_queries(14):
        client.get("/queues/")
