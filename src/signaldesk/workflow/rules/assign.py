"""Choosing an agent by team, language, skill, seniority and current load (Django-free).

Among the candidates that match every requirement and hold fewer open tickets than their
`max_open_tickets`, the one with the fewest open tickets wins; ties go to the lowest user id."""

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
