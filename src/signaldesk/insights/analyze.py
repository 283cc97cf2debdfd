"""``signaldesk analyze``: the whole insight report from export files, for teams that keep their
helpdesk. The CLI points Django at a temporary SQLite database first; this module runs the same
services as the live product over it:

import (intake.importers) → taxonomy, tag mappings, classifier (the steps of `demo setup`) →
triage of every ticket → rollups of every day → spike scan of the last days, day by day →
themes → the leadership note of the last complete week → ReportData → files (insights.report).
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import time
from collections import Counter, defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path

from django.conf import settings
from django.db.models import Max, Min, Sum

from signaldesk.core.audit import Actor
from signaldesk.core.errors import SignalDeskError, ValidationError
from signaldesk.demo.setup_steps import BarFactory, no_bar
from signaldesk.insights.analyze_inputs import AnalyzeInputs, check_inputs
from signaldesk.insights.note.facts import ThemeFact
from signaldesk.insights.report import write_report
from signaldesk.insights.report.data import (
    CostRow,
    DayPoint,
    FileSummary,
    ImportProblem,
    RateRow,
    ReasonRow,
    ReportData,
    SpikeRow,
    ThemeRow,
)

ACTOR = Actor.system("analyze")
RATE_DIMENSIONS = ("sku", "carrier", "region", "campaign")
THEME_WINDOW_DAYS = 28
MIN_ORDERS = 30  # a segment's rate is ranked among the others from this many orders
THEME_MAX_TEXTS = 8000


@dataclass
class AnalyzeResult:
    out_dir: Path
    files: list[str]
    data: ReportData
    timings: list[tuple[str, float]] = field(default_factory=list)


class AnalyzeError(ValidationError):
    code = "analyze_failed"


def _step(
    timings: list[tuple[str, float]], log: Callable[[str], None], name: str
) -> Callable[[Callable[[], str]], None]:
    def run(fn: Callable[[], str]) -> None:
        t0 = time.perf_counter()
        detail = fn()
        seconds = time.perf_counter() - t0
        timings.append((name, seconds))
        log(f"{name}: {detail} ({seconds:.1f} s)")

    return run


def _import_files(
    inputs: AnalyzeInputs, bar: BarFactory, progress: bool
) -> tuple[list[FileSummary], list[ImportProblem]]:
    summaries: list[FileSummary] = []
    problems: list[ImportProblem] = []
    with bar("import", len(inputs.files())) as advance:
        for option, kind, path in inputs.files():
            summaries.append(_import_one(option, kind, path, progress, problems))
            advance(1)
    return summaries, problems


def _import_one(
    option: str, kind: str, path: Path, progress: bool, problems: list[ImportProblem]
) -> FileSummary:
    from signaldesk.intake.importers import run_import
    from signaldesk.intake.models import ImportRowError

    try:
        report = run_import(
            kind=kind,
            path=path,
            actor=Actor.system(f"analyze:{path.name}"[:200]),
            options={},
            progress=progress,
        )
    except SignalDeskError as exc:
        raise AnalyzeError(f"--{option} {path}: {exc.detail}") from exc
    rows = ImportRowError.objects.filter(run_id=report.run_id).order_by("line", "id")
    problems += [
        ImportProblem(report.file_name, kind, e.line, e.column, e.reason)
        for e in rows.only("line", "column", "reason")
    ]
    c = report.counts
    return FileSummary(
        kind, report.file_name, c["read"], c["created"], c["updated"], c["unchanged"],
        c["failed"], round(report.seconds, 2),
    )  # fmt: skip


def _prepare_classifier(log: Callable[[str], None]) -> str:
    from signaldesk.demo.setup_steps import (
        step_classifier,
        step_relabel,
        step_tag_mappings,
        step_taxonomy,
    )

    parts = [step_taxonomy(), step_tag_mappings(log), step_relabel(), step_classifier()]
    return "; ".join(parts)


def _triage(bar: BarFactory) -> str:
    from signaldesk.triage.selectors import ticket_ids_for_triage
    from signaldesk.triage.services import ticket_triage_many

    ids = ticket_ids_for_triage(since=None)
    with bar("triage", len(ids)) as advance:
        summary = ticket_triage_many(ticket_ids=ids, actor=ACTOR, progress=advance)
    return f"{summary.tickets:,} tickets triaged"


def data_period() -> tuple[dt.date, dt.date] | None:
    """First and last day with an order or a ticket (store time zone)."""
    from signaldesk.commerce.models import Order
    from signaldesk.signals.services import local_day
    from signaldesk.tickets.models import Ticket

    bounds = [
        Order.objects.aggregate(a=Min("created_at"), b=Max("created_at")),
        Ticket.objects.aggregate(a=Min("created_at"), b=Max("created_at")),
    ]
    firsts = [local_day(b["a"]) for b in bounds if b["a"] is not None]
    lasts = [local_day(b["b"]) for b in bounds if b["b"] is not None]
    if not firsts:
        return None
    return min(firsts), max(lasts)


def _rollups(start: dt.date, end: dt.date, bar: BarFactory) -> str:
    from signaldesk.signals.services import rollup_refresh

    days = [start + dt.timedelta(days=k) for k in range((end - start).days + 1)]
    with bar("rollups", len(days)) as advance:
        for day in days:
            rollup_refresh(days=[day])
            advance(1)
    return f"{len(days)} days"


def _scan(end: dt.date, scan_days: int, bar: BarFactory) -> str:
    from signaldesk.signals.scan import signals_scan

    days = [end - dt.timedelta(days=k) for k in range(scan_days - 1, -1, -1)]
    scanned = 0
    with bar("spike scan", len(days)) as advance:
        for day in days:
            result = signals_scan(as_of=day, actor=ACTOR)
            scanned += 0 if result.skipped else 1
            advance(1)
    return f"{scanned} of {len(days)} days scanned (the others lack history)"


def _themes(end: dt.date) -> list[ThemeFact]:
    from signaldesk.insights.reasons import reason_info
    from signaldesk.insights.themes import theme_facts, ticket_texts

    texts = ticket_texts(
        since=end - dt.timedelta(days=2 * THEME_WINDOW_DAYS - 1), until=end, limit=THEME_MAX_TEXTS
    )
    return theme_facts(
        texts, as_of=end, window_days=THEME_WINDOW_DAYS, info=reason_info(), only_moving=False
    )


def _theme_rows(facts: list[ThemeFact]) -> list[ThemeRow]:
    return [
        ThemeRow(i + 1, t.keywords, t.size, t.recent, t.previous, t.growth_pct,
                 t.reason_label or "–", t.quote, t.language)
        for i, t in enumerate(facts)
    ]  # fmt: skip


def _rate(contacts: int, orders: int) -> float | None:
    return None if orders <= 0 else round(1000.0 * contacts / orders, 1)


def _reasons(start: dt.date, end: dt.date, orders: int) -> list[ReasonRow]:
    from signaldesk.insights.reasons import reason_info, reason_of
    from signaldesk.signals.models import ContactRollup, CostRollup

    info = reason_info()
    contacts = dict(
        ContactRollup.objects.filter(dimension="all", day__gte=start, day__lte=end)
        .values("reason")
        .annotate(n=Sum("contacts"))
        .values_list("reason", "n")
    )
    cost: dict[str, Decimal] = defaultdict(Decimal)
    for row in (
        CostRollup.objects.filter(day__gte=start, day__lte=end)
        .values("reason")
        .annotate(r=Sum("refunds"), p=Sum("replacements"), d=Sum("discounts"))
    ):
        parts = (row["r"], row["p"], row["d"])
        cost[row["reason"]] += sum((Decimal(x or 0) for x in parts), Decimal(0))
    total = sum(contacts.values()) or 1
    rows = []
    for reason, n in contacts.items():
        ri = reason_of(info, reason)
        rows.append(
            ReasonRow(reason, ri.label, ri.owner_team, int(n), round(100.0 * n / total, 1),
                      _rate(int(n), orders), int(cost[reason].quantize(Decimal(1))))
        )  # fmt: skip
    rows.sort(key=lambda r: (-r.contacts, r.reason))
    return rows


def _rates(start: dt.date, end: dt.date) -> dict[str, list[RateRow]]:
    from signaldesk.signals.selectors import contact_rates

    out: dict[str, list[RateRow]] = {}
    for dim in RATE_DIMENSIONS:
        per_value: dict[str, Counter[str]] = defaultdict(Counter)
        orders: dict[str, int] = {}
        for r in contact_rates(dimension=dim, since=start, until=end):
            per_value[r.value][r.reason] += r.contacts
            orders[r.value] = r.orders
        rows = []
        for value, by_reason in per_value.items():
            n = sum(by_reason.values())
            top, top_n = min(by_reason.items(), key=lambda kv: (-kv[1], kv[0]))
            rows.append(RateRow(dim, value, n, orders[value], _rate(n, orders[value]), top, top_n))
        # segments with too few orders for a stable rate go last
        rows.sort(
            key=lambda r: (r.orders < MIN_ORDERS, -(r.per_1000_orders or 0.0), -r.contacts, r.value)
        )
        out[dim] = rows
    return out


def _spikes() -> list[SpikeRow]:
    from signaldesk.signals.models import SpikeAlert

    return [
        SpikeRow(a.segment_label, a.reason, a.dimension, a.value, a.onset.isoformat(),
                 a.first_alert_day.isoformat(), a.last_alert_day.isoformat(), a.observed,
                 round(a.expected, 1), round(a.ratio, 1), a.severity, round(a.q_value, 6),
                 a.explanation)
        for a in SpikeAlert.objects.filter(primary=True).order_by("first_alert_day", "id")
    ]  # fmt: skip


def _cost_rows(start: dt.date, end: dt.date) -> list[CostRow]:
    from signaldesk.signals.models import CostRollup

    rows = []
    q = Decimal("0.01")
    for r in (
        CostRollup.objects.filter(day__gte=start, day__lte=end)
        .values("reason", "sku")
        .annotate(t=Sum("tickets"), r=Sum("refunds"), p=Sum("replacements"), d=Sum("discounts"))
    ):
        refunds, replacements, discounts = (
            Decimal(x or 0).quantize(q) for x in (r["r"], r["p"], r["d"])
        )
        total = refunds + replacements + discounts
        if total > 0:
            rows.append(
                CostRow(r["reason"], r["sku"] or "–", int(r["t"]), str(refunds),
                        str(replacements), str(discounts), str(total))
            )  # fmt: skip
    rows.sort(key=lambda c: (-Decimal(c.total), c.reason, c.sku))
    return rows


def _daily(start: dt.date, end: dt.date) -> list[DayPoint]:
    from signaldesk.signals.models import ContactRollup, ExposureRollup

    contacts = dict(
        ContactRollup.objects.filter(dimension="all", day__gte=start, day__lte=end)
        .values("day")
        .annotate(n=Sum("contacts"))
        .values_list("day", "n")
    )
    orders = dict(
        ExposureRollup.objects.filter(dimension="all", day__gte=start, day__lte=end).values_list(
            "day", "orders"
        )
    )
    days = [start + dt.timedelta(days=k) for k in range((end - start).days + 1)]
    return [DayPoint(d.isoformat(), int(contacts.get(d, 0)), int(orders.get(d, 0))) for d in days]


def _note(end: dt.date, themes: list[ThemeFact]) -> str:
    """The leadership note of the last complete week, with the report's moving themes."""
    from signaldesk.insights.gather import last_complete_week, store_facts
    from signaldesk.insights.note import draft_note
    from signaldesk.insights.themes import is_moving

    ws, _ = last_complete_week(end + dt.timedelta(days=1))
    store = store_facts(week_start=ws, themes=False)
    moving = tuple(t for t in themes if any(is_moving(t.recent, t.previous)))
    store = dataclasses.replace(
        store,
        themes=moving,
        theme_window_days=THEME_WINDOW_DAYS,
        caveats=tuple(c for c in store.caveats if "action tracker" not in c),
    )
    _facts, body = draft_note(store, "leadership")
    return body


