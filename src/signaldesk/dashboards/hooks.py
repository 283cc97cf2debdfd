"""Reads from neighbouring packages shown on the dashboards: open spike alerts (signals),
open root-cause actions (actions) and marketing suppression (suppression). Each is a bounded,
indexed query (open rows only), not a scan of tickets."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.contrib.auth.base_user import AbstractBaseUser
from django.contrib.auth.models import AnonymousUser
from django.db.models import Q

from signaldesk.dashboards.drill import DrillSpec
from signaldesk.dashboards.view_models import Cell, Table, num
from signaldesk.signals.rollups import DIMENSIONS, day_bounds
from signaldesk.signals.selectors import alerts_list


@dataclass(frozen=True)
class SuppressionCounts:
    active: int
    started: int


def suppression_counts(since: dt.date, until: dt.date) -> SuppressionCounts:
    from signaldesk.suppression.models import SuppressionEntry

    start, _ = day_bounds(since)
    _, end = day_bounds(until)
    active = SuppressionEntry.objects.filter(lifted_at__isnull=True).count()
    started = SuppressionEntry.objects.filter(started_at__gte=start, started_at__lt=end).count()
    return SuppressionCounts(active, started)


def alert_drill(segment: dict[str, str], onset: dt.date, last: dt.date) -> DrillSpec:
    reason = segment.get("reason", "")
    dims = [(k, v) for k, v in segment.items() if k != "reason" and k in DIMENSIONS]
    dim, value = dims[0] if dims else ("", "")
    return DrillSpec("contacts", onset, last, "", (reason,) if reason else (), dim, value)


def alerts_table(*, drill: bool, limit: int = 10) -> Table:
    rows = []
    for a in alerts_list(status="open", limit=limit):
        spec = alert_drill(dict(a.segment), a.onset, a.last_alert_day) if drill else None
        rows.append(
            [
                Cell(a.segment_label, a.segment_label),
                Cell(a.severity, a.severity),
                Cell(a.onset.isoformat(), a.onset.isoformat()),
                Cell(a.last_alert_day.isoformat(), a.last_alert_day.isoformat()),
                Cell(a.observed, num(a.observed), spec),
                Cell(round(a.expected, 1), num(a.expected, 1)),
                Cell(round(a.ratio, 2), num(a.ratio, 2, "×")),
            ]
        )
    return Table(
        "alerts",
        "Open spike alerts",
        ["Segment", "Severity", "Onset", "Last alert", "Contacts", "Expected", "Ratio"],
        rows,
    )


def actions_table(*, user: AbstractBaseUser | AnonymousUser, role: str | None) -> Table:
    """Open root-cause actions (proposed or in progress) the caller may read."""
    from signaldesk.actions.models import ActionStatus
    from signaldesk.actions.selectors import actions_visible

    open_q = Q(status__in=[ActionStatus.PROPOSED, ActionStatus.IN_PROGRESS])
    qs = actions_visible(user=user, role=role).filter(open_q).order_by("due_date", "id")[:20]
    rows = []
    for a in qs:
        due = a.due_date.isoformat() if a.due_date else ""
        reasons = ", ".join(str(r) for r in (a.reasons or []))
        rows.append(
            [
                Cell(a.title, a.title),
                Cell(a.owner_team, a.get_owner_team_display()),
                Cell(a.status, a.get_status_display()),
                Cell(due, due or "—"),
                Cell(reasons, reasons or "—"),
            ]
        )
    return Table(
        "actions", "Open root-cause actions", ["Action", "Owner", "Status", "Due", "Reasons"], rows
    )
