"""Dashboard selectors on the hand-built day (tests/conftest.py) with exact numbers, and the
drill-down lists: exactly the tickets behind each number."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest

from signaldesk.dashboards.drill import DrillSpec, drill_queryset
from signaldesk.dashboards.models import BacklogRollup, HandlingRollup
from signaldesk.dashboards.selectors import Period, backlog_daily, service_grouped, service_stats
from signaldesk.dashboards.selectors_cost import cost_by
from signaldesk.dashboards.selectors_segments import segment_rates
from signaldesk.dashboards.tests.conftest import D

pytestmark = pytest.mark.django_db
DAY = Period(D, D)


def test_service_stats_of_the_day(store: dict[str, Any]) -> None:
    s = service_stats(DAY)

    assert (s.created, s.responded, s.frt_median, s.frt_p90) == (4, 3, 45.0, 204.0)
    # resolutions 60 and 1440 min: buckets [60,120) and [1440,2880); median interpolated
    assert (s.resolved, s.resolution_median) == (2, 120.0)
    assert (s.reopened, s.reopen_rate, s.repeat_contacts, s.repeat_rate) == (1, 0.5, 1, 0.25)
    # t1, t4 met the 24 h target; t2's clock breached; t3 has no response after 3 days
    assert (s.sla_met, s.sla_breached, s.sla_rate) == (2, 2, 0.5)
    # t1 good, t4 bad (helpdesk ratings), t2 good (survey 5/5 wins)
    assert (s.csat_good, s.csat_bad, s.csat_rate, s.nps) == (2, 1, 0.6667, 100.0)
    # 3 replies x 6 min + 1 note x 2 min
    assert (s.agent_replies, s.handling_minutes) == (3, 20.0)


def test_filters_by_channel_and_reason(store: dict[str, Any]) -> None:
    chat = service_stats(Period(D, D, channel="chat"))
    damaged = service_stats(Period(D, D, reason="damaged_item"))

    assert (chat.created, chat.frt_median, chat.sla_breached) == (1, 180.0, 1)
    assert (damaged.created, damaged.responded, damaged.resolved) == (2, 2, 1)
    assert {k: v.created for k, v in service_grouped(DAY, "reason").items()} == {
        "damaged_item": 2,
        "delivery_delay": 1,
        "": 1,
    }


def test_backlog_reconstructed_per_day(store: dict[str, Any]) -> None:
    # end of D: t1 (solved the next day), t2, t3 open; t4 closed at 13:00. End of D+1: t2, t3
    assert backlog_daily(Period(D, D + dt.timedelta(days=1))) == {
        D: 3,
        D + dt.timedelta(days=1): 2,
    }
    assert sorted(
        BacklogRollup.objects.filter(day=D).values_list("reason", "channel", "open_tickets")
    ) == [("damaged_item", "chat", 1), ("damaged_item", "email", 1), ("delivery_delay", "email", 1)]


def test_cost_by_reason_adds_handling_time(store: dict[str, Any]) -> None:
    rows = cost_by(by="reason", period=DAY)

    assert sorted(HandlingRollup.objects.values_list("reason", "sku", "handling_minutes")) == [
        ("damaged_item", "A", 20.0),
        ("delivery_delay", "B", 0.0),
    ]
    # refund 20.00 once (t2 is a repeat contact) + 20 min at 30.00/h
    assert [(r.key, r.tickets, r.refunds, r.handling_cost, r.total) for r in rows] == [
        ("damaged_item", 2, Decimal("20.00"), Decimal("10.00"), Decimal("30.00")),
        ("delivery_delay", 1, Decimal("0.00"), Decimal("0.00"), Decimal("0.00")),
    ]


def test_segment_rates_per_1000_orders(store: dict[str, Any]) -> None:
    rows = segment_rates(dimension="sku", period=DAY, reasons=("damaged_item",))

    assert [(r.value, r.contacts, r.orders, r.per_1000_orders) for r in rows] == [
        ("A", 2, 1, 2000.0)
    ]


def ids(spec: DrillSpec) -> set[int]:
    return set(drill_queryset(spec).values_list("id", flat=True))


def test_drill_down_lists_exactly_the_counted_tickets(store: dict[str, Any]) -> None:
    t1, t2, t3, t4 = (store[k].pk for k in ("t1", "t2", "t3", "t4"))
    s = service_stats(DAY)
    expected = {
        "created": ({t1, t2, t3, t4}, s.created),
        "responded": ({t1, t2, t4}, s.responded),
        "resolved": ({t1, t4}, s.resolved),
        "reopened": ({t1}, s.reopened),
        "repeat": ({t2}, s.repeat_contacts),
        "sla_met": ({t1, t4}, s.sla_met),
        "sla_breached": ({t2, t3}, s.sla_breached),
        "csat_good": ({t1, t2}, s.csat_good),
        "csat_bad": ({t4}, s.csat_bad),
        "open": ({t1, t2, t3}, backlog_daily(DAY)[D]),
    }
    got = {m: (ids(DrillSpec(m, D, D)), n) for m, (_, n) in expected.items()}

    assert got == expected
    assert {m: len(v[0]) for m, v in got.items()} == {m: v[1] for m, v in got.items()}


def test_drill_down_of_segment_and_cost_numbers(store: dict[str, Any]) -> None:
    t1, t2, t3 = (store[k].pk for k in ("t1", "t2", "t3"))

    sku_a = DrillSpec("contacts", D, D, "", ("damaged_item",), "sku", "A")
    cost_a = DrillSpec("cost", D, D, "", (), "sku", "A")
    by_reason = DrillSpec("cost", D, D, "", ("delivery_delay",))
    chat = DrillSpec("created", D, D, "chat", ("damaged_item",))

    assert (ids(sku_a), ids(cost_a), ids(by_reason), ids(chat)) == ({t1, t2}, {t1, t2}, {t3}, {t2})
