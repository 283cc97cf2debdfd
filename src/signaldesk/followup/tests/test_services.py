"""Survey sending (timing, once, exclusions), the signed link, answers and low-score follow-ups."""

from __future__ import annotations

import datetime as dt

import pytest

from signaldesk.core.errors import Conflict
from signaldesk.core.models import AuditEvent, OutboxMessage
from signaldesk.followup.config import SurveyLinkError, survey_config, survey_token
from signaldesk.followup.models import FollowUp, FollowUpStatus, Survey
from signaldesk.followup.services import (
    followup_close,
    survey_answer,
    surveys_send_due,
)
from signaldesk.followup.tests.conftest import ACTOR
from signaldesk.replies.summaries import summary_build
from signaldesk.suppression.models import SuppressionEntry
from signaldesk.testing.factories import TicketFactory, UserFactory
from signaldesk.tickets.actions import ticket_set_status
from signaldesk.tickets.models import TicketStatus

pytestmark = pytest.mark.django_db
DAY = dt.timedelta(days=1)


def _token(survey: Survey) -> str:
    outbox = OutboxMessage.objects.get(dedupe_key=f"followup.survey:{survey.ticket_id}")
    link = next(line for line in outbox.body.splitlines() if "/survey/" in line)
    return link.rsplit("/survey/", 1)[1].rstrip("/")


def test_a_survey_goes_out_one_day_after_solving_exactly_once(solved, agent) -> None:
    solved_at = solved.solved_at

    early = surveys_send_due(now=solved_at + DAY - dt.timedelta(minutes=1))
    due = surveys_send_due(now=solved_at + DAY)
    again = surveys_send_due(now=solved_at + 2 * DAY)

    assert (early.sent, due.sent, again.sent) == (0, 1, 0)
    survey = Survey.objects.get()
    assert (survey.ticket_id, survey.email, survey.agent_id, survey.reason_id, survey.channel) == (
        solved.pk, "ana@example.com", agent.pk, "delivery_delay", "email",
    )  # fmt: skip
    assert (survey.resolved_at, survey.sent_at) == (solved_at, solved_at + DAY)
    mail = OutboxMessage.objects.get()
    assert (mail.kind, mail.target, mail.headers) == (
        "email", "ana@example.com", {"Subject": f"How did we do? (request #{solved.pk})"},
    )  # fmt: skip
    assert mail.body.startswith(f"Hi Ana,\n\nyour request #{solved.pk} (Late parcel) was resolved.")
    assert AuditEvent.objects.filter(action="survey.sent").count() == 1


def test_no_survey_after_a_reopen_and_the_delay_restarts_on_the_next_solve(solved) -> None:
    first_solve = solved.solved_at
    ticket_set_status(ticket=solved, status=TicketStatus.OPEN, actor=ACTOR)

    assert surveys_send_due(now=first_solve + 2 * DAY).sent == 0

    solved = ticket_set_status(ticket=solved, status=TicketStatus.SOLVED, actor=ACTOR)
    assert surveys_send_due(now=solved.solved_at + DAY - dt.timedelta(seconds=1)).sent == 0
    assert surveys_send_due(now=solved.solved_at + DAY).sent == 1


def test_merged_spam_suppressed_and_stale_tickets_get_no_survey(solved) -> None:
    now = solved.solved_at + DAY
    spam = TicketFactory(status=TicketStatus.SOLVED, solved_at=solved.solved_at, tags=["spam"])
    merged = TicketFactory(
        status=TicketStatus.CLOSED, solved_at=solved.solved_at, merged_into=solved
    )
    stale = TicketFactory(status=TicketStatus.SOLVED, solved_at=solved.solved_at - 30 * DAY)
    no_email = TicketFactory(status=TicketStatus.SOLVED, solved_at=solved.solved_at)
    no_email.customer.email = ""
    no_email.customer.save()
    SuppressionEntry.objects.create(
        customer=solved.customer, reason="open complaint", started_at=now - DAY,
        expires_at=now + DAY, updated_at=now,
    )  # fmt: skip

    report = surveys_send_due(now=now)

    assert (report.sent, report.skipped) == (0, 2)  # solved (suppressed) and spam
    assert Survey.objects.count() == 0
    assert {spam.pk, merged.pk, stale.pk, no_email.pk} - set(
        Survey.objects.values_list("ticket_id", flat=True)
    ) == {spam.pk, merged.pk, stale.pk, no_email.pk}


