"""CSAT and NPS arithmetic (Django-free).

- CSAT is 1–5: the mean, and the satisfied share (answers of 4 or 5) in percent.
- NPS is 0–10: percent promoters (9–10) minus percent detractors (0–6), from −100 to 100.
Rows without a score for a measure do not count for that measure."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass


@dataclass(frozen=True)
class Answer:
    key: str
    csat: int | None
    nps: int | None


@dataclass(frozen=True)
class SurveyResult:
    key: str
    responses: int
    csat_responses: int
    csat_mean: float | None
    csat_satisfied_pct: float | None
    nps_responses: int
    nps: float | None


def csat_summary(scores: list[int]) -> tuple[float | None, float | None]:
    if not scores:
        return None, None
    mean = round(sum(scores) / len(scores), 2)
    satisfied = round(100 * sum(1 for s in scores if s >= 4) / len(scores), 1)
    return mean, satisfied


def nps_score(scores: list[int]) -> float | None:
    if not scores:
        return None
    promoters = sum(1 for s in scores if s >= 9)
    detractors = sum(1 for s in scores if s <= 6)
    return round(100 * (promoters - detractors) / len(scores), 1)


def aggregate_answers(rows: Iterable[Answer]) -> list[SurveyResult]:
    """One result per key, sorted by key."""
    groups: dict[str, list[Answer]] = {}
    for row in rows:
        groups.setdefault(row.key, []).append(row)
    out: list[SurveyResult] = []
    for key in sorted(groups):
        csat = [a.csat for a in groups[key] if a.csat is not None]
        nps = [a.nps for a in groups[key] if a.nps is not None]
        mean, satisfied = csat_summary(csat)
        out.append(
            SurveyResult(
                key=key,
                responses=len(groups[key]),
                csat_responses=len(csat),
                csat_mean=mean,
                csat_satisfied_pct=satisfied,
                nps_responses=len(nps),
                nps=nps_score(nps),
            )
        )
    return out
