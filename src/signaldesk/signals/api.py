"""GET /api/v1/signals/alerts, POST /api/v1/signals/alerts/{id}/snooze,
GET /api/v1/signals/contact-rates."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.http import HttpRequest
from django.utils import timezone
from ninja import Router, Schema

from signaldesk.accounts.api_auth import api_auth, authorize
from signaldesk.core.audit import Actor
from signaldesk.core.errors import NotFound, ValidationError
from signaldesk.signals.models import SpikeAlert
from signaldesk.signals.selectors import alerts_list, contact_rates
from signaldesk.signals.services import alert_snooze, local_day

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
    request: HttpRequest, status: str | None = None, all_segments: bool = False, limit: int = 100
) -> Any:
    authorize(request, "metrics.read")
    return list(alerts_list(status=status, primary_only=not all_segments, limit=min(limit, 500)))


@signals_router.post("/alerts/{alert_id}/snooze", response=AlertOut)
def snooze_alert(request: HttpRequest, alert_id: int, payload: SnoozeIn) -> Any:
    authorize(request, "signals.manage")
    alert = SpikeAlert.objects.filter(pk=alert_id).first()
    if alert is None:
        raise NotFound(f"Alert {alert_id} does not exist.")
    return alert_snooze(alert=alert, until=payload.until, actor=Actor.of_user(request.user))


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
