"""What the batch insight report shows: plain dataclasses (Django-free), filled by
insights.analyze and written by report.html / report.markdown / report.csvs."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class FileSummary:
    kind: str
    file_name: str
    read: int
    created: int
    updated: int
    unchanged: int
    failed: int
    seconds: float


@dataclass(frozen=True)
class ImportProblem:
    file_name: str
    kind: str
    line: int
    column: str
    reason: str


@dataclass(frozen=True)
class ReasonRow:
    reason: str
    label: str
    owner_team: str
    contacts: int
    share_pct: float  # of all contacts with a reason, one decimal
    per_1000_orders: float | None
    cost: int  # whole currency units


@dataclass(frozen=True)
class RateRow:
    dimension: str
    value: str
    contacts: int
    orders: int
    per_1000_orders: float | None
    top_reason: str
    top_reason_contacts: int


@dataclass(frozen=True)
class SpikeRow:
    label: str
    reason: str
    dimension: str
    value: str
    onset: str
    first_alert_day: str
    last_alert_day: str
    observed: int
    expected: float
    ratio: float
    severity: str
    q_value: float
    explanation: str


@dataclass(frozen=True)
class ThemeRow:
    theme: int
    keywords: tuple[str, ...]
    size: int
    recent: int
    previous: int
    growth_pct: int | None
    top_reason: str
    quote: str
    language: str = ""


@dataclass(frozen=True)
class CostRow:
    reason: str
    sku: str
    tickets: int
    refunds: str  # Decimal as text, two places
    replacements: str
    discounts: str
    total: str


@dataclass(frozen=True)
class DayPoint:
    day: str
    contacts: int
    orders: int


@dataclass
class ReportData:
    title: str
    period_start: str
    period_end: str
    currency: str
    orders: int
    tickets: int
    contacts: int  # tickets with a contact reason
    per_1000_orders: float | None
    cost_total: int
    theme_window_days: int
    scan_days: int
    files: list[FileSummary] = field(default_factory=list)
    import_errors: list[ImportProblem] = field(default_factory=list)
    reasons: list[ReasonRow] = field(default_factory=list)
    rates: dict[str, list[RateRow]] = field(default_factory=dict)  # dimension → rows
    spikes: list[SpikeRow] = field(default_factory=list)
    themes: list[ThemeRow] = field(default_factory=list)
    cost: list[CostRow] = field(default_factory=list)
    daily: list[DayPoint] = field(default_factory=list)
    note_md: str = ""  # the leadership note of the last complete week
    notes: list[str] = field(default_factory=list)  # how the data was prepared
