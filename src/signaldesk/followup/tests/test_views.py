"""The public survey page (signed link, CSRF, one answer, rate limit) and the console pages."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client, override_settings
from django.utils import timezone

from signaldesk.followup.models import FollowUp, Survey
from signaldesk.followup.services import survey_link, survey_send
from signaldesk.testing.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def link(solved) -> str:
    survey = survey_send(ticket_id=solved.pk, now=timezone.now() + dt.timedelta(days=1, minutes=1))
    assert survey is not None
    return survey_link(survey).removeprefix("http://127.0.0.1:8000")


def _csrf(client: Client, url: str) -> str:
    client.get(url)
    return client.cookies["csrftoken"].value


def test_customer_answers_once_through_the_signed_link(link) -> None:
    client = Client(enforce_csrf_checks=True)

    form = client.get(link)
    token = _csrf(client, link)
    answered = client.post(link, {"csat": "1", "nps": "2", "comment": "<b>slow</b>",
                                  "csrfmiddlewaretoken": token})  # fmt: skip
    again = client.post(link, {"csat": "5", "csrfmiddlewaretoken": token})

    assert form.status_code == 200
    assert b'name="csat"' in form.content
    assert answered.status_code == 200
    assert b"A team lead will look at your request" in answered.content
    assert again.status_code == 200
    assert b"This survey was already answered" in again.content
    assert Survey.objects.get().csat == 1
    assert FollowUp.objects.get().summary.startswith("Survey comment: <b>slow</b>\n")


def test_a_post_without_the_csrf_token_is_refused(link) -> None:
    response = Client(enforce_csrf_checks=True).post(link, {"csat": "5"})

    assert response.status_code == 403
    assert Survey.objects.get().answered_at is None


def test_a_tampered_link_gets_a_clear_400(link) -> None:
    response = Client().get(link[:-3] + "xx/")

    assert response.status_code == 400
    assert b"This survey link is not valid." in response.content


def test_a_missing_score_shows_the_form_again(link) -> None:
    response = Client().post(link, {"nps": "7"})

    assert response.status_code == 422
    assert b"Choose a Satisfaction score." in response.content


@override_settings(SIGNALDESK_RATE_LIMITS={"survey": (2, 60)})
def test_the_survey_page_is_rate_limited(link) -> None:
    client = Client()
    statuses = [client.get(link).status_code for _ in range(3)]

    assert statuses == [200, 200, 429]


def test_console_pages_render_for_a_lead(link) -> None:
    client = Client()
    client.force_login(UserFactory(role="lead"))
    Client().post(link, {"csat": "2", "comment": "meh"})

    queue = client.get("/followup/")
    results = client.get("/followup/results/?by=agent")
    macros = client.get("/followup/macros/")

    assert queue.status_code == results.status_code == macros.status_code == 200
    assert b"CSAT 2/5" in queue.content
    assert b"<td>agent</td><td>1</td><td>2.0</td>" in results.content
