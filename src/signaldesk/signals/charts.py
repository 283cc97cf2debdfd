"""Inline SVG line charts for the console (no JavaScript, no CDN). Django-free.

``line_chart_svg`` returns markup with every label escaped, so templates may mark it safe."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from html import escape

PALETTE = ("#1f6feb", "#d1242f", "#8250df", "#1a7f37")


@dataclass(frozen=True)
class Series:
    name: str
    values: Sequence[float | None]
    dashed: bool = False


def _fmt(x: float) -> str:
    return f"{x:.1f}"


def line_chart_svg(
    *,
    labels: Sequence[str],
    series: Sequence[Series],
    title: str,
    marker_index: int | None = None,
    marker_label: str = "",
    width: int = 640,
    height: int = 220,
) -> str:
    """A labelled line chart; ``marker_index`` draws a vertical line (onset, action done)."""
    pad_l, pad_r, pad_t, pad_b = 40, 12, 24, 28
    n = len(labels)
    values = [v for s in series for v in s.values if v is not None]
    top = max(values, default=1.0) or 1.0
    top *= 1.1
    plot_w, plot_h = width - pad_l - pad_r, height - pad_t - pad_b

    def x(i: int) -> float:
        return pad_l + (plot_w * i / (n - 1) if n > 1 else plot_w / 2)

    def y(v: float) -> float:
        return pad_t + plot_h * (1.0 - v / top)

    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" '
        f'role="img" aria-label="{escape(title)}" class="chart">',
        f"<title>{escape(title)}</title>",
        f'<line x1="{pad_l}" y1="{_fmt(y(0))}" x2="{width - pad_r}" y2="{_fmt(y(0))}" '
        'stroke="#888" stroke-width="1"/>',
        f'<text x="4" y="{pad_t + 4}" font-size="10">{_fmt(top / 1.1)}</text>',
        f'<text x="4" y="{_fmt(y(0))}" font-size="10">0</text>',
    ]
    if n:
        parts.append(
            f'<text x="{pad_l}" y="{height - 8}" font-size="10">{escape(labels[0])}</text>'
        )
        parts.append(
            f'<text x="{width - pad_r}" y="{height - 8}" font-size="10" text-anchor="end">'
            f"{escape(labels[-1])}</text>"
        )
    if marker_index is not None and 0 <= marker_index < n:
        mx = _fmt(x(marker_index))
        parts.append(
            f'<line x1="{mx}" y1="{pad_t}" x2="{mx}" y2="{_fmt(y(0))}" stroke="#555" '
            'stroke-dasharray="2 3"/>'
        )
        parts.append(
            f'<text x="{mx}" y="{pad_t + 10}" font-size="10" dx="4">{escape(marker_label)}</text>'
        )
    for k, s in enumerate(series):
        color = PALETTE[k % len(PALETTE)]
        points = " ".join(
            f"{_fmt(x(i))},{_fmt(y(v))}" for i, v in enumerate(s.values) if v is not None
        )
        dash = ' stroke-dasharray="5 4"' if s.dashed else ""
        parts.append(
            f'<polyline fill="none" stroke="{color}" stroke-width="2"{dash} points="{points}"/>'
        )
        lx = pad_l + 8 + 150 * k
        parts.append(
            f'<rect x="{lx}" y="{pad_t - 18}" width="10" height="3" fill="{color}"/>'
            f'<text x="{lx + 14}" y="{pad_t - 14}" font-size="10">{escape(s.name)}</text>'
        )
    parts.append("</svg>")
    return "".join(parts)
