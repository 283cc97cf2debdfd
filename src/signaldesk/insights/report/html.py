"""The report as one self-contained HTML file: inline CSS and SVG, no script, every text from
the data escaped; the embedded weekly note is Markdown rendered and sanitised with nh3."""

from __future__ import annotations

from collections.abc import Sequence
from html import escape

from signaldesk.insights.rendering import note_html
from signaldesk.insights.report.data import RateRow, ReportData
from signaldesk.insights.report.svg import bar_chart, line_chart

RATE_TITLES = {
    "sku": "SKU",
    "carrier": "carrier",
    "region": "region",
    "campaign": "campaign",
}
MIN_ORDERS_FOR_RATE = 30  # segments with fewer orders are listed but not charted
CSS = """
body{font:14px/1.45 system-ui,-apple-system,Segoe UI,Roboto,sans-serif;color:#1b1f24;
max-width:1000px;margin:24px auto;padding:0 16px}
h1{font-size:24px;margin:0 0 4px}h2{font-size:18px;margin:32px 0 8px;border-bottom:1px solid #ddd}
.muted{color:#57606a}.kpis{display:flex;flex-wrap:wrap;gap:12px;margin:16px 0}
.kpi{border:1px solid #d0d7de;border-radius:8px;padding:8px 14px;min-width:120px}
.kpi b{display:block;font-size:20px}table{border-collapse:collapse;width:100%;margin:8px 0}
th,td{border-bottom:1px solid #eaeef2;padding:4px 8px;text-align:left;vertical-align:top}
td.n,th.n{text-align:right;font-variant-numeric:tabular-nums}
.chart{width:100%;max-width:760px;height:auto;display:block}
.note{border:1px solid #d0d7de;border-radius:8px;padding:4px 20px;background:#f6f8fa}
.sev-critical{color:#b42318;font-weight:600}.sev-warning{color:#9a6700;font-weight:600}
"""


def _n(value: float | int | None, digits: int = 0) -> str:
    if value is None:
        return "–"
    return f"{value:,.{digits}f}"


def _table(header: Sequence[str], rows: Sequence[Sequence[str]], numeric: set[int]) -> str:
    def cell(tag: str, i: int, text: str) -> str:
        cls = ' class="n"' if i in numeric else ""
        return f"<{tag}{cls}>{text}</{tag}>"

    head = "".join(cell("th", i, escape(h)) for i, h in enumerate(header))
    body = "".join(
        "<tr>" + "".join(cell("td", i, v) for i, v in enumerate(r)) + "</tr>" for r in rows
    )
    if not rows:
        body = f'<tr><td colspan="{len(header)}" class="muted">None.</td></tr>'
    return f"<table><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>"


def _rates(dimension: str, rows: list[RateRow]) -> str:
    title = RATE_TITLES.get(dimension, dimension)
    charted = [r for r in rows if r.orders >= MIN_ORDERS_FOR_RATE and r.per_1000_orders][:10]
    chart = bar_chart(
        [r.value for r in charted],
        [r.per_1000_orders or 0.0 for r in charted],
        title=f"Contacts per 1,000 orders by {title} (≥ {MIN_ORDERS_FOR_RATE} orders)",
    )
    table = _table(
        [title.capitalize(), "Contacts", "Orders", "per 1,000 orders", "Top reason"],
        [
            [escape(r.value), _n(r.contacts), _n(r.orders), _n(r.per_1000_orders, 1),
             f"{escape(r.top_reason)} ({_n(r.top_reason_contacts)})"]
            for r in rows[:15]
        ],
        {1, 2, 3},
    )  # fmt: skip
    return f"<h3>By {escape(title)}</h3>{chart if charted else ''}{table}"


