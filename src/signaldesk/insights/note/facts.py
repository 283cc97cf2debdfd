"""The facts a weekly note is written from: plain, JSON-able dataclasses (Django-free).

Every number a note prints is a field here, already rounded the way it is printed (percent
changes as whole numbers, rates to one decimal, money in whole currency units), so the note
can be checked against its facts (note.numbers) and the facts stored next to the note."""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field
from typing import Any

AUDIENCES: tuple[str, ...] = ("product", "operations", "ecommerce", "lifecycle", "leadership")
AUDIENCE_LABELS: dict[str, str] = {
    "product": "Product",
    "operations": "Operations",
    "ecommerce": "Ecommerce",
    "lifecycle": "Lifecycle",
    "leadership": "Leadership",
}
# The taxonomy's owner teams (reason.owner_team) → the audience whose note carries them.
TEAM_AUDIENCE: dict[str, str] = {
    "product": "product",
    "merchandising": "product",
    "supplier": "product",
    "operations": "operations",
    "support": "operations",
    "ecommerce": "ecommerce",
    "finance": "ecommerce",
    "lifecycle": "lifecycle",
}
# A spike's segment dimension → the team that owns its root cause (reason-level spikes and
# themes use the reason's owner_team from the taxonomy instead).
DIMENSION_OWNER: dict[str, str] = {
    "sku": "product",
    "size": "product",
    "batch": "product",
    "supplier": "product",
    "carrier": "operations",
    "warehouse": "operations",
    "region": "operations",
    "carrier_region": "operations",
    "campaign": "ecommerce",
    "discount_code": "ecommerce",
    "source": "ecommerce",
    "channel": "ecommerce",
}
PER_ORDERS = 1000  # rates are contacts per 1,000 orders


def pct_change(current: float, previous: float) -> int | None:
    """Whole-percent change, None when there is no previous value to compare with."""
    if previous <= 0:
        return None
    return round(100.0 * (current / previous - 1.0))


@dataclass(frozen=True)
class ReasonFact:
    reason: str
    label: str
    owner_team: str
    contacts: int
    prev_contacts: int
    change_pct: int | None
    per_1000_orders: float | None
    cost: int  # refunds + replacements + discounts, whole currency units
    prev_cost: int


@dataclass(frozen=True)
class SpikeFact:
    label: str
    reason: str
    reason_label: str
    dimension: str
    value: str
    onset: str  # ISO date
    last_day: str
    observed: int
    expected: float  # one decimal
    ratio: float  # one decimal
    severity: str
    explanation: str
    owner_team: str
    status: str
    alert_id: int | None = None


@dataclass(frozen=True)
class ThemeFact:
    keywords: tuple[str, ...]
    size: int
    recent: int
    previous: int
    growth_pct: int | None
    new: bool
    quote: str
    reason: str
    reason_label: str
    owner_team: str
    language: str = ""


@dataclass(frozen=True)
class ActionFact:
    title: str
    status: str
    owner_team: str
    verdict: str  # plain-language impact verdict, "" while not measured
    change_pct: int | None
    significant: bool | None
    reason: str = ""
    action_id: int | None = None


@dataclass(frozen=True)
class NextAction:
    text: str
    owner_team: str
    why: str


@dataclass(frozen=True)
class NoteFacts:
    audience: str
    week_start: str  # ISO Monday
    week_end: str  # ISO Sunday
    currency: str
    contacts: int
    prev_contacts: int
    change_pct: int | None
    orders: int
    per_1000_orders: float | None
    cost_total: int
    prev_cost_total: int
    cost_change_pct: int | None
    theme_window_days: int
    reasons: tuple[ReasonFact, ...] = ()
    spikes: tuple[SpikeFact, ...] = ()
    themes: tuple[ThemeFact, ...] = ()
    actions: tuple[ActionFact, ...] = ()
    next_actions: tuple[NextAction, ...] = ()
    caveats: tuple[str, ...] = ()
    per_orders: int = PER_ORDERS
    counts: dict[str, int] = field(default_factory=dict)

    def as_dict(self) -> dict[str, Any]:
        return dataclasses.asdict(self)


def facts_from_dict(data: dict[str, Any]) -> NoteFacts:
    """The inverse of ``NoteFacts.as_dict`` (stored facts JSON → dataclasses)."""

    def many(cls: Any, rows: list[dict[str, Any]]) -> tuple[Any, ...]:
        out = []
        for row in rows:
            if "keywords" in row:
                row = {**row, "keywords": tuple(row["keywords"])}
            out.append(cls(**row))
        return tuple(out)

    plain = {
        k: v
        for k, v in data.items()
        if k not in ("reasons", "spikes", "themes", "actions", "next_actions", "caveats")
    }
    return NoteFacts(
        **plain,
        reasons=many(ReasonFact, data.get("reasons", [])),
        spikes=many(SpikeFact, data.get("spikes", [])),
        themes=many(ThemeFact, data.get("themes", [])),
        actions=many(ActionFact, data.get("actions", [])),
        next_actions=many(NextAction, data.get("next_actions", [])),
        caveats=tuple(data.get("caveats", [])),
    )
