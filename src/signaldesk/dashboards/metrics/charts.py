"""Geometry of the server-rendered SVG charts (bars and a line sparkline). Returns numbers only;
the templates draw them, so labels are escaped by the template engine."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass


@dataclass(frozen=True)
class Bar:
    x: float
    y: float
    width: float
    height: float
    value: float
    label: str


@dataclass(frozen=True)
class BarChart:
    width: int
    height: int
    bars: list[Bar]
    max_value: float


def bar_chart(
    values: Sequence[float],
    labels: Sequence[str],
    *,
    width: int = 640,
    height: int = 120,
    gap: float = 2.0,
) -> BarChart:
    """Vertical bars scaled to the largest value (all zero: flat bars)."""
    n = len(values)
    top = max((float(v) for v in values), default=0.0)
    if n == 0:
        return BarChart(width, height, [], 0.0)
    slot = width / n
    bars = []
    for i, (v, label) in enumerate(zip(values, labels, strict=True)):
        h = 0.0 if top <= 0 else round(height * float(v) / top, 2)
        bars.append(
            Bar(
                round(i * slot + gap / 2, 2),
                round(height - h, 2),
                round(max(slot - gap, 1.0), 2),
                h,
                float(v),
                label,
            )
        )
    return BarChart(width, height, bars, top)


def sparkline(values: Sequence[float | None], *, width: int = 160, height: int = 32) -> str:
    """SVG polyline points "x,y x,y ..." (missing values are skipped); '' with < 2 points."""
    present = [(i, float(v)) for i, v in enumerate(values) if v is not None]
    if len(present) < 2:
        return ""
    lo = min(v for _, v in present)
    hi = max(v for _, v in present)
    span = hi - lo
    step = width / max(len(values) - 1, 1)
    points = []
    for i, v in present:
        y = height / 2 if span == 0 else height - (v - lo) / span * height
        points.append(f"{round(i * step, 2)},{round(y, 2)}")
    return " ".join(points)
