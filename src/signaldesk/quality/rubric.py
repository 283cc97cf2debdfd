"""QA configuration (config.yaml) and the pure parts of human review (Django-free): the rubric,
deterministic sampling per agent and week, and the aggregation of rubric scores.

Rubric scores are 1–5 per criterion; a review's score is the mean of its criteria. Results by a
dimension (agent, reason, macro) are the mean of the review scores, the mean per criterion and
the mean automatic score of the same replies."""

from __future__ import annotations

import datetime as dt
import functools
import hashlib
import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

CONFIG_PATH = Path(__file__).with_name("config.yaml")
SCORE_MIN, SCORE_MAX = 1, 5


@dataclass(frozen=True)
class Criterion:
    id: str
    label: str
    description: str


@dataclass(frozen=True)
class QualityConfig:
    share: float
    low_score_below: int
    seed: str
    rubric_version: str
    criteria: tuple[Criterion, ...]

    @property
    def criterion_ids(self) -> tuple[str, ...]:
        return tuple(c.id for c in self.criteria)

    @classmethod
    def from_mapping(cls, doc: Mapping[str, Any]) -> QualityConfig:
        sampling = doc.get("sampling") or {}
        rubric = doc.get("rubric") or {}
        share = float(sampling.get("share", 0.1))
        if not 0.0 <= share <= 1.0:
            raise ValueError("sampling.share must be between 0 and 1.")
        criteria = tuple(
            Criterion(str(c["id"]), str(c.get("label", c["id"])), str(c.get("description", "")))
            for c in rubric.get("criteria") or []
        )
        if not criteria:
            raise ValueError("rubric.criteria must list at least one criterion.")
        return cls(
            share=share,
            low_score_below=int(sampling.get("low_score_below", 60)),
            seed=str(sampling.get("seed", "signaldesk-qa")),
            rubric_version=str(rubric.get("version", "1")),
            criteria=criteria,
        )


@functools.cache
def quality_config() -> QualityConfig:
    return QualityConfig.from_mapping(yaml.safe_load(CONFIG_PATH.read_text(encoding="utf-8")))


def week_start(moment: dt.datetime | dt.date) -> dt.date:
    """The Monday of the ISO week of a date (or of a datetime's date in its own time zone)."""
    day = moment.date() if isinstance(moment, dt.datetime) else moment
    return day - dt.timedelta(days=day.weekday())


def sample_size(total: int, share: float) -> int:
    """How many of `total` replies a group should have in random review: ceil(share × total)."""
    return math.ceil(round(share * total, 9)) if total else 0


def sample_pick(
    *, candidates: Sequence[int], total: int, already: int, share: float, seed: str
) -> list[int]:
    """Which candidate ids (replies of one agent in one week not yet in review) to add so the
    group reaches ceil(share × total) random reviews. Deterministic: the ids are ordered by a
    keyed hash of (seed, id), so the same seed and replies give the same picks. Replies picked
    earlier are not candidates any more; they count in `already`."""
    need = max(0, sample_size(total, share) - already)

    def rank(item: int) -> str:
        return hashlib.sha256(f"{seed}:{item}".encode()).hexdigest()

    return sorted(sorted(candidates, key=rank)[:need])


def rubric_validate(scores: Mapping[str, object], criteria: Sequence[str]) -> dict[str, int]:
    """Every criterion scored with an integer 1–5, nothing else; returns the clean dict.
    Raises ValueError with a message a lead can act on."""
    unknown = sorted(set(scores) - set(criteria))
    if unknown:
        raise ValueError(f"Unknown criteria: {', '.join(unknown)}.")
    clean: dict[str, int] = {}
    for criterion in criteria:
        raw = scores.get(criterion)
        try:
            value = int(str(raw))
        except ValueError:
            raise ValueError(f"Score {criterion} from {SCORE_MIN} to {SCORE_MAX}.") from None
        if not SCORE_MIN <= value <= SCORE_MAX or str(raw).strip() != str(value):
            raise ValueError(f"Score {criterion} from {SCORE_MIN} to {SCORE_MAX}.")
        clean[criterion] = value
    return clean


def rubric_mean(scores: Mapping[str, int]) -> float:
    return round(sum(scores.values()) / len(scores), 4)


@dataclass(frozen=True)
class ReviewRow:
    key: str  # the dimension value (agent, reason or macro)
    scores: Mapping[str, int]
    auto_score: int


@dataclass(frozen=True)
class ResultRow:
    key: str
    reviews: int
    mean_score: float  # mean of the reviews' rubric means, 1–5
    criteria: dict[str, float]  # mean per criterion, 1–5
    auto_score: float  # mean automatic score (0–100) of the same replies


def aggregate_reviews(rows: Iterable[ReviewRow], criteria: Sequence[str]) -> list[ResultRow]:
    """Results per key, sorted by key; means rounded to 2 decimals."""
    groups: dict[str, list[ReviewRow]] = {}
    for row in rows:
        groups.setdefault(row.key, []).append(row)
    out: list[ResultRow] = []
    for key in sorted(groups):
        group = groups[key]
        n = len(group)
        means = [sum(r.scores.values()) / len(r.scores) for r in group if r.scores]
        out.append(
            ResultRow(
                key=key,
                reviews=n,
                mean_score=round(sum(means) / len(means), 2) if means else 0.0,
                criteria={
                    c: round(sum(r.scores[c] for r in group if c in r.scores) / n_c, 2)
                    for c in criteria
                    if (n_c := sum(1 for r in group if c in r.scores))
                },
                auto_score=round(sum(r.auto_score for r in group) / n, 2),
            )
        )
    return out
