"""Choosing an agent by team, language, skill, seniority and current load (Django-free).

Among the candidates that match every requirement and hold fewer open tickets than their
`max_open_tickets`, the one with the fewest open tickets wins; ties go to the lowest user id.

`assign_agent` adds the documented fallbacks (docs/rules.md, "Assignment"):
1. every requirement met → that agent;
2. a senior agent was asked for and none fits → the same search without seniority;
3. no active agent at all speaks the ticket's language (whatever their team or load) → no agent,
   the ticket stays in the team queue tagged `needs_translation`;
4. otherwise (everyone who fits is at capacity, or lacks the skill) → no agent, team queue."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass


@dataclass(frozen=True)
class Candidate:
    user_id: int
    username: str
    team: str  # team slug, "" for none
    languages: frozenset[str]
    skills: frozenset[str]
    is_senior: bool
    max_open: int
    open_tickets: int


def choose_agent(
    candidates: Iterable[Candidate],
    *,
    team: str | None,
    language: str | None,
    skill: str | None,
    senior: bool,
) -> Candidate | None:
    fitting = [
        c
        for c in candidates
        if (not team or c.team == team)
        and (not language or language in c.languages)
        and (not skill or skill in c.skills)
        and (c.is_senior or not senior)
        and c.open_tickets < c.max_open
    ]
    return min(fitting, key=lambda c: (c.open_tickets, c.user_id), default=None)


NEEDS_TRANSLATION = "needs_translation"
NO_FIT = "no agent fits (team, language, skill, load)"


@dataclass(frozen=True)
class Assignment:
    agent: Candidate | None
    note: str = ""  # why a fallback was taken; "" when every requirement was met
    tags: tuple[str, ...] = ()


def assign_agent(
    candidates: Iterable[Candidate],
    *,
    team: str | None,
    language: str | None,
    skill: str | None,
    senior: bool,
) -> Assignment:
    pool = list(candidates)
    chosen = choose_agent(pool, team=team, language=language, skill=skill, senior=senior)
    if chosen is not None:
        return Assignment(chosen)
    if senior:
        chosen = choose_agent(pool, team=team, language=language, skill=skill, senior=False)
        if chosen is not None:
            return Assignment(chosen, note="no senior agent fits: the least loaded other agent")
    if language and not any(language in c.languages for c in pool):
        return Assignment(
            None,
            note=f"no agent speaks {language!r}: left in the team queue",
            tags=(NEEDS_TRANSLATION,),
        )
    return Assignment(None, note=NO_FIT)
