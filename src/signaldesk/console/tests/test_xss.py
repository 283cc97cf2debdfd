"""Hostile text in subjects, messages, HTML bodies and customer names is escaped or sanitised on
the queue and ticket pages."""

from __future__ import annotations

import re

import pytest
from django.contrib.auth.models import AbstractUser
from django.test import Client

from signaldesk.console.templatetags.console_tags import sanitize_html
from signaldesk.testing.factories import CustomerFactory, MessageFactory, TicketFactory
from signaldesk.tickets.models import Ticket, TicketStatus

SCRIPT = "<script>alert(1)</script>"
IMG = "<img src=x onerror=alert(1)>"
SVG = '"><svg onload=alert(1)>'
PAYLOAD = f"{SCRIPT}{IMG}{SVG}"


@pytest.fixture
def hostile_ticket(db: None) -> Ticket:
    customer = CustomerFactory(name=PAYLOAD, email="evil@example.com")
    ticket = TicketFactory(
        subject=PAYLOAD, customer=customer, status=TicketStatus.OPEN, contact_reason=""
    )
    MessageFactory(ticket=ticket, body_text=PAYLOAD, author_label=PAYLOAD)
    MessageFactory(
        ticket=ticket,
        body_text="",
        body_html=f'<p>Hello <b>there</b></p>{PAYLOAD}<a href="javascript:alert(1)">x</a>',
    )
    return ticket


def page_html(user: AbstractUser, url: str) -> str:
    client = Client()
    client.force_login(user)
    response = client.get(url)
    assert response.status_code == 200
    return response.content.decode()


@pytest.mark.parametrize("url", ["/queues/", "/tickets/{ticket}/"])
def test_no_live_markup_from_user_data(
    users: dict[str, AbstractUser], hostile_ticket: Ticket, url: str
) -> None:
    html = page_html(users["agent"], url.format(ticket=hostile_ticket.pk))

    assert SCRIPT not in html
    assert "<img src=x" not in html
    assert "<svg" not in html
    assert re.search(r"<[^>]*\son\w+\s*=", html) is None
    assert "javascript:" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html


def test_ticket_page_escapes_text_and_sanitises_html_bodies(
    users: dict[str, AbstractUser], hostile_ticket: Ticket
) -> None:
    html = page_html(users["agent"], f"/tickets/{hostile_ticket.pk}/")

    assert "&lt;img src=x onerror=alert(1)&gt;&quot;&gt;&lt;svg onload=alert(1)&gt;" in html
    assert "<p>Hello <b>there</b></p>" in html


def test_sanitize_filter_drops_scripts_handlers_and_js_urls() -> None:
    cleaned = sanitize_html(f'<p onclick="x()">Hi</p>{PAYLOAD}<a href="javascript:alert(1)">y</a>')

    assert cleaned == '<p>Hi</p><img src="x">"&gt;'
