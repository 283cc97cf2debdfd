"""Rates, shares, week-over-week trends and quantiles from fixed-bucket histograms."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

# Histogram edges in minutes: bucket i holds values in [EDGES[i], EDGES[i + 1]); the last bucket
# holds everything from EDGES[-1] up. Fixed, so histograms of different days add up.
MINUTE_EDGES: tuple[float, ...] = (
    0,
    15,
    30,
    60,
    120,
    240,
    480,
    720,
    1440,
    2880,
    4320,
    7200,
    10080,
    20160,
    43200,
)
FLAT = 0.005  # |relative change| below this counts as flat


def per_1000(count: float, base: float) -> float | None:
    """Contacts per 1,000 orders (or units); None without a base."""
    return None if base <= 0 else round(1000.0 * count / base, 4)


def share(part: float, whole: float) -> float | None:
    """part / whole, or None when whole is 0."""
    return None if whole <= 0 else round(part / whole, 4)


@dataclass(frozen=True)
class Trend:
    """Week over week: the last 7 days of the period against the 7 days before."""

    current: float | None
    previous: float | None
    change: float | None  # relative: current / previous - 1
    direction: str  # "up", "down", "flat" or "" (not comparable)

    @property
    def arrow(self) -> str:
        return {"up": "▲", "down": "▼", "flat": "▶"}.get(self.direction, "")


def trend(current: float | None, previous: float | None) -> Trend:
    if current is None or previous is None:
        return Trend(current, previous, None, "")
    if previous == 0:
        return Trend(current, previous, None, "flat" if current == 0 else "up")
    change = round(current / previous - 1.0, 4)
    direction = "flat" if abs(change) < FLAT else ("up" if change > 0 else "down")
    return Trend(current, previous, change, direction)


def bucket_index(value: float, edges: Sequence[float] = MINUTE_EDGES) -> int:
    """The histogram bucket of a value (negative values go to the first bucket)."""
    index = 0
    for i, edge in enumerate(edges):
        if value >= edge:
            index = i
        else:
            break
    return index


def histogram(values: Sequence[float], edges: Sequence[float] = MINUTE_EDGES) -> list[int]:
    counts = [0] * len(edges)
    for value in values:
        counts[bucket_index(value, edges)] += 1
    return counts


def add_histograms(hists: Sequence[Sequence[int]], size: int = len(MINUTE_EDGES)) -> list[int]:
    total = [0] * size
    for hist in hists:
        for i, n in enumerate(hist[:size]):
            total[i] += int(n)
    return total


def hist_quantile(
    counts: Sequence[int], q: float, edges: Sequence[float] = MINUTE_EDGES
) -> float | None:
    """The q-quantile (0 < q < 1) by linear interpolation inside the bucket that holds it
    (the rank is q × n); the open last bucket returns its lower edge. None when empty."""
    n = sum(counts)
    if n == 0:
        return None
    rank = q * n
    seen = 0
    for i, count in enumerate(counts):
        if count and seen + count >= rank:
            lo = edges[i]
            if i + 1 >= len(edges):
                return float(lo)
            hi = edges[i + 1]
            return round(lo + (hi - lo) * (rank - seen) / count, 2)
        seen += count
    return float(edges[-1])
