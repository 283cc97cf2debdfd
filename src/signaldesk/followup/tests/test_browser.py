"""In Chromium: a customer answers the survey through the signed link with a low score (and
markup in the comment), a lead finds the follow-up with the thread summary, and scores the QA
review of a weak reply with the rubric."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from signaldesk.console.tests.test_browser import Shot, sign_in
from signaldesk.console.tests.test_xss import PAYLOAD
from signaldesk.followup.models import FollowUp, Survey
from signaldesk.followup.services import survey_link, survey_send
from signaldesk.quality.models import QAReview, ReviewStatus
from signaldesk.quality.services import scorecard_record
from signaldesk.testing.factories import MessageFactory, UserFactory
from signaldesk.tickets.models import Direction, Ticket

pytestmark = [pytest.mark.browser, pytest.mark.usefixtures("transactional_db_with_audit_log")]


def test_low_survey_answer_reaches_a_lead_who_also_scores_a_qa_review(
    live_server, page: Page, screenshot: Shot, solved: Ticket
) -> None:
    UserFactory(username="lead", role="lead")
    survey = survey_send(ticket_id=solved.pk, now=timezone.now() + dt.timedelta(days=1, minutes=1))
    assert survey is not None
    path = survey_link(survey).removeprefix("http://127.0.0.1:8000")
    weak = MessageFactory(
        ticket=solved, direction=Direction.OUTBOUND, author_customer=None,
        author_user=solved.assignee,
        body_text="Obviously you should have read the terms. The fee is 37.45 EUR.",
    )  # fmt: skip
    card = scorecard_record(message_id=weak.pk)
    assert card is not None

    page.goto(f"{live_server.url}{path}")
    expect(page.get_by_role("heading", level=1)).to_have_text("How did we do?")
    page.get_by_label("Satisfaction 2").check()
    page.get_by_label("Recommendation 3").check()
    page.get_by_label("Anything you want to tell us? (optional)").fill(f"Slow. {PAYLOAD}")
    screenshot(page, "survey")
    page.get_by_role("button", name="Send answer").click()
    expect(page.get_by_test_id("survey-message")).to_contain_text("A team lead will look")
    screenshot(page, "thanks")

    sign_in(page, live_server.url, "lead")
    page.goto(f"{live_server.url}/followup/")
    expect(page.locator("pre.summary").first).to_contain_text("Where is my order #10023?")
    expect(page.locator("body")).to_contain_text(PAYLOAD)  # shown as text, never run
    screenshot(page, "followups")

    page.goto(f"{live_server.url}/quality/reviews/{card.review.pk}/")
    expect(page.get_by_test_id("qa-reply")).to_contain_text("Obviously you should have read")
    for radio in page.locator('[data-testid="rubric-form"] input[type=radio][value="2"]').all():
        radio.check()
    page.get_by_label("Comment").fill("Blames the customer; no next step.")
    page.get_by_role("button", name="Save review").click()
    expect(page.locator("body")).to_contain_text(f"Review #{card.review.pk} saved.")
    screenshot(page, "qa-saved")

    answered = Survey.objects.get(pk=survey.pk)
    review = QAReview.objects.get(pk=card.review.pk)
    assert (answered.csat, answered.nps) == (2, 3)
    assert FollowUp.objects.filter(survey=survey).count() == 1
    assert (review.status, review.mean_score) == (ReviewStatus.DONE, 2.0)
    assert page.evaluate("window.__xss") is None
