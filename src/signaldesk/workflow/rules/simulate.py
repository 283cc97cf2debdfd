"""Replaying a rule set over past tickets without writing anything.

Facts come from the stored tickets and their TicketEnrichment in chunks (facts.iter_facts);
assignment uses the agents' current open-ticket counts, raised in memory as the replay assigns,
so the simulated assignee spread shows the load balancing. Only SELECTs are issued."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from signaldesk.tickets.models import Ticket
from signaldesk.workflow.rules.assign import Candidate
from signaldesk.workflow.rules.engine import PRIORITY_RANK, Rule, evaluate
from signaldesk.workflow.rules.facts import agent_pool, iter_facts
from signaldesk.workflow.rules.services import pick_assignee

EXAMPLES = 5
NONE = "(none)"


@dataclass
class RuleStats:
    fired: int = 0
    examples: list[int] = field(default_factory=list)


@dataclass
class SimulationReport:
    since: dt.datetime
    tickets: int = 0
    rules: dict[str, RuleStats] = field(default_factory=dict)
    priority: dict[str, Counter[str]] = field(
        default_factory=lambda: {"actual": Counter(), "simulated": Counter()}
    )
    team: dict[str, Counter[str]] = field(
        default_factory=lambda: {"actual": Counter(), "simulated": Counter()}
    )
    assignee: dict[str, Counter[str]] = field(
        default_factory=lambda: {"actual": Counter(), "simulated": Counter()}
    )

    def as_dict(self) -> dict[str, Any]:
        def dist(d: dict[str, Counter[str]]) -> dict[str, dict[str, int]]:
            return {k: dict(sorted(v.items())) for k, v in d.items()}

        return {
            "since": self.since.isoformat(),
            "tickets": self.tickets,
            "rules": {
                rid: {"fired": s.fired, "examples": s.examples} for rid, s in self.rules.items()
            },
            "priority": dist(self.priority),
            "team": dist(self.team),
            "assignee": dist(self.assignee),
        }


def _labels(ids: list[int]) -> dict[int, tuple[str, str]]:
    """ticket id -> (team slug, assignee username) as stored."""
    rows = Ticket.objects.filter(id__in=ids).values_list(
        "id", "owner_team__slug", "assignee__username"
    )
    return {i: (team or NONE, user or NONE) for i, team, user in rows}


def simulate(*, rules: list[Rule], since: dt.datetime) -> SimulationReport:
    report = SimulationReport(since=since)
    report.rules = {r.id: RuleStats() for r in rules}
    ids = list(
        Ticket.objects.filter(created_at__gte=since).order_by("id").values_list("id", flat=True)
    )
    pool: list[Candidate] = agent_pool()
    loads = {c.user_id: c.open_tickets for c in pool}
    for chunk in iter_facts(ids):
        stored = _labels(list(chunk))
        for ticket_id in sorted(chunk):
            facts = chunk[ticket_id]
            outcome = evaluate(rules, facts)
            report.tickets += 1
            for rid in outcome.fired:
                stats = report.rules[rid]
                stats.fired += 1
                if len(stats.examples) < EXAMPLES:
                    stats.examples.append(ticket_id)
            team, user = stored[ticket_id]
            new_team = outcome.team or team
            new_user = user
            if outcome.assign is not None:
                current = [
                    Candidate(**{**c.__dict__, "open_tickets": loads[c.user_id]}) for c in pool
                ]
                chosen = pick_assignee(
                    outcome,
                    team=None if new_team == NONE else new_team,
                    language=str(facts.get("language") or ""),
                    pool=current,
                ).agent
                if chosen is not None:
                    new_user = chosen.username
                    loads[chosen.user_id] += 1
            report.priority["actual"][str(facts["priority"])] += 1
            actual = str(facts["priority"])
            simulated = max(actual, outcome.priority or actual, key=PRIORITY_RANK.__getitem__)
            report.priority["simulated"][simulated] += 1
            report.team["actual"][team] += 1
            report.team["simulated"][new_team] += 1
            report.assignee["actual"][user] += 1
            report.assignee["simulated"][new_user] += 1
    return report
