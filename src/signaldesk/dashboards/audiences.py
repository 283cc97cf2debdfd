"""The six dashboards. Each builder reads selectors (rollups only) and returns a Dashboard."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import replace
from decimal import Decimal
from typing import Any

from django.conf import settings

from signaldesk.dashboards import hooks
from signaldesk.dashboards.builder import (
    AUDIENCES,
    CONFUSION_REASONS,
    DELIVERY_REASONS,
    ECOMMERCE_REASONS,
    PRODUCT_REASONS,
    Builder,
    currency,
)
from signaldesk.dashboards.metrics.charts import bar_chart, sparkline
from signaldesk.dashboards.metrics.trends import trend
from signaldesk.dashboards.selectors import (
    Period,
    backlog_by,
    backlog_daily,
    service_rows,
)
from signaldesk.dashboards.selectors_cost import repurchase_by_month, review_impact
from signaldesk.dashboards.selectors_segments import (
    reason_rates,
)
from signaldesk.dashboards.view_models import (
    Cell,
    Chart,
    Dashboard,
    Kpi,
    Table,
    minutes,
    money,
    num,
    pct,
)


def support(b: Builder) -> Dashboard:
    p = b.p
    dash = Dashboard("support", *AUDIENCES["support"])
    svc = service_rows(p)
    total, last, prev = svc.stats(p), svc.stats(p.last_week()), svc.stats(p.prev_week())
    by_day = svc.grouped(p, "day")
    backlog = backlog_daily(p)
    created_series = [by_day[d].created if d in by_day else 0 for d in p.days]
    end_backlog = backlog[p.until]
    week_ago = backlog.get(p.until - dt.timedelta(days=7))
    kpis = [
        (
            "created",
            "Tickets created",
            total.created,
            num(total.created),
            "created",
            trend(last.created, prev.created),
            sparkline(created_series),
        ),
        (
            "frt",
            "First response (median)",
            total.frt_median,
            minutes(total.frt_median),
            "responded",
            trend(last.frt_median, prev.frt_median),
            "",
        ),
        (
            "frt_p90",
            "First response (p90)",
            total.frt_p90,
            minutes(total.frt_p90),
            "responded",
            trend(last.frt_p90, prev.frt_p90),
            "",
        ),
        (
            "resolution",
            "Resolution (median)",
            total.resolution_median,
            minutes(total.resolution_median),
            "resolved",
            trend(last.resolution_median, prev.resolution_median),
            "",
        ),
        (
            "backlog",
            f"Backlog at end of {p.until}",
            end_backlog,
            num(end_backlog),
            "open",
            trend(end_backlog, week_ago),
            sparkline(list(backlog.values())),
        ),
        (
            "sla",
            "First-response SLA met",
            total.sla_rate,
            pct(total.sla_rate),
            "sla_breached",
            trend(last.sla_rate, prev.sla_rate),
            "",
        ),
        (
            "csat",
            "CSAT (good share)",
            total.csat_rate,
            pct(total.csat_rate),
            "csat_bad",
            trend(last.csat_rate, prev.csat_rate),
            "",
        ),
        (
            "reopen",
            "Reopen rate",
            total.reopen_rate,
            pct(total.reopen_rate),
            "reopened",
            trend(last.reopen_rate, prev.reopen_rate),
            "",
        ),
        (
            "repeat",
            "Repeat contacts (7 days)",
            total.repeat_rate,
            pct(total.repeat_rate),
            "repeat",
            trend(last.repeat_rate, prev.repeat_rate),
            "",
        ),
    ]
    for key, label, value, text, metric, t, spark in kpis:
        dash.kpis.append(Kpi(key, label, Cell(value, text, b.spec(metric), t), spark))
    if total.nps is not None:
        dash.kpis.append(Kpi("nps", "NPS", Cell(total.nps, num(total.nps, 1))))
    dash.charts.append(
        Chart(
            "created",
            "Tickets created per day, backlog line",
            bar_chart(created_series, [d.isoformat() for d in p.days]),
            sparkline(list(backlog.values()), width=640, height=120),
            "backlog",
            "created",
        )
    )
    cols = [
        "",
        "Created",
        "First response (median)",
        "Resolution (median)",
        "SLA met",
        "Reopen rate",
        "Repeat contacts",
        "CSAT",
        "Open now",
    ]
    open_by_reason = backlog_by(p.until, p, "reason")
    rows = []
    for reason, s in sorted(svc.grouped(p, "reason").items(), key=lambda kv: -kv[1].created):
        r = str(reason)
        open_n = open_by_reason.get(r, 0)
        rows.append(
            [
                Cell(r, r or "(no reason)"),
                *b.service_cells(s, reasons=(r,)),
                Cell(open_n, num(open_n), b.spec("open", reasons=(r,))),
            ]
        )
    dash.tables.append(Table("by_reason", "By contact reason", cols, rows))
    open_by_channel = backlog_by(p.until, p, "channel")
    rows = []
    for channel, s in sorted(svc.grouped(p, "channel").items(), key=lambda kv: -kv[1].created):
        c = str(channel)
        open_n = open_by_channel.get(c, 0)
        rows.append(
            [
                Cell(c, c),
                *b.service_cells(s, channel=c),
                Cell(open_n, num(open_n), b.spec("open", channel=c)),
            ]
        )
    dash.tables.append(Table("by_channel", "By channel", cols, rows))
    dash.notes.append(
        "Times are per cohort (tickets created in the period); medians and p90 come from "
        "fixed-bucket histograms (interpolated). SLA without a clock: first response within "
        f"{int(getattr(settings, 'SIGNALDESK_DASHBOARD_FRT_TARGET_MINUTES', 1440))} minutes."
    )
    return dash


def product(b: Builder) -> Dashboard:
    dash = Dashboard("product", *AUDIENCES["product"])
    chart, series = b.volume_chart(PRODUCT_REASONS, "Product-issue contacts per day")
    dash.kpis.append(
        b.wow_kpi("contacts_week", "Product-issue contacts, last 7 days", PRODUCT_REASONS, series)
    )
    dash.charts.append(chart)
    skus = b.rate_table(
        "sku", "Contact rate by SKU (per 1,000 units shipped)", "sku", PRODUCT_REASONS, units=True
    )
    dash.tables += [
        skus,
        b.rate_table("size", "By size / variant", "size", PRODUCT_REASONS, units=True),
        b.rate_table("batch", "By batch", "batch", PRODUCT_REASONS, units=True),
        b.rate_table("supplier", "By supplier", "supplier", PRODUCT_REASONS, units=True),
    ]
    top = [str(row[0].value) for row in skus.rows[:10]]
    rows = []
    for r in review_impact(period=b.p, skus=top):
        themes = ", ".join(f"{t} ({n})" for t, n in r.themes) or "—"
        rows.append(
            [
                Cell(r.sku, r.sku),
                Cell(r.reviews, num(r.reviews)),
                Cell(r.avg_rating, num(r.avg_rating, 2)),
                Cell(r.prev_avg_rating, num(r.prev_avg_rating, 2)),
                Cell(r.low_share, pct(r.low_share)),
                Cell(themes, themes),
            ]
        )
    dash.tables.append(
        Table(
            "reviews",
            "Review impact of the SKUs with issues",
            [
                "SKU",
                "Reviews",
                "Avg rating",
                "Previous period",
                "1–2★ share",
                "Themes of ≤3★ reviews",
            ],
            rows,
        )
    )
    return dash


def operations(b: Builder) -> Dashboard:
    dash = Dashboard("operations", *AUDIENCES["operations"])
    chart, series = b.volume_chart(DELIVERY_REASONS, "Delivery-issue contacts per day")
    dash.kpis.append(
        b.wow_kpi("contacts_week", "Delivery contacts, last 7 days", DELIVERY_REASONS, series)
    )
    dash.charts.append(chart)
    dash.tables += [
        b.rate_table(
            "carrier_region",
            "By carrier × region (per 1,000 orders)",
            "carrier_region",
            DELIVERY_REASONS,
        ),
        b.rate_table("carrier", "By carrier", "carrier", DELIVERY_REASONS),
        b.rate_table("warehouse", "By warehouse", "warehouse", DELIVERY_REASONS),
    ]
    return dash


def ecommerce(b: Builder) -> Dashboard:
    dash = Dashboard("ecommerce", *AUDIENCES["ecommerce"])
    chart, series = b.volume_chart(
        ECOMMERCE_REASONS, "Checkout, promo and payment contacts per day"
    )
    dash.kpis.append(
        b.wow_kpi("contacts_week", "Site contacts, last 7 days", ECOMMERCE_REASONS, series)
    )
    dash.charts.append(chart)
    dash.tables += [
        b.rate_table("campaign", "By campaign (per 1,000 orders)", "campaign", ECOMMERCE_REASONS),
        b.rate_table("discount_code", "By discount code", "discount_code", ECOMMERCE_REASONS),
        b.rate_table("source", "By order source (web, app, …)", "source", ECOMMERCE_REASONS),
        b.rate_table("channel", "By contact channel", "channel", ECOMMERCE_REASONS),
    ]
    return dash


def lifecycle(b: Builder) -> Dashboard:
    dash = Dashboard("lifecycle", *AUDIENCES["lifecycle"])
    chart, series = b.volume_chart(CONFUSION_REASONS, "Post-purchase confusion contacts per day")
    dash.kpis.append(
        b.wow_kpi(
            "contacts_week", "Post-purchase confusion, last 7 days", CONFUSION_REASONS, series
        )
    )
    supp = hooks.suppression_counts(b.p.since, b.p.until)
    dash.kpis.append(
        Kpi(
            "suppressed",
            "Customers suppressed from marketing now",
            Cell(supp.active, num(supp.active)),
            help=f"{supp.started} started in the period",
        )
    )
    dash.charts.append(chart)
    rows = []
    for r in reason_rates(period=b.p, reasons=CONFUSION_REASONS):
        rows.append(
            [
                Cell(r.value, r.value),
                Cell(r.contacts, num(r.contacts), b.spec("contacts", reasons=(r.value,))),
                Cell(r.orders, num(r.orders)),
                Cell(r.per_1000_orders, num(r.per_1000_orders, 2)),
                Cell(r.trend, pct(r.trend.change), trend=r.trend),
            ]
        )
    dash.tables.append(
        Table(
            "confusion",
            "Post-purchase confusion by reason",
            ["Reason", "Contacts", "Orders", "Per 1,000 orders", "Week over week"],
            rows,
        )
    )
    rows = []
    for month, c in repurchase_by_month():
        rows.append(
            [
                Cell(month.isoformat(), month.strftime("%Y-%m")),
                Cell(c.issue_customers, num(c.issue_customers)),
                Cell(c.issue_rate, pct(c.issue_rate)),
                Cell(c.comparison_customers, num(c.comparison_customers)),
                Cell(c.comparison_rate, pct(c.comparison_rate)),
                Cell(c.difference, pct(c.difference)),
                Cell(c.lost_repurchases, num(c.lost_repurchases, 1)),
            ]
        )
    dash.tables.append(
        Table(
            "repurchase",
            "90-day repurchase: customers with an issue vs comparable customers",
            [
                "Anchor month",
                "Customers with an issue",
                "Repurchase rate",
                "Comparison customers",
                "Matched comparison rate",
                "Difference",
                "Lost repeat purchases",
            ],
            rows,
            "Only customers whose 90-day window has ended; comparison = same first-order month and "
            "order-count band, weighted like the issue group. Not filtered by period or channel.",
        )
    )
    return dash


def leadership(b: Builder) -> Dashboard:
    dash = Dashboard("leadership", *AUDIENCES["leadership"])
    cost = b.cost_table("cost_by_reason", "Top issues by cost", "reason", None)
    dash.tables.append(cost)
    dash.tables.append(b.cost_table("cost_by_sku", "Top SKUs by cost", "sku", None))
    weeks = service_rows(replace(b.p, since=b.p.prev_week().since))
    rising = sorted(weeks.grouped(b.p.last_week(), "reason").items(), key=lambda kv: -kv[1].created)
    prev = weeks.grouped(b.p.prev_week(), "reason")
    rows = []
    for reason, s in rising:
        r = str(reason)
        before = prev[reason].created if reason in prev else 0
        t = trend(float(s.created), float(before))
        rows.append(
            [
                Cell(r, r or "(no reason)"),
                Cell(
                    s.created,
                    num(s.created),
                    b.spec("created", reasons=(r,), since=b.p.until - dt.timedelta(days=6)),
                ),
                Cell(before, num(before)),
                Cell(t, pct(t.change), trend=t),
            ]
        )
    rows.sort(key=lambda row: -((row[1].value or 0) - (row[2].value or 0)))  # type: ignore[operator]
    dash.tables.append(
        Table(
            "trend",
            "Reasons by weekly change (tickets created)",
            ["Reason", "Last 7 days", "7 days before", "Change"],
            rows[:15],
        )
    )
    dash.tables.append(hooks.alerts_table(drill=b.drill))
    dash.tables.append(hooks.actions_table(user=b.user, role=b.role))
    total = sum((Decimal(str(row[7].value)) for row in cost.rows), Decimal(0))
    dash.kpis.append(
        Kpi("cost", "Cost of the top issues in the period", Cell(total, money(total, currency())))
    )
    return dash


BUILDERS: dict[str, Callable[[Builder], Dashboard]] = {
    "support": support,
    "product": product,
    "operations": operations,
    "ecommerce": ecommerce,
    "lifecycle": lifecycle,
    "leadership": leadership,
}


def dashboard_build(
    *, audience: str, period: Period, drill: bool, user: Any = None, role: str | None = None
) -> Dashboard:
    """The dashboard of one audience; ``drill`` adds the drill-down specs (callers who may read
    tickets); ``user``/``role`` scope the root-cause actions a stakeholder sees."""
    return BUILDERS[audience](Builder(period, drill=drill, user=user, role=role))
