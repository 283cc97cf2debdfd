"""GET /api/v1/metrics/dashboards and GET /api/v1/metrics/dashboards/{audience}: the numbers
of the console dashboards as JSON (same builders, same rollups)."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.utils import timezone
from ninja import Router, Schema

from signaldesk.accounts.api_auth import api_auth, authorize
from signaldesk.accounts.selectors import user_role
from signaldesk.core.errors import NotFound
from signaldesk.dashboards.audiences import AUDIENCES, dashboard_build
from signaldesk.dashboards.export import dashboard_json
from signaldesk.dashboards.params import parse_period
from signaldesk.signals.services import local_day

metrics_router = Router(auth=api_auth, tags=["metrics"])


class AudienceOut(Schema):
    key: str
    title: str
    description: str


class TableOut(Schema):
    key: str
    title: str
    columns: list[str]
    note: str
    rows: list[list[Any]]


class KpiOut(Schema):
    key: str
    label: str
    value: Any
    text: str
    trend: dict[str, Any] | None


class DashboardOut(Schema):
    audience: str
    title: str
    period: dict[str, str]
    kpis: list[KpiOut]
    tables: list[TableOut]
    notes: list[str]


@metrics_router.get("/dashboards", response=list[AudienceOut])
def list_dashboards(request: HttpRequest) -> Any:
    authorize(request, "metrics.read")
    return [{"key": k, "title": t, "description": d} for k, (t, d) in AUDIENCES.items()]


@metrics_router.get("/dashboards/{audience}", response=DashboardOut)
def get_dashboard(
    request: HttpRequest,
    audience: str,
    period: str = "",
    since: str = "",
    until: str = "",
    channel: str = "",
    reason: str = "",
) -> Any:
    """Filters as on the console page: period=7d|14d|28d|56d|90d|120d (default 56d, ending
    today or at ``until``), or since/until dates; channel; reason."""
    authorize(request, "metrics.read")
    if audience not in AUDIENCES:
        raise NotFound(f"No dashboard {audience!r}; one of {', '.join(AUDIENCES)}.")
    params = {
        "period": period,
        "since": since,
        "until": until,
        "channel": channel,
        "reason": reason,
    }
    parsed, _ = parse_period({k: v for k, v in params.items() if v}, local_day(timezone.now()))
    dash = dashboard_build(
        audience=audience,
        period=parsed,
        drill=False,
        user=request.user,
        role=user_role(request.user),
    )
    return dashboard_json(dash, parsed)