def test_a_good_answer_is_stored_once(solved) -> None:
    surveys_send_due(now=solved.solved_at + DAY)
    survey = Survey.objects.get()
    token = _token(survey)
    at = survey.sent_at + dt.timedelta(hours=3)

    survey_answer(token=token, csat="5", nps="9", comment=" Great ", now=at)

    survey.refresh_from_db()
    assert (survey.csat, survey.nps, survey.comment, survey.answered_at) == (5, 9, "Great", at)
    assert FollowUp.objects.count() == 0
    with pytest.raises(Conflict, match="already answered"):
        survey_answer(token=token, csat="1", nps="", comment="", now=at + DAY)
    survey.refresh_from_db()
    assert survey.csat == 5


def test_tampered_foreign_and_expired_links_are_refused(solved) -> None:
    surveys_send_due(now=solved.solved_at + DAY)
    survey = Survey.objects.get()
    token = _token(survey)
    tampered = token[:-1] + ("A" if token[-1] != "A" else "B")
    foreign = survey_token(survey_id=survey.pk, nonce="guessed", expires_at=survey.sent_at + DAY)
    expiry = survey.sent_at + survey_config().link_max_age

    with pytest.raises(SurveyLinkError, match="not valid"):
        survey_answer(token=tampered, csat=5, nps=None, comment="", now=survey.sent_at)
    with pytest.raises(SurveyLinkError, match="not valid"):
        survey_answer(token=foreign, csat=5, nps=None, comment="", now=survey.sent_at)
    with pytest.raises(SurveyLinkError, match="expired") as expired:
        survey_answer(
            token=token, csat=5, nps=None, comment="", now=expiry + dt.timedelta(seconds=1)
        )
    assert expired.value.code == "expired_link"
    survey_answer(token=token, csat=4, nps=None, comment="", now=expiry)
    assert Survey.objects.get().csat == 4


@pytest.mark.parametrize(("csat", "nps", "trigger"), [
    ("2", "8", "CSAT 2/5, NPS 8/10"),
    ("4", "6", "CSAT 4/5, NPS 6/10"),
])  # fmt: skip
def test_a_low_score_opens_a_follow_up_with_the_thread_summary(solved, csat, nps, trigger) -> None:
    surveys_send_due(now=solved.solved_at + DAY)
    survey = Survey.objects.get()
    at = survey.sent_at + dt.timedelta(hours=1)

    survey_answer(token=_token(survey), csat=csat, nps=nps, comment="Too slow", now=at)

    followup = FollowUp.objects.get()
    assert (followup.ticket_id, followup.status, followup.trigger, followup.created_at) == (
        solved.pk, FollowUpStatus.OPEN, trigger, at,
    )  # fmt: skip
    assert followup.summary == "Survey comment: Too slow\n" + summary_build(ticket=solved).as_text()
    assert followup.summary.splitlines()[1:4] == [
        "Customer asks: Where is my order #10023?",
        "- Order: #10023",
        "Tried: Replied: Hi Ana, DHL delivers it tomorrow.",
    ]


def test_a_lead_closes_a_follow_up_with_a_note(solved) -> None:
    surveys_send_due(now=solved.solved_at + DAY)
    survey = Survey.objects.get()
    survey_answer(token=_token(survey), csat=1, nps=None, comment="", now=survey.sent_at)
    lead = UserFactory(role="lead")
    followup = FollowUp.objects.get()

    followup_close(
        followup_id=followup.pk, note="Called, sent a voucher", user=lead, actor=ACTOR,
        now=survey.sent_at + DAY,
    )  # fmt: skip

    followup.refresh_from_db()
    assert (followup.status, followup.note, followup.closed_by_id) == (
        FollowUpStatus.DONE, "Called, sent a voucher", lead.pk,
    )  # fmt: skip
    with pytest.raises(Conflict):
        followup_close(followup_id=followup.pk, note="again", user=lead, actor=ACTOR,
                       now=survey.sent_at + DAY)  # fmt: skip
