"""Lost repeat purchase: the 90-day repurchase rate of customers who had an issue against
comparable customers who did not.

A customer's anchor is their first order in a month. "Had an issue": a ticket with a contact
reason within ISSUE_WINDOW of the anchor. "Repurchased": another order within REPURCHASE_WINDOW
after the anchor. Only customers whose 90-day window has ended count. Comparable customers share
the stratum (month of their first order ever, order-count band up to the anchor); the comparison
rate is the no-issue rate of each stratum weighted by the issue customers in it (direct
standardisation), so a difference in customer mix does not pass for an effect."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

ISSUE_WINDOW = dt.timedelta(days=30)
REPURCHASE_WINDOW = dt.timedelta(days=90)


def order_band(orders_up_to_anchor: int) -> str:
    if orders_up_to_anchor <= 1:
        return "1"
    return "2-3" if orders_up_to_anchor <= 3 else "4+"


def month_start(moment: dt.date) -> dt.date:
    return moment.replace(day=1)


@dataclass(frozen=True)
class CustomerOutcome:
    """One customer's anchor order in a month and what followed."""

    anchor: dt.datetime
    first_order_at: dt.datetime
    orders_up_to_anchor: int
    issue_at: Sequence[dt.datetime]  # their tickets with a reason (any time)
    later_orders: Sequence[dt.datetime]  # their orders after the anchor


@dataclass(frozen=True)
class Cell:
    first_order_month: dt.date
    order_band: str
    had_issue: bool
    customers: int
    repurchased: int


def outcome_flags(c: CustomerOutcome) -> tuple[bool, bool]:
    """(had an issue, repurchased) of one customer."""
    issue = any(c.anchor <= t < c.anchor + ISSUE_WINDOW for t in c.issue_at)
    again = any(c.anchor < o <= c.anchor + REPURCHASE_WINDOW for o in c.later_orders)
    return issue, again


def repurchase_cells(
    outcomes: Iterable[CustomerOutcome], *, as_of: dt.datetime, local: dt.tzinfo
) -> list[Cell]:
    """Cells of the customers whose repurchase window ended by ``as_of``."""
    sums: dict[tuple[dt.date, str, bool], list[int]] = {}
    for c in outcomes:
        if c.anchor + REPURCHASE_WINDOW > as_of:
            continue
        issue, again = outcome_flags(c)
        key = (
            month_start(c.first_order_at.astimezone(local).date()),
            order_band(c.orders_up_to_anchor),
            issue,
        )
        acc = sums.setdefault(key, [0, 0])
        acc[0] += 1
        acc[1] += int(again)
    return [Cell(k[0], k[1], k[2], v[0], v[1]) for k, v in sorted(sums.items())]


@dataclass(frozen=True)
class RepurchaseComparison:
    issue_customers: int
    issue_repurchased: int
    issue_rate: float | None
    matched_issue_customers: int  # issue customers in a stratum that has comparison customers
    comparison_customers: int
    comparison_rate: float | None  # standardised to the issue customers' strata
    difference: float | None  # issue_rate (matched strata) - comparison_rate
    lost_repurchases: float | None  # -difference x matched issue customers, when negative


def compare(cells: Sequence[Cell]) -> RepurchaseComparison:
    strata: dict[tuple[dt.date, str], dict[bool, list[int]]] = {}
    for cell in cells:
        acc = strata.setdefault((cell.first_order_month, cell.order_band), {})
        pair = acc.setdefault(cell.had_issue, [0, 0])
        pair[0] += cell.customers
        pair[1] += cell.repurchased
    issue_n = sum(s.get(True, [0, 0])[0] for s in strata.values())
    issue_r = sum(s.get(True, [0, 0])[1] for s in strata.values())
    matched_n = matched_r = comparison_n = 0
    weighted = 0.0
    for s in strata.values():
        issue, base = s.get(True), s.get(False)
        if not issue or not issue[0] or not base or not base[0]:
            continue
        matched_n += issue[0]
        matched_r += issue[1]
        comparison_n += base[0]
        weighted += issue[0] * (base[1] / base[0])
    issue_rate = None if issue_n == 0 else round(issue_r / issue_n, 4)
    if matched_n == 0:
        return RepurchaseComparison(issue_n, issue_r, issue_rate, 0, comparison_n, None, None, None)
    comparison_rate = round(weighted / matched_n, 4)
    difference = round(matched_r / matched_n - weighted / matched_n, 4)
    lost = round(-difference * matched_n, 1) if difference < 0 else 0.0
    return RepurchaseComparison(
        issue_n, issue_r, issue_rate, matched_n, comparison_n, comparison_rate, difference, lost
    )
