"""The Django shell of the weekly note: gather the store-wide facts of one week.

Reads the signals rollups (contacts, orders, cost per reason), the stored spike alerts, the
taxonomy (reason names and owner teams), the action tracker when it is installed, and finds
themes over the inbound texts of the last weeks with signals.stats.themes. Nothing here writes."""

from __future__ import annotations

import datetime as dt
import logging
from decimal import Decimal

from django.conf import settings
from django.db.models import Sum

from signaldesk.insights.note.facts import (
    DIMENSION_OWNER,
    ActionFact,
    NoteFacts,
    ReasonFact,
    SpikeFact,
    ThemeFact,
    pct_change,
)
from signaldesk.insights.reasons import ReasonInfo, reason_info, reason_of
from signaldesk.insights.themes import (
    THEME_HISTORY_DAYS,
    THEME_MAX_TEXTS,
    THEME_WINDOW_DAYS,
    stored_theme_facts,
    theme_facts,
    ticket_texts,
)
from signaldesk.signals.models import AlertStatus, ContactRollup, CostRollup, ExposureRollup
from signaldesk.signals.models import SpikeAlert as SpikeAlertRow

logger = logging.getLogger(__name__)


def week_of(day: dt.date) -> tuple[dt.date, dt.date]:
    """Monday and Sunday of the ISO week holding ``day``."""
    monday = day - dt.timedelta(days=day.weekday())
    return monday, monday + dt.timedelta(days=6)


def last_complete_week(today: dt.date) -> tuple[dt.date, dt.date]:
    return week_of(today - dt.timedelta(days=today.weekday() + 1))


def _contacts(since: dt.date, until: dt.date) -> dict[str, int]:
    rows = (
        ContactRollup.objects.filter(dimension="all", day__gte=since, day__lte=until)
        .values("reason")
        .annotate(n=Sum("contacts"))
    )
    return {r["reason"]: int(r["n"] or 0) for r in rows}


def _orders(since: dt.date, until: dt.date) -> int:
    total = ExposureRollup.objects.filter(
        dimension="all", day__gte=since, day__lte=until
    ).aggregate(n=Sum("orders"))["n"]
    return int(total or 0)


def _cost(since: dt.date, until: dt.date) -> dict[str, int]:
    rows = (
        CostRollup.objects.filter(day__gte=since, day__lte=until)
        .values("reason")
        .annotate(r=Sum("refunds"), p=Sum("replacements"), d=Sum("discounts"))
    )
    out = {}
    for row in rows:
        total = sum((Decimal(row[k] or 0) for k in ("r", "p", "d")), Decimal(0))
        out[row["reason"]] = int(total.quantize(Decimal(1)))
    return out


def _rate(contacts: int, orders: int) -> float | None:
    return None if orders <= 0 else round(1000.0 * contacts / orders, 1)


def reason_facts(
    ws: dt.date, we: dt.date, info: dict[str, ReasonInfo]
) -> tuple[list[ReasonFact], int, int, dict[str, int], dict[str, int]]:
    prev_ws, prev_we = ws - dt.timedelta(days=7), ws - dt.timedelta(days=1)
    now, before = _contacts(ws, we), _contacts(prev_ws, prev_we)
    cost, prev_cost = _cost(ws, we), _cost(prev_ws, prev_we)
    orders = _orders(ws, we)
    facts = []
    for reason in sorted(set(now) | set(before)):
        ri = reason_of(info, reason)
        n, p = now.get(reason, 0), before.get(reason, 0)
        facts.append(
            ReasonFact(
                reason=reason,
                label=ri.label,
                owner_team=ri.owner_team,
                contacts=n,
                prev_contacts=p,
                change_pct=pct_change(n, p),
                per_1000_orders=_rate(n, orders),
                cost=cost.get(reason, 0),
                prev_cost=prev_cost.get(reason, 0),
            )
        )
    facts.sort(key=lambda r: (-r.contacts, r.reason))
    return facts, orders, _orders(prev_ws, prev_we), cost, prev_cost


