"""Console: the ranked Signals page, spike alerts (list, detail, acknowledge/snooze/resolve for
leads) and discovered themes (with "propose taxonomy entry")."""

from __future__ import annotations

import datetime as dt

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.safestring import mark_safe
from django.views.decorators.http import require_GET, require_POST

from signaldesk.accounts.permissions import role_allows
from signaldesk.console.access import role_required
from signaldesk.core.audit import Actor
from signaldesk.core.errors import SignalDeskError
from signaldesk.signals.charts import Series, line_chart_svg
from signaldesk.signals.models import AlertStatus, SpikeAlert, Theme
from signaldesk.signals.ranking import signals_ranked
from signaldesk.signals.selectors import alert_series, alerts_list, themes_latest
from signaldesk.signals.services import (
    alert_acknowledge,
    alert_resolve,
    alert_snooze,
    local_day,
)
from signaldesk.signals.themes_service import ReasonProposal, theme_propose_reason

SEVERITIES = ("info", "warning", "critical")


def _can(request: HttpRequest, capability: str) -> bool:
    return role_allows(getattr(request, "console_role", None), capability)


@require_GET
@role_required("metrics.read")
def signals_home(request: HttpRequest) -> HttpResponse:
    ranked = signals_ranked(as_of=local_day(timezone.now()))
    return render(
        request,
        "signals/ranking.html",
        {"ranked": ranked, "section": "signals", "can_act": _can(request, "actions.write")},
    )


@require_GET
@role_required("metrics.read")
def alert_list(request: HttpRequest) -> HttpResponse:
    status = request.GET.get("status", "")
    severity = request.GET.get("severity", "")
    alerts = alerts_list(
        status=status if status in AlertStatus.values else None,
        severity=severity if severity in SEVERITIES else None,
        limit=200,
    )
    return render(
        request,
        "signals/alerts.html",
        {
            "alerts": list(alerts),
            "status": status,
            "severity": severity,
            "statuses": AlertStatus.choices,
            "severities": SEVERITIES,
            "section": "signals",
        },
    )


@require_GET
@role_required("metrics.read")
def alert_detail(request: HttpRequest, alert_id: int) -> HttpResponse:
    alert = SpikeAlert.objects.filter(pk=alert_id).first()
    if alert is None:
        raise Http404("No such alert.")
    points = alert_series(alert=alert)
    onset_index = next((i for i, p in enumerate(points) if p.day == alert.onset), None)
    chart = line_chart_svg(
        labels=[p.day.isoformat() for p in points],
        series=[
            Series("observed contacts", [float(p.observed) for p in points]),
            Series("expected", [p.expected for p in points], dashed=True),
        ],
        title=f"Observed vs expected contacts: {alert.segment_label}",
        marker_index=onset_index,
        marker_label="onset",
    )
    return render(
        request,
        "signals/alert.html",
        {
            "alert": alert,
            "chart": mark_safe(chart),  # noqa: S308 - every label is escaped in line_chart_svg
            "points": points[-14:],
            "can_manage": _can(request, "signals.manage"),
            "can_act": _can(request, "actions.write"),
            "snooze_default": (local_day(timezone.now()) + dt.timedelta(days=7)).isoformat(),
            "section": "signals",
        },
    )


@require_POST
@role_required("signals.manage")
def alert_change(request: HttpRequest, alert_id: int) -> HttpResponse:
    alert = SpikeAlert.objects.filter(pk=alert_id).first()
    if alert is None:
        raise Http404("No such alert.")
    actor = Actor.of_user(request.user)
    op = request.POST.get("op", "")
    try:
        if op == "acknowledge":
            alert_acknowledge(alert=alert, actor=actor)
        elif op == "resolve":
            alert_resolve(alert=alert, actor=actor)
        elif op == "snooze":
            until = dt.date.fromisoformat(str(request.POST.get("until", "")))
            alert_snooze(alert=alert, until=until, actor=actor)
        else:
            raise Http404("Unknown operation.")
    except ValueError:
        messages.error(request, "The snooze date must look like 2026-12-01.")
    except SignalDeskError as exc:
        messages.error(request, exc.detail)
    else:
        messages.success(request, f"Alert #{alert.pk}: {op} done.")
    return redirect("signals:alert", alert_id=alert.pk)


@require_GET
@role_required("metrics.read")
def theme_list(request: HttpRequest) -> HttpResponse:
    themes = list(themes_latest(limit=200))
    return render(
        request,
        "signals/themes.html",
        {
            "themes": themes,
            "run": themes[0].run if themes else None,
            "can_propose": _can(request, "taxonomy.write"),
            "can_act": _can(request, "actions.write"),
            "section": "signals",
        },
    )


@require_POST
@role_required("taxonomy.write")
def theme_propose(request: HttpRequest, theme_id: int) -> HttpResponse:
    theme = Theme.objects.filter(pk=theme_id).first()
    if theme is None:
        raise Http404("No such theme.")
    reason_id = str(request.POST.get("reason_id", "")).strip()
    name = str(request.POST.get("name", "")).strip()
    proposal = ReasonProposal(reason_id=reason_id, name=name) if reason_id and name else None
    try:
        theme = theme_propose_reason(
            theme=theme, actor=Actor.of_user(request.user), proposal=proposal
        )
    except SignalDeskError as exc:
        messages.error(request, exc.detail)
    else:
        version = theme.proposed_version
        label = version.label if version else ""
        messages.success(
            request, f"Draft taxonomy version {label} created; review it under Taxonomy."
        )
    return redirect("signals:themes")
