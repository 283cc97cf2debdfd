"""Inline SVG charts for the self-contained report: no JavaScript, no external files. Every
label is escaped here, so the markup can be placed into the HTML as is."""

from __future__ import annotations

from collections.abc import Sequence
from html import escape

BAR = "#1f6feb"
LINE = ("#1f6feb", "#d1242f")


def _num(x: float) -> str:
    return f"{x:.1f}"


def bar_chart(
    labels: Sequence[str], values: Sequence[float], *, title: str, unit: str = "", width: int = 640
) -> str:
    """Horizontal bars, one row per label, value printed at the end of each bar."""
    row, pad_l, pad_r, pad_t = 22, 210, 70, 26
    height = pad_t + row * len(labels) + 8
    top = max(values, default=0.0) or 1.0
    plot_w = width - pad_l - pad_r
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" role="img" '
        f'aria-label="{escape(title)}" class="chart">',
        f"<title>{escape(title)}</title>",
        f'<text x="0" y="16" font-size="13" font-weight="600">{escape(title)}</text>',
    ]
    for i, (label, value) in enumerate(zip(labels, values, strict=True)):
        y = pad_t + i * row
        w = plot_w * value / top
        shown = label if len(label) <= 32 else label[:31] + "…"
        parts.append(
            f'<text x="{pad_l - 6}" y="{y + 14}" font-size="11" text-anchor="end">'
            f"{escape(shown)}</text>"
        )
        parts.append(
            f'<rect x="{pad_l}" y="{y + 3}" width="{_num(max(w, 1.0))}" height="{row - 6}" '
            f'fill="{BAR}"/>'
        )
        text = f"{value:,.1f}" if value % 1 else f"{value:,.0f}"
        parts.append(
            f'<text x="{_num(pad_l + w + 4)}" y="{y + 14}" font-size="11">'
            f"{escape(text + unit)}</text>"
        )
    parts.append("</svg>")
    return "".join(parts)


def line_chart(
    days: Sequence[str],
    series: Sequence[tuple[str, Sequence[float]]],
    *,
    title: str,
    width: int = 640,
    height: int = 220,
) -> str:
    """One or two daily series on a shared axis, with first/last day labels and a legend."""
    pad_l, pad_r, pad_t, pad_b = 44, 12, 30, 26
    n = len(days)
    top = max((v for _, vals in series for v in vals), default=1.0) or 1.0
    plot_w, plot_h = width - pad_l - pad_r, height - pad_t - pad_b

    def x(i: int) -> float:
        return pad_l + (plot_w * i / (n - 1) if n > 1 else plot_w / 2)

    def y(v: float) -> float:
        return pad_t + plot_h * (1.0 - v / (top * 1.05))

    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" role="img" '
        f'aria-label="{escape(title)}" class="chart">',
        f"<title>{escape(title)}</title>",
        f'<text x="0" y="16" font-size="13" font-weight="600">{escape(title)}</text>',
        f'<line x1="{pad_l}" y1="{_num(y(0))}" x2="{width - pad_r}" y2="{_num(y(0))}" '
        'stroke="#888"/>',
        f'<text x="{pad_l - 4}" y="{_num(y(top) + 4)}" font-size="10" text-anchor="end">'
        f"{top:,.0f}</text>",
        f'<text x="{pad_l - 4}" y="{_num(y(0))}" font-size="10" text-anchor="end">0</text>',
    ]
    if n:
        parts.append(
            f'<text x="{pad_l}" y="{height - 6}" font-size="10">{escape(days[0])}</text>'
            f'<text x="{width - pad_r}" y="{height - 6}" font-size="10" text-anchor="end">'
            f"{escape(days[-1])}</text>"
        )
    for k, (name, values) in enumerate(series):
        color = LINE[k % len(LINE)]
        points = " ".join(f"{_num(x(i))},{_num(y(v))}" for i, v in enumerate(values))
        parts.append(
            f'<polyline fill="none" stroke="{color}" stroke-width="1.6" points="{points}"/>'
        )
        lx = width - pad_r - 180 + k * 95
        parts.append(
            f'<rect x="{lx}" y="8" width="10" height="10" fill="{color}"/>'
            f'<text x="{lx + 14}" y="17" font-size="11">{escape(name)}</text>'
        )
    parts.append("</svg>")
    return "".join(parts)
