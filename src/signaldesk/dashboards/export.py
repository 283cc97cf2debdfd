"""CSV and JSON renderings of a Dashboard (the same numbers as the page)."""

from __future__ import annotations

import csv
import io
from typing import Any

from signaldesk.dashboards.metrics.trends import Trend
from signaldesk.dashboards.selectors import Period
from signaldesk.dashboards.view_models import Cell, Dashboard, Table

_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def _csv_value(cell: Cell) -> object:
    value = cell.json_value
    if value is None:
        return ""
    if isinstance(value, str) and value.startswith(_FORMULA_START):
        return "'" + value  # spreadsheet formula injection
    return value


def table_csv(table: Table) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(table.columns)
    for row in table.rows:
        writer.writerow([_csv_value(cell) for cell in row])
    return out.getvalue()


def kpis_table(dash: Dashboard) -> Table:
    """The KPI strip as a table (CSV ``table=kpis``)."""
    rows = [
        [
            Cell(k.key, k.key),
            Cell(k.label, k.label),
            k.cell,
            Cell(k.cell.trend.previous if k.cell.trend else None, ""),
            Cell(k.cell.trend.change if k.cell.trend else None, ""),
        ]
        for k in dash.kpis
    ]
    return Table(
        "kpis",
        "Headline numbers",
        ["Key", "Label", "Value", "Previous week", "Week over week"],
        rows,
    )


def _trend(t: Trend | None) -> dict[str, Any] | None:
    if t is None:
        return None
    return {
        "current": t.current,
        "previous": t.previous,
        "change": t.change,
        "direction": t.direction,
    }


def dashboard_json(dash: Dashboard, period: Period) -> dict[str, Any]:
    return {
        "audience": dash.audience,
        "title": dash.title,
        "period": {
            "since": period.since.isoformat(),
            "until": period.until.isoformat(),
            "channel": period.channel,
            "reason": period.reason,
        },
        "kpis": [
            {
                "key": k.key,
                "label": k.label,
                "value": k.cell.json_value,
                "text": k.cell.text,
                "trend": _trend(k.cell.trend),
            }
            for k in dash.kpis
        ],
        "tables": [
            {
                "key": t.key,
                "title": t.title,
                "columns": t.columns,
                "note": t.note,
                "rows": [[c.json_value for c in row] for row in t.rows],
            }
            for t in dash.tables
        ],
        "notes": dash.notes,
    }
