"""Per-ticket facts of one day aggregated into service cells (one per reason x channel) and
handling cells (one per reason x SKU). The Django layer loads the facts; this does the sums."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field

from signaldesk.dashboards.metrics.trends import MINUTE_EDGES, bucket_index

CSAT_GOOD = frozenset({"good", "satisfied", "positive", "4", "5"})
CSAT_BAD = frozenset({"bad", "unsatisfied", "dissatisfied", "negative", "1", "2"})


@dataclass(frozen=True)
class HandlingCosts:
    """Estimated agent minutes per touch (no time tracking exists yet)."""

    minutes_per_reply: float = 6.0
    minutes_per_note: float = 2.0

    def minutes(self, replies: int, notes: int) -> float:
        return replies * self.minutes_per_reply + notes * self.minutes_per_note


@dataclass(frozen=True)
class TicketFacts:
    ticket_id: int
    reason: str
    channel: str
    sku: str
    created_at: dt.datetime
    first_response_at: dt.datetime | None
    resolved_at: dt.datetime | None  # solved (or closed) and not reopened since
    reopened: bool
    repeat_contact: bool
    csat: str  # raw helpdesk score: "good", "bad", "5", ...
    nps: int | None  # 0..10 when a survey answer exists
    sla: str  # "met", "breached" or "" (pending / no clock)
    replies: int
    notes: int


@dataclass
class ServiceCell:
    created: int = 0
    responded: int = 0
    frt_minutes: float = 0.0
    frt_hist: list[int] = field(default_factory=lambda: [0] * len(MINUTE_EDGES))
    resolved: int = 0
    resolution_minutes: float = 0.0
    resolution_hist: list[int] = field(default_factory=lambda: [0] * len(MINUTE_EDGES))
    reopened: int = 0
    repeat_contacts: int = 0
    sla_met: int = 0
    sla_breached: int = 0
    csat_good: int = 0
    csat_bad: int = 0
    nps_promoters: int = 0
    nps_passives: int = 0
    nps_detractors: int = 0
    agent_replies: int = 0
    handling_minutes: float = 0.0


@dataclass
class HandlingCell:
    tickets: int = 0
    agent_replies: int = 0
    notes: int = 0
    handling_minutes: float = 0.0


def minutes_between(start: dt.datetime, end: dt.datetime) -> float:
    return max(0.0, (end - start).total_seconds() / 60.0)


def sla_outcome(
    *,
    created_at: dt.datetime,
    first_response_at: dt.datetime | None,
    clock: tuple[dt.datetime | None, dt.datetime | None] | None,
    target_minutes: float,
    now: dt.datetime,
) -> str:
    """First-response SLA of one ticket. With a clock (met_at, breached_at): breached if it
    breached, met if it was met, else pending. Without a clock: met when the first response
    came within ``target_minutes`` of creation, breached when it came later or has not come
    and the target has passed, else pending ("")."""
    if clock is not None:
        met_at, breached_at = clock
        return "breached" if breached_at is not None else ("met" if met_at is not None else "")
    if first_response_at is not None:
        ok = minutes_between(created_at, first_response_at) <= target_minutes
        return "met" if ok else "breached"
    return "breached" if minutes_between(created_at, now) > target_minutes else ""


def aggregate_service(
    facts: Iterable[TicketFacts], costs: HandlingCosts
) -> dict[tuple[str, str], ServiceCell]:
    cells: dict[tuple[str, str], ServiceCell] = {}
    for f in facts:
        cell = cells.setdefault((f.reason, f.channel), ServiceCell())
        cell.created += 1
        if f.first_response_at is not None:
            frt = minutes_between(f.created_at, f.first_response_at)
            cell.responded += 1
            cell.frt_minutes += frt
            cell.frt_hist[bucket_index(frt)] += 1
        if f.resolved_at is not None:
            res = minutes_between(f.created_at, f.resolved_at)
            cell.resolved += 1
            cell.resolution_minutes += res
            cell.resolution_hist[bucket_index(res)] += 1
        cell.reopened += int(f.reopened)
        cell.repeat_contacts += int(f.repeat_contact)
        cell.sla_met += int(f.sla == "met")
        cell.sla_breached += int(f.sla == "breached")
        score = f.csat.strip().lower()
        cell.csat_good += int(score in CSAT_GOOD)
        cell.csat_bad += int(score in CSAT_BAD)
        if f.nps is not None:
            cell.nps_promoters += int(f.nps >= 9)
            cell.nps_passives += int(7 <= f.nps <= 8)
            cell.nps_detractors += int(f.nps <= 6)
        cell.agent_replies += f.replies
        cell.handling_minutes += costs.minutes(f.replies, f.notes)
    return cells


def aggregate_handling(
    facts: Iterable[TicketFacts], costs: HandlingCosts
) -> dict[tuple[str, str], HandlingCell]:
    """Per (reason, sku) of tickets with a contact reason (the keys of the cost rollup)."""
    cells: dict[tuple[str, str], HandlingCell] = {}
    for f in facts:
        if not f.reason:
            continue
        cell = cells.setdefault((f.reason, f.sku), HandlingCell())
        cell.tickets += 1
        cell.agent_replies += f.replies
        cell.notes += f.notes
        cell.handling_minutes += costs.minutes(f.replies, f.notes)
    return cells


def nps_score(promoters: int, passives: int, detractors: int) -> float | None:
    """Net promoter score in points (-100..100)."""
    n = promoters + passives + detractors
    return None if n == 0 else round(100.0 * (promoters - detractors) / n, 1)
