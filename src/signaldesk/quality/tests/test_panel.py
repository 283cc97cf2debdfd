"""The ticket page shows each sent reply's scorecard with the reasons behind the sub-scores."""

from __future__ import annotations

import pytest
from django.test import Client

from signaldesk.quality.services import scorecard_record
from signaldesk.testing.factories import MessageFactory, TicketFactory, UserFactory
from signaldesk.tickets.models import Direction

pytestmark = pytest.mark.django_db


def test_ticket_page_shows_the_scorecard_and_its_review() -> None:
    agent = UserFactory(username="bob", role="agent")
    ticket = TicketFactory(subject="Late parcel")
    MessageFactory(ticket=ticket, body_text="Where is my order?")
    reply = MessageFactory(
        ticket=ticket, direction=Direction.OUTBOUND, author_customer=None, author_user=agent,
        body_text="Obviously you should have read the terms. The fee is 37.45 EUR.",
    )  # fmt: skip
    card = scorecard_record(message_id=reply.pk)
    assert card is not None
    client = Client()
    client.force_login(agent)

    page = client.get(f"/tickets/{ticket.pk}/").content.decode()

    assert f'data-testid="quality-overall">{card.overall}/100</strong>' in page
    assert "· QA waiting for review" in page
    assert "<dt>Factual accuracy</dt><dd>60" in page
    assert f'href="/quality/reviews/{card.review.pk}/"' in page


def test_a_ticket_without_replies_says_so() -> None:
    agent = UserFactory(role="agent")
    ticket = TicketFactory()
    client = Client()
    client.force_login(agent)

    page = client.get(f"/tickets/{ticket.pk}/").content.decode()

    assert "No reply sent yet; every sent reply gets a scorecard." in page