def spike_label(reason_label: str, segment: dict[str, str]) -> str:
    """ "Delivery delay — carrier DPD, region East" from a stored alert's segment."""
    order = list(DIMENSION_OWNER)  # a fixed order: JSON objects keep none on PostgreSQL
    dims = sorted((d for d in segment if d != "reason"), key=lambda d: (order.index(d)
                  if d in order else len(order), d))  # fmt: skip
    parts = [f"{dim.replace('_', ' ')} {segment[dim]}" for dim in dims]
    return f"{reason_label} — {', '.join(parts)}" if parts else reason_label


def spike_owner(segment: dict[str, str], reason_owner: str) -> str:
    """The owner of the segment's first dimension (in DIMENSION_OWNER's order: product cuts
    before operations before ecommerce), the reason's owner for a reason-level spike."""
    for dim, owner in DIMENSION_OWNER.items():
        if dim in segment:
            return owner
    return reason_owner


def spike_facts(ws: dt.date, we: dt.date, info: dict[str, ReasonInfo]) -> list[SpikeFact]:
    """Primary alerts alive during the week (not resolved)."""
    rows = (
        SpikeAlertRow.objects.filter(primary=True, first_alert_day__lte=we, last_alert_day__gte=ws)
        .exclude(status=AlertStatus.RESOLVED)
        .order_by("-peak_ratio", "id")[:50]
    )
    out = []
    for a in rows:
        ri = reason_of(info, a.reason)
        owner = spike_owner(a.segment, ri.owner_team)
        out.append(
            SpikeFact(
                label=spike_label(ri.label, a.segment),
                reason=a.reason,
                reason_label=ri.label,
                dimension=a.dimension,
                value=a.value,
                onset=a.onset.isoformat(),
                last_day=a.last_alert_day.isoformat(),
                observed=a.observed,
                expected=round(a.expected, 1),
                ratio=round(a.ratio, 1),
                severity=a.severity,
                explanation=a.explanation,
                owner_team=owner,
                status=a.status,
                alert_id=a.pk,
            )
        )
    return out


def action_facts(ws: dt.date, we: dt.date) -> list[ActionFact] | None:
    """Actions from the action tracker (signaldesk.actions); None while it is not installed."""
    from django.apps import apps

    if not apps.is_installed("signaldesk.actions"):
        return None
    from signaldesk.insights import actions_bridge

    return actions_bridge.action_facts(ws, we)


def store_facts(*, week_start: dt.date, themes: bool = True) -> NoteFacts:
    """Everything the notes of ``week_start``'s week may say, for every team."""
    ws, we = week_of(week_start)
    info = reason_info()
    reasons, orders, _prev_orders, cost, prev_cost = reason_facts(ws, we, info)
    contacts = sum(r.contacts for r in reasons)
    prev_contacts = sum(r.prev_contacts for r in reasons)
    cost_total, prev_cost_total = sum(cost.values()), sum(prev_cost.values())
    caveats = []
    theme_list: list[ThemeFact] = []
    window = THEME_WINDOW_DAYS
    stored = stored_theme_facts(ws, we, info)
    if stored is not None:
        theme_list, window = stored
    elif themes:
        texts = ticket_texts(
            since=we - dt.timedelta(days=THEME_HISTORY_DAYS - 1), until=we, limit=THEME_MAX_TEXTS
        )
        theme_list = theme_facts(texts, as_of=we, window_days=window, info=info)
    actions = action_facts(ws, we)
    if actions is None:
        caveats.append("The action tracker is not set up yet, so no action status is shown.")
    if orders == 0:
        caveats.append("No orders in the rollups for this week, so rates per order are missing.")
    return NoteFacts(
        audience="store",
        week_start=ws.isoformat(),
        week_end=we.isoformat(),
        currency=str(getattr(settings, "SIGNALDESK_STORE_CURRENCY", "EUR")),
        contacts=contacts,
        prev_contacts=prev_contacts,
        change_pct=pct_change(contacts, prev_contacts),
        orders=orders,
        per_1000_orders=_rate(contacts, orders),
        cost_total=cost_total,
        prev_cost_total=prev_cost_total,
        cost_change_pct=pct_change(cost_total, prev_cost_total),
        theme_window_days=window,
        reasons=tuple(reasons),
        spikes=tuple(spike_facts(ws, we, info)),
        themes=tuple(theme_list),
        actions=tuple(actions or ()),
        caveats=tuple(caveats),
    )
