"""CSAT/NPS by reason, agent, channel and macro, and macro outcomes, hand-computed."""

from __future__ import annotations

import datetime as dt

import pytest

from signaldesk.core.errors import ValidationError
from signaldesk.followup.models import Survey
from signaldesk.followup.selectors import macro_outcomes, survey_results
from signaldesk.followup.stats import SurveyResult
from signaldesk.quality.models import Scorecard
from signaldesk.replies.models import Macro, MacroUse
from signaldesk.testing.factories import MessageFactory, TicketFactory, UserFactory
from signaldesk.tickets.models import Direction

pytestmark = pytest.mark.django_db
T0 = dt.datetime(2026, 11, 2, 9, 0, tzinfo=dt.UTC)
HOUR = dt.timedelta(hours=1)


def _survey(ticket, *, csat, nps, agent=None, reason="delivery_delay", channel="email",
            answered=True):  # fmt: skip
    return Survey.objects.create(
        ticket=ticket, email="c@example.com", nonce="n", reason_id=reason, channel=channel,
        agent=agent, resolved_at=T0, sent_at=T0 + 24 * HOUR,
        answered_at=T0 + 30 * HOUR if answered else None, csat=csat, nps=nps,
    )  # fmt: skip


def _macro(slug: str) -> Macro:
    return Macro.objects.create(
        slug=slug, reason_id="delivery_delay", title=slug, body="Hi", updated_at=T0
    )


def test_csat_and_nps_by_each_dimension() -> None:
    ana, bob = UserFactory(username="ana"), UserFactory(username="bob")
    _survey(TicketFactory(), csat=5, nps=10, agent=ana)
    _survey(TicketFactory(), csat=4, nps=7, agent=ana, channel="chat")
    _survey(TicketFactory(), csat=2, nps=3, agent=bob)
    _survey(TicketFactory(), csat=1, nps=None, agent=bob, reason="wrong_item", channel="chat")
    _survey(TicketFactory(), csat=None, nps=None, agent=bob, answered=False)

    assert survey_results(by="reason") == [
        # csat 5,4,2: mean 3.67, 2 of 3 satisfied; nps 10,7,3: 1 promoter − 1 detractor
        SurveyResult("delivery_delay", 3, 3, 3.67, 66.7, 3, 0.0),
        SurveyResult("wrong_item", 1, 1, 1.0, 0.0, 0, None),
    ]
    assert survey_results(by="agent") == [
        SurveyResult("ana", 2, 2, 4.5, 100.0, 2, 50.0),
        SurveyResult("bob", 2, 2, 1.5, 0.0, 1, -100.0),
    ]
    assert survey_results(by="channel") == [
        SurveyResult("chat", 2, 2, 2.5, 50.0, 1, 0.0),
        SurveyResult("email", 2, 2, 3.5, 50.0, 2, 0.0),
    ]
    with pytest.raises(ValidationError):
        survey_results(by="weather")


def test_macro_outcomes_and_csat_by_macro() -> None:
    update, refund = _macro("delivery_update"), _macro("refund_info")
    reopened = TicketFactory(reopened_count=1)
    calm = TicketFactory()
    late_use = TicketFactory()
    twice = TicketFactory(reopened_count=2)
    agent = UserFactory()
    for ticket, macro, at, count_at_use in [
        (reopened, update, T0, 0),  # reopened after the use
        (calm, update, T0, 0),
        (calm, update, T0 + HOUR, 0),  # same macro twice on one ticket: one survey
        (late_use, refund, T0 + 48 * HOUR, 0),  # used after the survey was sent
        (twice, refund, T0, 2),  # reopened before the use only
    ]:
        message = MessageFactory(ticket=ticket, direction=Direction.OUTBOUND, author_user=agent)
        MacroUse.objects.create(
            macro=macro, ticket=ticket, message=message, used_at=at,
            reopened_count_at_use=count_at_use,
        )  # fmt: skip
        Scorecard.objects.create(
            message=message, ticket=ticket, macro=macro, overall=70 if macro == update else 90,
            factual=0, policy=0, next_step=0, personalisation=0, tone=0, scorer_version="1",
            sent_at=at, created_at=at,
        )  # fmt: skip
    _survey(reopened, csat=2, nps=4)
    _survey(calm, csat=5, nps=9)
    _survey(late_use, csat=1, nps=0)

    outcomes = {o.slug: o for o in macro_outcomes()}

    update_row, refund_row = outcomes["delivery_update"], outcomes["refund_info"]
    assert (update_row.uses, update_row.reopened_uses, update_row.reopen_rate) == (3, 1, 0.3333)
    assert (update_row.surveys, update_row.csat_mean, update_row.csat_satisfied_pct,
            update_row.nps, update_row.auto_score) == (2, 3.5, 50.0, 0.0, 70.0)  # fmt: skip
    assert (refund_row.uses, refund_row.reopened_uses, refund_row.reopen_rate) == (2, 0, 0.0)
    assert (refund_row.surveys, refund_row.csat_mean, refund_row.nps, refund_row.auto_score) == (
        0, None, None, 90.0,
    )  # fmt: skip
    assert [o.slug for o in macro_outcomes()] == ["delivery_update", "refund_info"]
    assert survey_results(by="macro") == [SurveyResult("delivery_update", 2, 2, 3.5, 50.0, 2, 0.0)]
