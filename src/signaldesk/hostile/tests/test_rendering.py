"""Script and markup stored as text are rendered escaped on the pages the existing XSS test
(console/tests/test_xss.py: queue and ticket page) does not cover: search results, dashboards,
and the public self-service pages (reflected queries and article bodies)."""

from __future__ import annotations

from html.parser import HTMLParser
from urllib.parse import quote

import pytest
from django.test import Client
from django.utils import timezone

from signaldesk.hostile.tests.corpus import MARKUP
from signaldesk.knowledge.models import Article, ArticleStatus
from signaldesk.testing.factories import CustomerFactory, MessageFactory, TicketFactory, UserFactory
from signaldesk.tickets.models import TicketStatus

pytestmark = pytest.mark.django_db

ESCAPED_SCRIPT = "&lt;script&gt;alert(1)&lt;/script&gt;"


class _LiveMarkup(HTMLParser):
    """What the browser would run: real tags and attributes, not escaped text."""

    def __init__(self) -> None:
        super().__init__()
        self.found: list[str] = []
        self._in_script = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self._in_script = tag == "script"
        if tag == "iframe" or (tag == "img" and ("src", "x") in attrs):
            self.found.append(f"<{tag}>")
        for name, value in attrs:
            value = (value or "").strip().lower()
            if name.startswith("on") and "alert(1)" in value:
                self.found.append(f"{tag} {name}")
            if name in {"href", "src", "action"} and value.startswith("javascript:"):
                self.found.append(f"{tag} {name}=javascript:")
            if name == "style" and "expression(" in value:
                self.found.append(f"{tag} style expression")

    def handle_endtag(self, tag: str) -> None:
        self._in_script = False

    def handle_data(self, data: str) -> None:
        if self._in_script and "alert(1)" in data:
            self.found.append("<script>alert(1)")


def live_markup(html: str) -> list[str]:
    scan = _LiveMarkup()
    scan.feed(html)
    return scan.found


@pytest.fixture
def hostile_data(db: None) -> None:
    customer = CustomerFactory(name=MARKUP[:200], email="evil@example.com")
    ticket = TicketFactory(subject=f"parcel {MARKUP}", customer=customer, status=TicketStatus.OPEN)
    MessageFactory(ticket=ticket, body_text=f"parcel {MARKUP}", author_label=MARKUP[:200])
    Article.objects.create(
        slug="hostile",
        title=f"Parcel {MARKUP}",
        body=f"Where is my parcel?\n\n{MARKUP}\n\n[x](javascript:alert(1))",
        status=ArticleStatus.PUBLISHED,
        updated_at=timezone.now(),
    )


@pytest.mark.parametrize(
    "url",
    [
        "/search/?q=parcel",
        f"/search/?q={quote(MARKUP)}",
        "/dashboards/",
        "/dashboards/support/",
    ],
)
def test_console_pages_escape_user_text(hostile_data: None, url: str) -> None:
    client = Client()
    client.force_login(UserFactory(role="admin"))

    response = client.get(url)

    assert response.status_code == 200
    assert live_markup(response.content.decode()) == []


@pytest.mark.parametrize(
    "url",
    [
        "/help/",
        f"/help/?q={quote(MARKUP)}",
        "/help/articles/hostile/",
        f"/help/order-status/?order_number={quote(MARKUP)}&email={quote(MARKUP)}",
    ],
)
def test_public_help_pages_escape_user_text(hostile_data: None, url: str) -> None:
    response = Client().get(url)

    assert response.status_code == 200
    assert live_markup(response.content.decode()) == []


def test_the_scanner_finds_live_markup() -> None:
    assert live_markup(f"<p>{MARKUP}</p>") == [
        "<script>alert(1)",
        "<img>",
        "img onerror",
        "a href=javascript:",
        "<script>alert(1)",
        "div style expression",
        "<iframe>",
        "iframe src=javascript:",
    ]


def test_search_results_show_the_subject_as_escaped_text(hostile_data: None) -> None:
    client = Client()
    client.force_login(UserFactory(role="admin"))

    html = client.get("/search/?q=parcel").content.decode()

    assert ESCAPED_SCRIPT in html
