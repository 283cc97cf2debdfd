"""The report's CSV files (UTF-8, header row, one file per table)."""

from __future__ import annotations

import csv
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

from signaldesk.insights.report.data import ReportData


def _write(path: Path, header: Sequence[str], rows: Iterable[Sequence[Any]]) -> None:
    with path.open("w", newline="", encoding="utf-8") as fh:
        writer = csv.writer(fh)
        writer.writerow(header)
        for row in rows:
            writer.writerow(["" if v is None else v for v in row])


def write_csvs(data: ReportData, out: Path) -> list[str]:
    """Write every CSV of the report into ``out``; returns the file names."""
    _write(
        out / "reasons.csv",
        ["reason", "label", "owner_team", "contacts", "share_pct", "per_1000_orders", "cost",
         "currency"],
        ((r.reason, r.label, r.owner_team, r.contacts, r.share_pct, r.per_1000_orders, r.cost,
          data.currency) for r in data.reasons),
    )  # fmt: skip
    _write(
        out / "contact_rates.csv",
        ["dimension", "value", "contacts", "orders", "per_1000_orders", "top_reason",
         "top_reason_contacts"],
        ((r.dimension, r.value, r.contacts, r.orders, r.per_1000_orders, r.top_reason,
          r.top_reason_contacts) for rows in data.rates.values() for r in rows),
    )  # fmt: skip
    _write(
        out / "spikes.csv",
        ["segment", "reason", "dimension", "value", "onset", "first_alert_day", "last_alert_day",
         "observed", "expected", "ratio", "severity", "q_value", "explanation"],
        ((s.label, s.reason, s.dimension, s.value, s.onset, s.first_alert_day, s.last_alert_day,
          s.observed, s.expected, s.ratio, s.severity, s.q_value, s.explanation)
         for s in data.spikes),
    )  # fmt: skip
    _write(
        out / "themes.csv",
        ["theme", "language", "keywords", "size", "recent", "previous", "growth_pct", "top_reason",
         "quote"],
        ((t.theme, t.language, "; ".join(t.keywords), t.size, t.recent, t.previous,
          t.growth_pct, t.top_reason, t.quote) for t in data.themes),
    )  # fmt: skip
    _write(
        out / "cost.csv",
        ["reason", "sku", "tickets", "refunds", "replacements", "discounts", "total", "currency"],
        ((c.reason, c.sku, c.tickets, c.refunds, c.replacements, c.discounts, c.total,
          data.currency) for c in data.cost),
    )  # fmt: skip
    _write(
        out / "daily.csv",
        ["day", "contacts", "orders"],
        ((d.day, d.contacts, d.orders) for d in data.daily),
    )
    _write(
        out / "import_errors.csv",
        ["file", "kind", "line", "column", "reason"],
        ((e.file_name, e.kind, e.line, e.column, e.reason) for e in data.import_errors),
    )
    return [
        "reasons.csv", "contact_rates.csv", "spikes.csv", "themes.csv", "cost.csv", "daily.csv",
        "import_errors.csv",
    ]  # fmt: skip
