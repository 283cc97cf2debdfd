"""A hand-built day of tickets whose dashboard numbers are computed by hand in the tests.

Day D (UTC), SLA target 1,440 min, refresh at NOW = D + 3 days:

- t1 email damaged_item: first response +30 min, solved D+1 09:00, reopened, CSAT good,
  2 replies + 1 note, order with a paid refund of 20.00
- t2 chat damaged_item: first response +120 min, open, repeat contact, SLA clock breached,
  survey CSAT 5 / NPS 9, 1 reply
- t3 email delivery_delay: no response after 3 days, new
- t4 email (no reason): first response +10 min, closed D 13:00, CSAT bad, no enrichment
- t5 email damaged_item: merged into t1, never counted
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any, cast

import pytest
from django.utils import timezone

from signaldesk.commerce.models import Order, OrderLine, Refund
from signaldesk.dashboards.services import dashboards_refresh
from signaldesk.followup.models import Survey
from signaldesk.signals.services import rollup_refresh
from signaldesk.testing.factories import MessageFactory, OrderFactory, TicketFactory
from signaldesk.tickets.models import Direction, Ticket
from signaldesk.triage.models import TicketEnrichment
from signaldesk.workflow.models import SlaClock

D = dt.date(2026, 10, 5)
NOW = dt.datetime(2026, 10, 8, 12, 0, tzinfo=dt.UTC)


def at(day: dt.date, hour: int, minute: int = 0) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(hour, minute), tzinfo=dt.UTC)


def make(
    reason: str, created: dt.datetime, *, enrich: dict[str, Any] | None = None, **fields: Any
) -> Ticket:
    ticket = cast(Ticket, TicketFactory(contact_reason=reason, created_at=created, **fields))
    if enrich is not None:
        TicketEnrichment.objects.create(
            ticket=ticket, as_of=created, computed_at=timezone.now(), **enrich
        )
    return ticket


def reply(ticket: Ticket, direction: str, when: dt.datetime) -> None:
    MessageFactory(ticket=ticket, direction=direction, created_at=when)


@pytest.fixture
def store(db: None) -> dict[str, Any]:
    order = cast(Order, OrderFactory(created_at=at(D, 8), region="North"))
    OrderLine.objects.create(order=order, line_no=1, sku="A", name="A", quantity=1)
    Refund.objects.create(
        external_id="R1", order=order, amount=Decimal("20.00"), status="paid", created_at=at(D, 15)
    )
    t1 = make(
        "damaged_item",
        at(D, 9),
        first_response_at=at(D, 9, 30),
        status="solved",
        solved_at=at(D + dt.timedelta(days=1), 9),
        reopened_count=1,
        satisfaction_score="good",
        enrich={"sku": "A", "order": order},
    )
    t2 = make(
        "damaged_item",
        at(D, 10),
        channel="chat",
        first_response_at=at(D, 12),
        status="open",
        enrich={"sku": "A", "order": order, "repeat_contact_7d": True},
    )
    t3 = make("delivery_delay", at(D, 11), enrich={"sku": "B"})
    t4 = make(
        "",
        at(D, 12),
        first_response_at=at(D, 12, 10),
        status="closed",
        closed_at=at(D, 13),
        satisfaction_score="bad",
    )
    make("damaged_item", at(D, 14), merged_into=t1, enrich={"sku": "A"})
    reply(t1, Direction.OUTBOUND, at(D, 9, 30))
    reply(t1, Direction.OUTBOUND, at(D, 15))
    reply(t1, Direction.NOTE, at(D, 16))
    reply(t2, Direction.OUTBOUND, at(D, 12))
    reply(t2, Direction.INBOUND, at(D, 13))
    SlaClock.objects.create(
        ticket=t2,
        metric="first_response",
        policy_id="p",
        policy_version=1,
        calendar_id="c",
        target_minutes=60,
        started_at=at(D, 10),
        due_at=at(D, 11),
        breached_at=at(D, 11),
    )
    Survey.objects.create(
        ticket=t2,
        email="x@example.com",
        nonce="n",
        channel="chat",
        resolved_at=at(D, 13),
        sent_at=at(D, 13),
        answered_at=at(D, 14),
        csat=5,
        nps=9,
    )
    days = [D, D + dt.timedelta(days=1)]
    rollup_refresh(days=days)
    dashboards_refresh(days=days, now=NOW)
    return {"t1": t1, "t2": t2, "t3": t3, "t4": t4, "order": order}
