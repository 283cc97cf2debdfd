"""The demo step goes through the services: scores replies, samples and reviews, sends and
answers surveys."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from signaldesk.followup.demo import demo_quality_and_surveys
from signaldesk.followup.models import Survey
from signaldesk.quality.models import Scorecard
from signaldesk.testing.factories import UserFactory
from signaldesk.tickets.models import Ticket

pytestmark = pytest.mark.django_db


def test_demo_step_scores_replies_and_sends_surveys(solved: Ticket) -> None:
    UserFactory(username="lead", role="lead")
    Ticket.objects.filter(pk=solved.pk).update(solved_at=timezone.now() - dt.timedelta(days=2))

    summary = demo_quality_and_surveys(seed=3)

    assert summary.startswith("0 drafts sent, 1 solved replies scored, ")
    assert Scorecard.objects.get().ticket_id == solved.pk
    assert Survey.objects.get().ticket_id == solved.pk
