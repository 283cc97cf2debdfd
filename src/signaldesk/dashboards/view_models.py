"""What a dashboard page shows, in one shape for HTML, CSV and JSON: KPIs, charts and tables of
cells. Each cell keeps its raw value (CSV/JSON), its display text and the drill-down query."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from signaldesk.dashboards.drill import DrillSpec
from signaldesk.dashboards.metrics.charts import BarChart
from signaldesk.dashboards.metrics.trends import Trend


@dataclass(frozen=True)
class Cell:
    value: object
    text: str
    drill: DrillSpec | None = None
    trend: Trend | None = None

    @property
    def json_value(self) -> object:
        if isinstance(self.value, Decimal):
            return str(self.value)
        if isinstance(self.value, Trend):
            return self.value.change
        return self.value


@dataclass(frozen=True)
class Table:
    key: str
    title: str
    columns: list[str]
    rows: list[list[Cell]]
    note: str = ""


@dataclass(frozen=True)
class Kpi:
    key: str
    label: str
    cell: Cell
    spark: str = ""  # SVG polyline points of the daily series
    help: str = ""


@dataclass(frozen=True)
class Chart:
    key: str
    title: str
    bars: BarChart
    line: str = ""  # SVG polyline points over the same days
    line_label: str = ""
    bar_label: str = ""


@dataclass
class Dashboard:
    audience: str
    title: str
    description: str
    kpis: list[Kpi] = field(default_factory=list)
    charts: list[Chart] = field(default_factory=list)
    tables: list[Table] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    def table(self, key: str) -> Table | None:
        return next((t for t in self.tables if t.key == key), None)


def num(value: float | int | None, digits: int = 0, suffix: str = "") -> str:
    if value is None:
        return "—"
    return f"{value:,.{digits}f}{suffix}"


def pct(value: float | None) -> str:
    return "—" if value is None else f"{100 * value:.1f}%"


def minutes(value: float | None) -> str:
    """Durations: minutes under 2 hours, hours under 2 days, else days."""
    if value is None:
        return "—"
    if value < 120:
        return f"{value:.0f} min"
    if value < 2880:
        return f"{value / 60:.1f} h"
    return f"{value / 1440:.1f} d"


def money(value: Decimal, currency: str) -> str:
    return f"{value:,.2f} {currency}"
