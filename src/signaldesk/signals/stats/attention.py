"""Attention ranking of signals with per-component contributions.

Formula
-------
Each signal gets five components, each mapped to [0, 1] by a fixed saturating transform (so a
signal's score does not depend on which other signals are in the list):

* ``cost``     = cost / (cost + cost_half)                      (money: refunds, replacements...)
* ``growth``   = clip(log2(growth) / log2(growth_cap), 0, 1)     (recent / previous volume)
* ``breadth``  = customers / (customers + customers_half)        (distinct customers affected)
* ``severity`` = {"info": 0.25, "warning": 0.6, "critical": 1.0} or a number in [0, 1]
* ``vip``      = share of affected customers who are VIP, in [0, 1]

    score = 100 * sum_i(w_i * c_i) / sum_i(w_i)

and the contribution of component ``i`` is ``100 * w_i * c_i / sum(w)``, so the contributions
add up to the score and the UI can show "ranks here mainly because of cost (31 pts) and growth
(14 pts)". Default weights: cost 0.35, growth 0.20, breadth 0.20, severity 0.15, vip 0.10. Ties
are broken by signal id.
"""

from __future__ import annotations

import math
from collections.abc import Hashable, Sequence
from dataclasses import dataclass

SEVERITY_LEVELS: dict[str, float] = {"info": 0.25, "warning": 0.6, "critical": 1.0}
COMPONENTS: tuple[str, ...] = ("cost", "growth", "breadth", "severity", "vip")


@dataclass(frozen=True)
class AttentionInput:
    signal_id: Hashable
    cost: float = 0.0
    growth: float | None = None  # recent / previous; None = unknown (counts as no growth)
    customers: int = 0
    severity: str | float = "info"
    vip_share: float = 0.0
    label: str = ""


@dataclass(frozen=True)
class AttentionWeights:
    cost: float = 0.35
    growth: float = 0.20
    breadth: float = 0.20
    severity: float = 0.15
    vip: float = 0.10
    cost_half: float = 1000.0
    growth_cap: float = 4.0
    customers_half: float = 25.0

    def as_tuple(self) -> tuple[float, ...]:
        return (self.cost, self.growth, self.breadth, self.severity, self.vip)


@dataclass(frozen=True)
class AttentionScore:
    signal_id: Hashable
    rank: int
    score: float
    contributions: tuple[tuple[str, float], ...]  # points per component, sum == score
    components: tuple[tuple[str, float], ...]  # normalised component values in [0, 1]
    explanation: str


def components(sig: AttentionInput, w: AttentionWeights) -> tuple[float, ...]:
    """Normalised component values in [0, 1], in the order of :data:`COMPONENTS`."""
    cost = max(sig.cost, 0.0)
    c_cost = cost / (cost + w.cost_half) if cost > 0 else 0.0
    g = sig.growth if sig.growth is not None and sig.growth > 0 else 1.0
    c_growth = min(max(math.log2(g) / math.log2(w.growth_cap), 0.0), 1.0)
    cust = max(sig.customers, 0)
    c_breadth = cust / (cust + w.customers_half) if cust > 0 else 0.0
    if isinstance(sig.severity, str):
        c_sev = SEVERITY_LEVELS[sig.severity]
    else:
        c_sev = min(max(float(sig.severity), 0.0), 1.0)
    c_vip = min(max(sig.vip_share, 0.0), 1.0)
    return (c_cost, c_growth, c_breadth, c_sev, c_vip)


def score_signal(sig: AttentionInput, weights: AttentionWeights | None = None) -> AttentionScore:
    """Score one signal (rank 0 = unranked)."""
    w = weights or AttentionWeights()
    comps = components(sig, w)
    ws = w.as_tuple()
    total_w = sum(ws)
    if total_w <= 0:
        raise ValueError("weights must sum to a positive number")
    contrib = tuple(100.0 * wi * ci / total_w for wi, ci in zip(ws, comps, strict=True))
    score = float(sum(contrib))
    top = sorted(zip(COMPONENTS, contrib, strict=True), key=lambda kv: (-kv[1], kv[0]))
    top = [kv for kv in top if kv[1] >= 0.5][:2]
    if top:
        why = " and ".join(f"{name} ({pts:.0f} pts)" for name, pts in top)
        explanation = f"Score {score:.0f}/100, mainly {why}."
    else:
        explanation = f"Score {score:.0f}/100, no component stands out."
    return AttentionScore(
        signal_id=sig.signal_id,
        rank=0,
        score=score,
        contributions=tuple(zip(COMPONENTS, contrib, strict=True)),
        components=tuple(zip(COMPONENTS, comps, strict=True)),
        explanation=explanation,
    )


def rank_signals(
    signals: Sequence[AttentionInput], weights: AttentionWeights | None = None
) -> tuple[AttentionScore, ...]:
    """Score and rank signals, highest score first (rank 1), ties by ``str(signal_id)``."""
    scored = [score_signal(s, weights) for s in signals]
    scored.sort(key=lambda s: (-s.score, str(s.signal_id)))
    return tuple(
        AttentionScore(s.signal_id, i + 1, s.score, s.contributions, s.components, s.explanation)
        for i, s in enumerate(scored)
    )
