"""Apps that write to customers skip erased ones: follow-up surveys and proactive notices."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from signaldesk.core.audit import Actor
from signaldesk.followup.config import survey_config
from signaldesk.followup.services import survey_skip_reason
from signaldesk.privacy.services import customer_erase
from signaldesk.privacy.tests.world import World
from signaldesk.proactive.selectors import Criteria, campaign_audience
from signaldesk.proactive.tests.helpers import shipped_order
from signaldesk.tickets.models import Ticket, TicketStatus


def test_no_survey_and_no_proactive_notice_for_an_erased_customer(world: World) -> None:
    now = timezone.now()
    Ticket.objects.filter(pk=world.ticket2.pk).update(
        status=TicketStatus.SOLVED, solved_at=now - dt.timedelta(days=2)
    )
    shipped_order(world.jane, "#60001")
    shipped_order(world.max, "#60002")
    ticket = Ticket.objects.select_related("customer").get(pk=world.ticket2.pk)
    before = (
        survey_skip_reason(ticket, now=now, config=survey_config()),
        [m.customer_id for m in campaign_audience(Criteria(carrier="GLS")).members],
    )
    customer_erase(customer=world.jane, reason="request", actor=Actor.system("test"))
    ticket = Ticket.objects.select_related("customer").get(pk=world.ticket2.pk)
    after = (
        survey_skip_reason(ticket, now=now, config=survey_config()),
        [m.customer_id for m in campaign_audience(Criteria(carrier="GLS")).members],
    )
    assert before == (None, [world.jane.pk, world.max.pk])
    assert after == ("customer erased", [world.max.pk])
