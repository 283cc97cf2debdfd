"""The report as Markdown (report.md): the same tables as the HTML, without charts."""

from __future__ import annotations

from collections.abc import Sequence

from signaldesk.insights.note.render import md
from signaldesk.insights.report.data import ReportData


def _n(value: float | int | None, digits: int = 0) -> str:
    return "–" if value is None else f"{value:,.{digits}f}"


def _table(header: Sequence[str], rows: Sequence[Sequence[str]], right: set[int]) -> list[str]:
    if not rows:
        return ["None.", ""]
    align = ["---:" if i in right else "---" for i in range(len(header))]
    out = ["| " + " | ".join(header) + " |", "|" + "|".join(align) + "|"]
    out += ["| " + " | ".join(r) + " |" for r in rows]
    return [*out, ""]


def render_markdown(data: ReportData) -> str:
    cur = data.currency
    lines = [
        f"# {md(data.title)}",
        "",
        f"{data.period_start} to {data.period_end}. {_n(data.orders)} orders, "
        f"{_n(data.tickets)} tickets, {_n(data.contacts)} with a contact reason "
        f"({_n(data.per_1000_orders, 1)} per 1,000 orders); issues cost {_n(data.cost_total)} "
        f"{cur} in refunds, replacements and discounts; {len(data.spikes)} spike(s).",
        "",
        "## Contact reasons",
        "",
        *_table(
            ["Reason", "Owner", "Contacts", "Share %", "per 1,000 orders", f"Cost ({cur})"],
            [
                [
                    md(r.label),
                    md(r.owner_team),
                    _n(r.contacts),
                    _n(r.share_pct, 1),
                    _n(r.per_1000_orders, 1),
                    _n(r.cost),
                ]
                for r in data.reasons
            ],
            {2, 3, 4, 5},
        ),
        "## Contact rate per 1,000 orders",
        "",
    ]
    for dim, rows in data.rates.items():
        lines += [f"### By {dim}", ""]
        lines += _table(
            [dim, "Contacts", "Orders", "per 1,000 orders", "Top reason"],
            [[md(r.value), _n(r.contacts), _n(r.orders), _n(r.per_1000_orders, 1),
              f"{md(r.top_reason)} ({_n(r.top_reason_contacts)})"] for r in rows[:15]],
            {1, 2, 3},
        )  # fmt: skip
    lines += [f"## Spikes (scan of the last {data.scan_days} days)", ""]
    lines += _table(
        ["Segment", "Since", "Observed", "Expected", "Ratio", "Severity"],
        [[md(s.label), s.onset, _n(s.observed), _n(s.expected, 1), _n(s.ratio, 1), s.severity]
         for s in data.spikes],
        {2, 3, 4},
    )  # fmt: skip
    lines += [f"## Themes (last {data.theme_window_days} days against the ones before)", ""]
    lines += _table(
        ["Keywords", "Tickets", "Recent", "Before", "Mostly", "Example"],
        [[md(", ".join(t.keywords[:5]) + (f" ({t.language})" if t.language else "")),
          _n(t.size), _n(t.recent), _n(t.previous), md(t.top_reason), f"“{md(t.quote)}”"]
         for t in data.themes],
        {1, 2, 3},
    )  # fmt: skip
    lines += ["## Cost of issues (top 25 reason × SKU; all rows in cost.csv)", ""]
    lines += _table(
        ["Reason", "SKU", "Tickets", "Refunds", "Replacements", "Discounts", "Total"],
        [[md(c.reason), md(c.sku), _n(c.tickets), c.refunds, c.replacements, c.discounts,
          c.total] for c in data.cost[:25]],
        {2, 3, 4, 5, 6},
    )  # fmt: skip
    if data.note_md:
        note = [
            ("#" + line) if line.startswith("#") else line for line in data.note_md.splitlines()
        ]
        lines += ["## Weekly note (leadership)", "", *note, ""]
    lines += ["## Data", ""]
    lines += _table(
        ["File", "Kind", "Read", "Created", "Updated", "Failed"],
        [[md(f.file_name), f.kind, _n(f.read), _n(f.created), _n(f.updated), _n(f.failed)]
         for f in data.files],
        {2, 3, 4, 5},
    )  # fmt: skip
    lines += [f"{len(data.import_errors)} row error(s) while importing (import_errors.csv).", ""]
    lines += [f"- {md(n)}" for n in data.notes]
    return "\n".join(lines).rstrip() + "\n"
