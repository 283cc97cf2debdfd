"""Reads of the cost of issues (CostRollup + HandlingRollup), review impact (ReviewRollup) and
lost repeat purchase (RepurchaseRollup) for the dashboards."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.db.models import Sum

from signaldesk.dashboards.metrics.repurchase import Cell, RepurchaseComparison, compare
from signaldesk.dashboards.metrics.trends import Trend, share, trend
from signaldesk.dashboards.models import HandlingRollup, RepurchaseRollup, ReviewRollup
from signaldesk.dashboards.selectors import Period
from signaldesk.dashboards.selectors_segments import Windows, _in, _reasons, _rows, _span, _windows
from signaldesk.signals.models import CostRollup

# ---- cost of issues ---------------------------------------------------------------------


@dataclass(frozen=True)
class CostRow:
    key: str
    tickets: int
    refunds: Decimal
    replacements: Decimal
    discounts: Decimal
    handling_minutes: float
    handling_cost: Decimal
    total: Decimal
    trend: Trend  # weekly total cost, last 7 days vs the 7 before


def handling_cost_per_hour() -> Decimal:
    return Decimal(str(getattr(settings, "SIGNALDESK_HANDLING_COST_PER_HOUR", "30.00")))


@dataclass
class _CostSum:
    tickets: int = 0
    refunds: Decimal = field(default_factory=Decimal)
    replacements: Decimal = field(default_factory=Decimal)
    discounts: Decimal = field(default_factory=Decimal)
    minutes: float = 0.0

    def totals(self, rate: Decimal) -> tuple[Decimal, Decimal]:
        """(handling cost, total cost) in money."""
        handling = _money(Decimal(str(self.minutes)) / 60 * rate)
        total = _money(self.refunds) + _money(self.replacements) + _money(self.discounts)
        return handling, total + handling


def _money(value: object) -> Decimal:
    return Decimal(str(value or 0)).quantize(Decimal("0.01"))


def _cost_sums(
    by: str, windows: Windows, reasons: Sequence[str] | None
) -> dict[str, dict[str, _CostSum]]:
    """{window: {key: sums}}: one query on CostRollup and one on HandlingRollup."""
    lo, hi = _span(windows)
    qs = CostRollup.objects.filter(day__gte=lo, day__lte=hi)
    hq = HandlingRollup.objects.filter(day__gte=lo, day__lte=hi)
    if reasons is not None:
        qs, hq = qs.filter(reason__in=list(reasons)), hq.filter(reason__in=list(reasons))
    money_sums: dict[str, Any] = {}
    minute_sums: dict[str, Any] = {}
    for w, span in windows.items():
        f = _in(span)
        money_sums |= {
            f"{w}_t": Sum("tickets", filter=f),
            f"{w}_rf": Sum("refunds", filter=f),
            f"{w}_rp": Sum("replacements", filter=f),
            f"{w}_d": Sum("discounts", filter=f),
        }
        minute_sums[f"{w}_m"] = Sum("handling_minutes", filter=f)
    out: dict[str, dict[str, _CostSum]] = {w: defaultdict(_CostSum) for w in windows}
    for r in _rows(qs.values(by).annotate(**money_sums)):
        for w in windows:
            if r[f"{w}_t"]:
                c = out[w][r[by]]
                c.tickets, c.refunds = int(r[f"{w}_t"]), _money(r[f"{w}_rf"])
                c.replacements, c.discounts = _money(r[f"{w}_rp"]), _money(r[f"{w}_d"])
    for r in _rows(hq.values(by).annotate(**minute_sums)):
        for w in windows:
            if r[f"{w}_m"] is not None:
                out[w][r[by]].minutes = float(r[f"{w}_m"])
    return out


def cost_by(
    *, by: str, period: Period, reasons: Sequence[str] | None = None, limit: int = 15
) -> list[CostRow]:
    """Cost of issues per 'reason' or 'sku': refunds, replacements, discounts (CostRollup) and
    estimated handling time priced at SIGNALDESK_HANDLING_COST_PER_HOUR; largest total first.
    The channel filter does not apply (cost rollups are not split by channel)."""
    rs = _reasons(period, reasons)
    rate = handling_cost_per_hour()
    windows = _cost_sums(by, _windows(period), rs)
    sums, last_s, prev_s = windows["period"], windows["last"], windows["prev"]
    out = []
    for key, s in sums.items():
        handling, total = s.totals(rate)
        weekly = trend(
            float(last_s[key].totals(rate)[1]) if key in last_s else 0.0,
            float(prev_s[key].totals(rate)[1]) if key in prev_s else 0.0,
        )
        out.append(
            CostRow(
                key,
                s.tickets,
                s.refunds,
                s.replacements,
                s.discounts,
                round(s.minutes, 1),
                handling,
                total,
                weekly,
            )
        )
    out.sort(key=lambda r: (-r.total, -r.tickets, r.key))
    return out[:limit]


# ---- reviews ----------------------------------------------------------------------------


@dataclass(frozen=True)
class ReviewImpact:
    sku: str
    reviews: int
    avg_rating: float | None
    prev_avg_rating: float | None
    low_share: float | None
    themes: list[tuple[str, int]]


def review_impact(*, period: Period, skus: Sequence[str]) -> list[ReviewImpact]:
    """Ratings and unhappy-review themes of these SKUs in the period vs the period before."""
    prev = period.previous()

    def load(p: Period) -> dict[str, list[dict[str, Any]]]:
        rows: dict[str, list[dict[str, Any]]] = defaultdict(list)
        for r in ReviewRollup.objects.filter(
            sku__in=list(skus), day__gte=p.since, day__lte=p.until
        ).values("sku", "reviews", "rating_sum", "low_ratings", "themes"):
            rows[str(r["sku"])].append(dict(r))
        return rows

    now_rows, prev_rows = load(period), load(prev)
    out = []
    for sku in skus:
        rows = now_rows.get(sku, [])
        n = sum(int(r["reviews"]) for r in rows)
        total = sum(int(r["rating_sum"]) for r in rows)
        low = sum(int(r["low_ratings"]) for r in rows)
        pn = sum(int(r["reviews"]) for r in prev_rows.get(sku, []))
        pt = sum(int(r["rating_sum"]) for r in prev_rows.get(sku, []))
        themes: dict[str, int] = defaultdict(int)
        for r in rows:
            for theme, count in dict(r["themes"]).items():
                themes[theme] += int(count)
        out.append(
            ReviewImpact(
                sku,
                n,
                None if n == 0 else round(total / n, 2),
                None if pn == 0 else round(pt / pn, 2),
                share(low, n),
                sorted(themes.items(), key=lambda kv: (-kv[1], kv[0]))[:3],
            )
        )
    return out


# ---- lost repeat purchase ---------------------------------------------------------------


def repurchase_cells(*, since: dt.date | None = None, until: dt.date | None = None) -> list[Cell]:
    qs = RepurchaseRollup.objects.all()
    if since is not None:
        qs = qs.filter(month__gte=since.replace(day=1))
    if until is not None:
        qs = qs.filter(month__lte=until)
    return [
        Cell(r.first_order_month, r.order_band, r.had_issue, r.customers, r.repurchased)
        for r in qs.order_by("month", "first_order_month", "order_band", "had_issue")
    ]


def repurchase_by_month() -> list[tuple[dt.date, RepurchaseComparison]]:
    months: dict[dt.date, list[Cell]] = defaultdict(list)
    for r in RepurchaseRollup.objects.order_by("month"):
        months[r.month].append(
            Cell(r.first_order_month, r.order_band, r.had_issue, r.customers, r.repurchased)
        )
    return [(month, compare(cells)) for month, cells in sorted(months.items())]
