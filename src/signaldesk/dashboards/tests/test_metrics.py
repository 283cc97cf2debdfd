"""The Django-free metric cores against hand-computed values."""

from __future__ import annotations

import datetime as dt

from signaldesk.dashboards.metrics.charts import bar_chart, sparkline
from signaldesk.dashboards.metrics.repurchase import (
    Cell,
    CustomerOutcome,
    compare,
    order_band,
    repurchase_cells,
)
from signaldesk.dashboards.metrics.reviews import review_themes
from signaldesk.dashboards.metrics.service import (
    HandlingCosts,
    TicketFacts,
    aggregate_handling,
    aggregate_service,
    nps_score,
    sla_outcome,
)
from signaldesk.dashboards.metrics.trends import (
    bucket_index,
    hist_quantile,
    histogram,
    per_1000,
    share,
    trend,
)

T0 = dt.datetime(2026, 10, 5, 9, 0, tzinfo=dt.UTC)


def mins(n: float) -> dt.datetime:
    return T0 + dt.timedelta(minutes=n)


def test_rates_and_shares() -> None:
    assert (per_1000(3, 1500), per_1000(1, 0), share(1, 4), share(1, 0)) == (2.0, None, 0.25, None)


def test_week_over_week_trend() -> None:
    assert trend(12, 10) == trend(12.0, 10.0)
    assert (trend(12, 10).change, trend(12, 10).direction, trend(12, 10).arrow) == (0.2, "up", "▲")
    assert (trend(5, 10).change, trend(5, 10).direction) == (-0.5, "down")
    assert (trend(10, 10).direction, trend(3, 0).direction, trend(0, 0).direction) == (
        "flat",
        "up",
        "flat",
    )
    assert (trend(None, 4).direction, trend(None, 4).change) == ("", None)


def test_histogram_buckets_and_interpolated_quantiles() -> None:
    hist = histogram([10, 30, 120])  # buckets [0,15), [30,60), [120,240)

    assert (bucket_index(10), bucket_index(30), bucket_index(120), bucket_index(99999)) == (
        0,
        2,
        4,
        14,
    )
    assert hist[:5] == [1, 0, 1, 0, 1]
    # median: rank 1.5 falls halfway through [30, 60); p90: rank 2.7, 70% into [120, 240)
    assert (hist_quantile(hist, 0.5), hist_quantile(hist, 0.9)) == (45.0, 204.0)
    assert hist_quantile([0] * 15, 0.5) is None
    assert hist_quantile(histogram([50000, 60000]), 0.5) == 43200.0  # open last bucket


def facts(**kw: object) -> TicketFacts:
    base: dict[str, object] = {
        "ticket_id": 1,
        "reason": "damaged_item",
        "channel": "email",
        "sku": "A",
        "created_at": T0,
        "first_response_at": None,
        "resolved_at": None,
        "reopened": False,
        "repeat_contact": False,
        "csat": "",
        "nps": None,
        "sla": "",
        "replies": 0,
        "notes": 0,
    }
    base.update(kw)
    return TicketFacts(**base)  # type: ignore[arg-type]


def test_sla_outcome_with_and_without_clock() -> None:
    def out(frt: dt.datetime | None, clock: tuple | None = None, now: float = 3000) -> str:
        return sla_outcome(
            created_at=T0, first_response_at=frt, clock=clock, target_minutes=1440, now=mins(now)
        )

    assert [
        out(mins(30)),
        out(mins(1500)),
        out(None),
        out(None, now=60),
        out(mins(30), (None, mins(61))),
        out(None, (mins(20), None)),
        out(None, (None, None)),
    ] == ["met", "breached", "breached", "", "breached", "met", ""]


