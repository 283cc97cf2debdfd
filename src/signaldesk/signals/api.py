"""GET /api/v1/signals/alerts, POST /api/v1/signals/alerts/{id}/snooze|acknowledge|resolve,
GET /api/v1/signals/contact-rates, GET /api/v1/signals/themes, GET /api/v1/signals/ranked."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.http import HttpRequest
from django.utils import timezone
from ninja import Router, Schema

from signaldesk.accounts.api_auth import api_auth, authorize
from signaldesk.core.audit import Actor
from signaldesk.core.errors import NotFound, ValidationError
from signaldesk.core.pagination import PageLimit
from signaldesk.signals.models import SpikeAlert
from signaldesk.signals.ranking import signals_ranked
from signaldesk.signals.selectors import alerts_list, contact_rates, themes_latest
from signaldesk.signals.services import (
    alert_acknowledge,
    alert_resolve,
    alert_snooze,
    local_day,
)

signals_router = Router(auth=api_auth, tags=["signals"])


class AlertOut(Schema):
    id: int
    segment: dict[str, str]
    segment_label: str
    reason: str
    dimension: str
    value: str
    onset: dt.date
    first_alert_day: dt.date
    last_alert_day: dt.date
    n_alert_days: int
    observed: int
    expected: float
    exposure: float
    ratio: float
    p_value: float
    q_value: float
    severity: str
    explanation: str
    primary: bool
    rolled_into: str
    example_ticket_ids: list[int]
    status: str
    snoozed_until: dt.date | None
    notified_severity: str


class ThemeOut(Schema):
    id: int
    scope: str
    label: str
    keywords: list[str]
    size: int
    recent_count: int
    previous_count: int
    growth: float | None
    sources: dict[str, int]
    quotes: list[dict[str, Any]]
    top_skus: list[list[Any]]
    sku_concentration: float
    customers: int
    vip_share: float


class RankedOut(Schema):
    rank: int
    key: str
    kind: str
    label: str
    score: float
    contributions: dict[str, float]
    explanation: str


class SnoozeIn(Schema):
    until: dt.date


class ContactRateOut(Schema):
    reason: str
    dimension: str
    value: str
    contacts: int
    orders: int
    units: int
    per_1000_orders: float | None
    per_1000_units: float | None
    last_week_per_1000_orders: float | None
    prev_week_per_1000_orders: float | None
    wow_change: float | None


def parse_since(value: str, today: dt.date) -> dt.date:
    """'30d' (days back from today) or an ISO date."""
    text = value.strip().lower()
    if text.endswith("d") and text[:-1].isdigit():
        return today - dt.timedelta(days=int(text[:-1]))
    try:
        return dt.date.fromisoformat(text)
    except ValueError as exc:
        raise ValidationError(f"since must look like 30d or 2026-10-01, got {value!r}") from exc


@signals_router.get("/alerts", response=list[AlertOut])
def list_alerts(
    request: HttpRequest,
    status: str | None = None,
    severity: str | None = None,
    all_segments: bool = False,
    limit: PageLimit = 100,
) -> Any:
    authorize(request, "metrics.read")
    return list(
        alerts_list(status=status, severity=severity, primary_only=not all_segments, limit=limit)
    )


def _alert(alert_id: int) -> SpikeAlert:
    alert = SpikeAlert.objects.filter(pk=alert_id).first()
    if alert is None:
        raise NotFound(f"Alert {alert_id} does not exist.")
    return alert


@signals_router.post("/alerts/{alert_id}/snooze", response=AlertOut)
def snooze_alert(request: HttpRequest, alert_id: int, payload: SnoozeIn) -> Any:
    authorize(request, "signals.manage")
    alert = _alert(alert_id)
    return alert_snooze(alert=alert, until=payload.until, actor=Actor.of_user(request.user))


@signals_router.post("/alerts/{alert_id}/acknowledge", response=AlertOut)
def acknowledge_alert(request: HttpRequest, alert_id: int) -> Any:
    authorize(request, "signals.manage")
    return alert_acknowledge(alert=_alert(alert_id), actor=Actor.of_user(request.user))


@signals_router.post("/alerts/{alert_id}/resolve", response=AlertOut)
def resolve_alert(request: HttpRequest, alert_id: int) -> Any:
    authorize(request, "signals.manage")
    return alert_resolve(alert=_alert(alert_id), actor=Actor.of_user(request.user))


@signals_router.get("/themes", response=list[ThemeOut])
def list_themes(request: HttpRequest, scope: str | None = None) -> Any:
    authorize(request, "metrics.read")
    return list(themes_latest(scope=scope))


@signals_router.get("/ranked", response=list[RankedOut])
def ranked_signals(request: HttpRequest, limit: PageLimit = 100) -> Any:
    authorize(request, "metrics.read")
    ranked = signals_ranked(as_of=local_day(timezone.now()), limit=limit)
    return [
        {
            "rank": r.score.rank, "key": r.key, "kind": r.kind, "label": r.label,
            "score": round(r.score.score, 4), "contributions": dict(r.score.contributions),
            "explanation": r.score.explanation,
        }
        for r in ranked
    ]  # fmt: skip


@signals_router.get("/contact-rates", response=list[ContactRateOut])
def get_contact_rates(
    request: HttpRequest,
    dimension: str = "sku",
    reason: str | None = None,
    since: str = "28d",
    until: dt.date | None = None,
) -> Any:
    authorize(request, "metrics.read")
    today = local_day(timezone.now())
    end = until or today
    try:
        return contact_rates(
            dimension=dimension, reason=reason, since=parse_since(since, end), until=end
        )
    except ValueError as exc:
        raise ValidationError(str(exc)) from exc
