"""The audiences, their reason groups and the Builder: shared pieces of every dashboard
(service cells, rate tables, cost tables, volume charts) over the selectors."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import replace
from typing import Any

from django.conf import settings

from signaldesk.dashboards.drill import DrillSpec
from signaldesk.dashboards.metrics.charts import bar_chart, sparkline
from signaldesk.dashboards.metrics.trends import trend
from signaldesk.dashboards.selectors import (
    Period,
    ServiceStats,
)
from signaldesk.dashboards.selectors_cost import cost_by
from signaldesk.dashboards.selectors_segments import (
    SegmentRate,
    contacts_daily,
    segment_rates,
)
from signaldesk.dashboards.view_models import (
    Cell,
    Chart,
    Kpi,
    Table,
    minutes,
    money,
    num,
    pct,
)

PRODUCT_REASONS = (
    "damaged_item",
    "quality_issue",
    "sizing",
    "fit",
    "wrong_item",
    "missing_item",
    "product_instructions",
    "expectation_mismatch",
    "warranty_request",
)
DELIVERY_REASONS = (
    "delivery_delay",
    "failed_delivery",
    "wrong_address",
    "lost_parcel",
    "damaged_parcel",
    "order_status",
)
ECOMMERCE_REASONS = (
    "discount_code",
    "payment_issue",
    "checkout_problem",
    "account_issue",
    "stock_availability",
    "preorder",
    "back_in_stock",
    "substitution",
)
CONFUSION_REASONS = (
    "order_status",
    "refund_status",
    "return_request",
    "exchange_request",
    "product_instructions",
    "expectation_mismatch",
    "cancellation",
    "subscription_change",
)

AUDIENCES: dict[str, tuple[str, str]] = {
    "support": (
        "Support",
        "Queue health: volume, response and resolution times, backlog, SLA, "
        "CSAT, reopens and repeat contacts.",
    ),
    "product": ("Product", "Quality by SKU, size, batch and supplier; review impact."),
    "operations": ("Operations", "Delivery issues by carrier, warehouse and region."),
    "ecommerce": (
        "Ecommerce",
        "Checkout, promo codes and payment issues by campaign, code and order source.",
    ),
    "lifecycle": (
        "Lifecycle",
        "Post-purchase confusion, marketing suppression and lost repeat purchase.",
    ),
    "leadership": (
        "Leadership",
        "Top issues by cost and trend, open alerts and root-cause actions.",
    ),
}


def currency() -> str:
    return str(getattr(settings, "SIGNALDESK_CURRENCY", "EUR"))


class Builder:
    def __init__(
        self, period: Period, *, drill: bool, user: Any = None, role: str | None = None
    ) -> None:
        self.p = period
        self.drill = drill
        self.user = user
        self.role = role

    def spec(
        self,
        metric: str,
        *,
        reasons: Sequence[str] = (),
        dim: str = "",
        value: str = "",
        channel: str | None = None,
        since: dt.date | None = None,
    ) -> DrillSpec | None:
        if not self.drill:
            return None
        rs = (self.p.reason,) if self.p.reason else tuple(reasons)
        return DrillSpec(
            metric,
            since or self.p.since,
            self.p.until,
            self.p.channel if channel is None else channel,
            rs,
            dim,
            value,
        )

    # -- shared pieces ------------------------------------------------------------------

    def service_cells(
        self, s: ServiceStats, reasons: Sequence[str] = (), channel: str | None = None
    ) -> list[Cell]:
        def d(metric: str) -> DrillSpec | None:
            return self.spec(metric, reasons=reasons, channel=channel)

        return [
            Cell(s.created, num(s.created), d("created")),
            Cell(s.frt_median, minutes(s.frt_median), d("responded")),
            Cell(s.resolution_median, minutes(s.resolution_median), d("resolved")),
            Cell(s.sla_rate, pct(s.sla_rate), d("sla_breached")),
            Cell(s.reopen_rate, pct(s.reopen_rate), d("reopened")),
            Cell(s.repeat_rate, pct(s.repeat_rate), d("repeat")),
            Cell(s.csat_rate, pct(s.csat_rate), d("csat_bad")),
        ]

    def rate_table(
        self,
        key: str,
        title: str,
        dimension: str,
        reasons: Sequence[str] | None,
        *,
        units: bool = False,
        limit: int = 15,
    ) -> Table:
        rows: list[SegmentRate] = segment_rates(
            dimension=dimension, period=self.p, reasons=reasons, limit=limit, by_units=units
        )
        base = "units" if units else "orders"
        cols = [
            dimension.replace("_", " ").capitalize(),
            "Contacts",
            f"{base.capitalize()}",
            f"Per 1,000 {base}",
            "Week over week",
        ]
        out = []
        for r in rows:
            rate = r.per_1000_units if units else r.per_1000_orders
            spec = self.spec(
                "contacts",
                reasons=reasons or (),
                dim=dimension,
                value=r.value,
                channel="" if dimension != "channel" else None,
            )
            if dimension == "channel":
                spec = spec and replace(spec, channel="")
            out.append(
                [
                    Cell(r.value, r.value),
                    Cell(r.contacts, num(r.contacts), spec),
                    Cell(r.units if units else r.orders, num(r.units if units else r.orders)),
                    Cell(rate, num(rate, 2)),
                    Cell(r.trend, pct(r.trend.change), trend=r.trend),
                ]
            )
        note = (
            ""
            if not self.p.channel or dimension == "channel"
            else (
                "The channel filter does not apply here: segment rollups are not split by channel."
            )
        )
        return Table(key, title, cols, out, note)

    def cost_table(self, key: str, title: str, by: str, reasons: Sequence[str] | None) -> Table:
        cur = currency()
        rows = cost_by(by=by, period=self.p, reasons=reasons)
        cols = [
            by.upper() if by == "sku" else "Reason",
            "Tickets",
            "Refunds",
            "Replacements",
            "Discounts",
            "Handling (min)",
            "Handling cost",
            "Total",
            "Week over week",
        ]
        out = []
        for r in rows:
            spec = (
                self.spec("cost", dim="sku", value=r.key, reasons=reasons or (), channel="")
                if by == "sku"
                else self.spec("cost", reasons=(r.key,), channel="")
            )
            out.append(
                [
                    Cell(r.key, r.key or "(no SKU)"),
                    Cell(r.tickets, num(r.tickets), spec),
                    Cell(r.refunds, money(r.refunds, cur)),
                    Cell(r.replacements, money(r.replacements, cur)),
                    Cell(r.discounts, money(r.discounts, cur)),
                    Cell(r.handling_minutes, num(r.handling_minutes)),
                    Cell(r.handling_cost, money(r.handling_cost, cur)),
                    Cell(r.total, money(r.total, cur)),
                    Cell(r.trend, pct(r.trend.change), trend=r.trend),
                ]
            )
        return Table(
            key,
            title,
            cols,
            out,
            "Channel filter does not apply to cost." if self.p.channel else "",
        )

    def volume_chart(self, reasons: Sequence[str] | None, title: str) -> tuple[Chart, list[int]]:
        daily = contacts_daily(self.p, reasons)
        values = list(daily.values())
        labels = [d.isoformat() for d in daily]
        return Chart(
            "volume", title, bar_chart(values, labels), bar_label="contacts per day"
        ), values

    def wow_kpi(self, key: str, label: str, reasons: Sequence[str] | None, spark: list[int]) -> Kpi:
        last, prev = sum(spark[-7:]), sum(spark[-14:-7])
        t = trend(float(last), float(prev))
        return Kpi(
            key,
            label,
            Cell(
                last,
                num(last),
                self.spec(
                    "contacts", reasons=reasons or (), since=self.p.until - dt.timedelta(days=6)
                ),
                t,
            ),
            sparkline(spark),
        )