def render_html(data: ReportData) -> str:
    cur = escape(data.currency)
    kpis = [
        ("Orders", _n(data.orders)),
        ("Tickets", _n(data.tickets)),
        ("Contacts with a reason", _n(data.contacts)),
        ("Contacts per 1,000 orders", _n(data.per_1000_orders, 1)),
        (f"Cost of issues ({cur})", _n(data.cost_total)),
        ("Spikes", _n(len(data.spikes))),
    ]
    daily = line_chart(
        [d.day for d in data.daily],
        [("contacts", [float(d.contacts) for d in data.daily]),
         ("orders ÷ 10", [d.orders / 10.0 for d in data.daily])],
        title="Contacts and orders per day",
    )  # fmt: skip
    top = data.reasons[:12]
    reasons_chart = bar_chart(
        [r.label for r in top], [float(r.contacts) for r in top], title="Contacts by reason"
    )
    costly = sorted((r for r in data.reasons if r.cost > 0), key=lambda r: -r.cost)[:10]
    cost_chart = bar_chart(
        [r.label for r in costly], [float(r.cost) for r in costly],
        title=f"Refunds, replacements and discounts by reason ({data.currency})",
    )  # fmt: skip
    parts = [
        "<!DOCTYPE html>",
        '<html lang="en"><head><meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        f"<title>{escape(data.title)}</title><style>{CSS}</style></head><body>",
        f"<h1>{escape(data.title)}</h1>",
        f'<p class="muted">{escape(data.period_start)} to {escape(data.period_end)} · '
        "made by <code>signaldesk analyze</code></p>",
        '<div class="kpis">'
        + "".join(f'<div class="kpi"><b>{v}</b>{escape(k)}</div>' for k, v in kpis)
        + "</div>",
        daily,
        "<h2>Contact reasons</h2>",
        reasons_chart,
        _table(
            ["Reason", "Owner", "Contacts", "Share %", "per 1,000 orders", f"Cost ({cur})"],
            [
                [
                    escape(r.label),
                    escape(r.owner_team),
                    _n(r.contacts),
                    _n(r.share_pct, 1),
                    _n(r.per_1000_orders, 1),
                    _n(r.cost),
                ]
                for r in data.reasons
            ],
            {2, 3, 4, 5},
        ),
        "<h2>Contact rate per 1,000 orders</h2>",
        *(_rates(dim, rows) for dim, rows in data.rates.items()),
        f"<h2>Spikes (scan of the last {data.scan_days} days)</h2>",
        _table(
            ["Segment", "Since", "Last", "Observed", "Expected", "Ratio", "Severity", "Why"],
            [
                [
                    escape(s.label),
                    escape(s.onset),
                    escape(s.last_alert_day),
                    _n(s.observed),
                    _n(s.expected, 1),
                    _n(s.ratio, 1),
                    f'<span class="sev-{escape(s.severity)}">{escape(s.severity)}</span>',
                    escape(s.explanation),
                ]
                for s in data.spikes
            ],
            {3, 4, 5},
        ),
        f"<h2>Themes (last {data.theme_window_days} days against the {data.theme_window_days} "
        "before)</h2>",
        _table(
            ["Keywords", "Tickets", "Recent", "Before", "Growth", "Mostly", "Example"],
            [
                [
                    escape(", ".join(t.keywords[:5]) + (f" ({t.language})" if t.language else "")),
                    _n(t.size),
                    _n(t.recent),
                    _n(t.previous),
                    "new" if t.growth_pct is None else f"{t.growth_pct:+d}%",
                    escape(t.top_reason),
                    f"“{escape(t.quote)}”",
                ]
                for t in data.themes
            ],
            {1, 2, 3, 4},
        ),
        "<h2>Cost of issues</h2>",
        cost_chart if costly else "",
        _table(
            ["Reason", "SKU", "Tickets", "Refunds", "Replacements", "Discounts", "Total"],
            [
                [
                    escape(c.reason),
                    escape(c.sku),
                    _n(c.tickets),
                    escape(c.refunds),
                    escape(c.replacements),
                    escape(c.discounts),
                    escape(c.total),
                ]
                for c in data.cost[:25]
            ],
            {2, 3, 4, 5, 6},
        ),
        '<p class="muted">All rows: cost.csv.</p>',
    ]
    if data.note_md:
        parts += [
            "<h2>Weekly note (leadership)</h2>",
            f'<div class="note">{note_html(data.note_md)}</div>',
        ]
    parts += [
        "<h2>Data</h2>",
        _table(
            ["File", "Kind", "Read", "Created", "Updated", "Failed", "Seconds"],
            [
                [
                    escape(f.file_name),
                    escape(f.kind),
                    _n(f.read),
                    _n(f.created),
                    _n(f.updated),
                    _n(f.failed),
                    _n(f.seconds, 1),
                ]
                for f in data.files
            ],
            {2, 3, 4, 5, 6},
        ),
        f"<p>{_n(len(data.import_errors))} row error(s) while importing"
        + (": see import_errors.csv.</p>" if data.import_errors else ".</p>"),
        "<ul>" + "".join(f"<li>{escape(n)}</li>" for n in data.notes) + "</ul>",
        "</body></html>",
    ]
    return "\n".join(parts) + "\n"