def analyze_run(
    inputs: AnalyzeInputs,
    out_dir: Path,
    *,
    scan_days: int = 28,
    bar: BarFactory = no_bar,
    log: Callable[[str], None] = print,
    import_progress: bool = False,
    title: str = "Customer contact insight report",
) -> AnalyzeResult:
    """Run the whole pipeline on the configured (temporary) database and write the report."""
    from signaldesk.commerce.models import Order
    from signaldesk.tickets.models import Ticket

    problems = check_inputs(inputs)
    if problems:
        raise AnalyzeError("; ".join(problems))
    timings: list[tuple[str, float]] = []
    files: list[FileSummary] = []
    errors: list[ImportProblem] = []

    def do_import() -> str:
        found, errs = _import_files(inputs, bar, import_progress)
        files.extend(found)
        errors.extend(errs)
        return ", ".join(f"{f.kind} {f.read:,} read, {f.failed:,} failed" for f in found)

    _step(timings, log, "import")(do_import)
    period = data_period()
    if period is None:
        raise AnalyzeError("The files hold no orders and no tickets: nothing to analyse.")
    start, end = period
    _step(timings, log, "classifier")(lambda: _prepare_classifier(log))
    _step(timings, log, "triage")(lambda: _triage(bar))
    _step(timings, log, "rollups")(lambda: _rollups(start, end, bar))
    _step(timings, log, "spike scan")(lambda: _scan(end, scan_days, bar))
    themes: list[ThemeFact] = []

    def do_themes() -> str:
        themes.extend(_themes(end))
        return f"{len(themes)} themes"

    _step(timings, log, "themes")(do_themes)
    orders = Order.objects.count()
    reasons = _reasons(start, end, orders)
    contacts = sum(r.contacts for r in reasons)
    data = ReportData(
        title=title,
        period_start=start.isoformat(),
        period_end=end.isoformat(),
        currency=str(getattr(settings, "SIGNALDESK_STORE_CURRENCY", "EUR")),
        orders=orders,
        tickets=Ticket.objects.filter(merged_into__isnull=True).count(),
        contacts=contacts,
        per_1000_orders=_rate(contacts, orders),
        cost_total=sum(r.cost for r in reasons),
        theme_window_days=THEME_WINDOW_DAYS,
        scan_days=scan_days,
        files=files,
        import_errors=errors,
        reasons=reasons,
        rates=_rates(start, end),
        spikes=_spikes(),
        themes=_theme_rows(themes),
        cost=_cost_rows(start, end),
        daily=_daily(start, end),
        note_md=_note(end, themes),
        notes=[
            "Contact reasons: the tag mappings proposed from the helpdesk's own tags (approved "
            "above 0.6 confidence) and the classifier trained from them label every ticket.",
            "Rates count tickets per 1,000 orders created in the same days; a ticket counts "
            "under the SKU, carrier, region and campaign of the order it was matched to.",
            f"Spikes: the daily scan run for each of the last {scan_days} days in order; "
            "a day needs 3 weeks of history before it can be scanned.",
        ],
    )
    t0 = time.perf_counter()
    written = write_report(data, out_dir)
    timings.append(("write report", time.perf_counter() - t0))
    log(f"report: {len(written)} files in {out_dir}")
    return AnalyzeResult(out_dir, written, data, timings)