def test_aggregate_service_and_handling() -> None:
    rows = [
        facts(
            ticket_id=1,
            first_response_at=mins(30),
            resolved_at=mins(1440),
            reopened=True,
            csat="Good",
            sla="met",
            replies=2,
            notes=1,
        ),
        facts(
            ticket_id=2,
            channel="chat",
            first_response_at=mins(120),
            repeat_contact=True,
            csat="good",
            nps=9,
            sla="breached",
            replies=1,
        ),
        facts(ticket_id=3, reason="", csat="bad", nps=6, sla="breached"),
    ]
    cells = aggregate_service(rows, HandlingCosts(6.0, 2.0))
    email = cells[("damaged_item", "email")]

    assert sorted(cells) == [("", "email"), ("damaged_item", "chat"), ("damaged_item", "email")]
    assert (email.created, email.responded, email.frt_minutes, email.resolved) == (1, 1, 30.0, 1)
    assert (email.resolution_minutes, email.reopened, email.sla_met, email.csat_good) == (
        1440.0,
        1,
        1,
        1,
    )
    assert (email.agent_replies, email.handling_minutes, email.frt_hist[2]) == (2, 14.0, 1)
    chat = cells[("damaged_item", "chat")]
    assert (chat.repeat_contacts, chat.sla_breached, chat.nps_promoters, chat.handling_minutes) == (
        1,
        1,
        1,
        6.0,
    )
    assert (cells[("", "email")].csat_bad, cells[("", "email")].nps_detractors) == (1, 1)
    handling = aggregate_handling(rows, HandlingCosts(6.0, 2.0))
    assert list(handling) == [("damaged_item", "A")]  # tickets without a reason are skipped
    assert vars(handling[("damaged_item", "A")]) == {
        "tickets": 2,
        "agent_replies": 3,
        "notes": 1,
        "handling_minutes": 20.0,
    }
    assert (nps_score(2, 1, 1), nps_score(0, 0, 0)) == (25.0, None)


def test_repurchase_cells_and_matched_comparison() -> None:
    day = dt.timedelta(days=1)
    jan = dt.datetime(2026, 1, 10, tzinfo=dt.UTC)
    outcomes = [
        # issue within 30 days of the anchor, no order within 90 days
        CustomerOutcome(jan, jan, 1, [jan + 2 * day], [jan + 100 * day]),
        # no issue (ticket 40 days later is outside the window), reordered on day 60
        CustomerOutcome(jan, jan, 1, [jan + 40 * day], [jan + 60 * day]),
        # window not ended by as_of: left out
        CustomerOutcome(jan + 60 * day, jan, 2, [], []),
    ]
    cells = repurchase_cells(outcomes, as_of=jan + 120 * day, local=dt.UTC)

    assert cells == [
        Cell(dt.date(2026, 1, 1), "1", False, 1, 1),
        Cell(dt.date(2026, 1, 1), "1", True, 1, 0),
    ]
    assert (order_band(1), order_band(3), order_band(4)) == ("1", "2-3", "4+")


def test_compare_standardises_to_the_issue_customers_strata() -> None:
    m1, m2 = dt.date(2026, 1, 1), dt.date(2026, 2, 1)
    cells = [
        Cell(m1, "1", True, 10, 2),  # issue: 20%
        Cell(m1, "1", False, 100, 40),  # comparison in stratum 1: 40%
        Cell(m2, "2-3", True, 30, 12),  # issue: 40%
        Cell(m2, "2-3", False, 50, 30),  # comparison in stratum 2: 60%
        Cell(m2, "4+", True, 5, 1),  # no comparison customers: unmatched
    ]
    result = compare(cells)

    # comparison = (10 x 0.4 + 30 x 0.6) / 40 = 0.55; matched issue rate = 14 / 40 = 0.35
    assert (result.issue_customers, result.issue_repurchased, result.issue_rate) == (45, 15, 0.3333)
    assert (result.matched_issue_customers, result.comparison_customers) == (40, 150)
    assert (result.comparison_rate, result.difference, result.lost_repurchases) == (0.55, -0.2, 8.0)
    assert compare([Cell(m1, "1", True, 3, 1)]).comparison_rate is None


def test_review_themes() -> None:
    assert review_themes("Arrived broken, and the colour is not as described") == [
        "damaged",
        "not_as_described",
    ]
    assert review_themes("Runs small, zu klein") == ["sizing"]
    assert review_themes("Lovely") == []


def test_chart_geometry() -> None:
    chart = bar_chart([2, 4, 0], ["a", "b", "c"], width=300, height=100, gap=2)

    assert [(b.x, b.y, b.width, b.height) for b in chart.bars] == [
        (1.0, 50.0, 98.0, 50.0),
        (101.0, 0.0, 98.0, 100.0),
        (201.0, 100.0, 98.0, 0.0),
    ]
    assert chart.max_value == 4.0
    assert sparkline([1, None, 3], width=100, height=10) == "0.0,10.0 100.0,0.0"
    assert (sparkline([5]), sparkline([2, 2], width=10, height=10)) == ("", "0.0,5.0 10.0,5.0")
