"""Console: actions per team, action detail (before/after chart and verdict), create (by hand
or from a signal in one click), edit, status changes, measure, notify customers."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.safestring import mark_safe
from django.views.decorators.http import require_GET, require_POST

from signaldesk.accounts.models import Role
from signaldesk.accounts.permissions import role_allows
from signaldesk.actions.measure import action_measure_impact
from signaldesk.actions.models import Action, ActionStatus, ActionType, OwnerTeam
from signaldesk.actions.selectors import (
    action_latest_impact,
    actions_list,
    actions_visible,
    user_team_kind,
)
from signaldesk.actions.services import (
    ActionDraft,
    action_create,
    action_create_from_signal,
    action_notify_customers,
    action_transition,
    action_update,
)
from signaldesk.console.access import role_required
from signaldesk.core.audit import Actor
from signaldesk.core.errors import SignalDeskError, ValidationError
from signaldesk.signals.charts import Series, line_chart_svg


def _role(request: HttpRequest) -> str | None:
    return getattr(request, "console_role", None)


def _visible_action(request: HttpRequest, action_id: int) -> Action:
    action = actions_visible(user=request.user, role=_role(request)).filter(pk=action_id).first()
    if action is None:
        raise Http404("No such action.")
    return action


def _own_team(request: HttpRequest) -> str | None:
    """A stakeholder's team kind (their actions belong to it); None for other roles."""
    if _role(request) != Role.STAKEHOLDER:
        return None
    return user_team_kind(request.user) or "-"


def _split(raw: str) -> list[str]:
    return [p.strip() for p in raw.replace("\n", ",").split(",") if p.strip()]


def _form_values(post: Any) -> dict[str, Any]:
    due = str(post.get("due_date", "")).strip()
    return {
        "title": str(post.get("title", "")),
        "action_type": str(post.get("action_type", "")),
        "owner_team": str(post.get("owner_team", "")),
        "description": str(post.get("description", "")),
        "due_date": dt.date.fromisoformat(due) if due else None,
        "reasons": _split(str(post.get("reasons", ""))),
        "skus": _split(str(post.get("skus", ""))),
    }


@require_GET
@role_required("actions.read")
def action_list(request: HttpRequest) -> HttpResponse:
    team = request.GET.get("team", "")
    status = request.GET.get("status", "")
    visible = actions_visible(user=request.user, role=_role(request))
    rows = list(
        actions_list(
            visible=visible,
            team=team if team in OwnerTeam.values else None,
            status=status if status in ActionStatus.values else None,
        )
    )
    return render(
        request,
        "actions/list.html",
        {
            "actions": rows,
            "team": team,
            "status": status,
            "teams": OwnerTeam.choices,
            "statuses": ActionStatus.choices,
            "types": ActionType.choices,
            "can_write": role_allows(_role(request), "actions.write"),
            "section": "actions",
        },
    )


@require_POST
@role_required("actions.write")
def action_new(request: HttpRequest) -> HttpResponse:
    try:
        values = _form_values(request.POST)
        own = _own_team(request)
        if own is not None and values["owner_team"] != own:
            raise ValidationError("Stakeholders create actions for their own team.")
        action = action_create(draft=ActionDraft(**values), actor=Actor.of_user(request.user))
    except ValueError:
        messages.error(request, "The due date must look like 2026-12-01.")
        return redirect("actions:list")
    except SignalDeskError as exc:
        messages.error(request, exc.detail)
        return redirect("actions:list")
    return redirect("actions:detail", action_id=action.pk)


@require_POST
@role_required("actions.write")
def action_create_from(request: HttpRequest) -> HttpResponse:
    try:
        action = action_create_from_signal(
            signal=str(request.POST.get("signal", "")),
            actor=Actor.of_user(request.user),
            owner_team=_own_team(request),
        )
    except SignalDeskError as exc:
        messages.error(request, exc.detail)
        return redirect("signals:home")
    messages.success(request, f"Action created for the {action.get_owner_team_display()} team.")
    return redirect("actions:detail", action_id=action.pk)


def _impact_chart(impact: Any) -> str:
    series = impact.series or {}
    return line_chart_svg(
        labels=[str(p) for p in series.get("periods", [])],
        series=[
            Series("treated: contacts per 1,000 orders", series.get("treated", [])),
            Series("comparable: contacts per 1,000 orders", series.get("control", []), dashed=True),
        ],
        title="Contact rate per week, before and after the change",
        marker_index=series.get("action_period"),
        marker_label="change shipped",
    )


@require_GET
@role_required("actions.read")
def action_detail(request: HttpRequest, action_id: int) -> HttpResponse:
    action = _visible_action(request, action_id)
    impact = action_latest_impact(action=action)
    chart = _impact_chart(impact) if impact else ""
    return render(
        request,
        "actions/detail.html",
        {
            "action": action,
            "impact": impact,
            "chart": mark_safe(chart),  # noqa: S308 - line_chart_svg escapes every label
            "alerts": list(action.alerts.all()),
            "themes": list(action.themes.all()),
            "tickets": list(
                action.tickets.order_by("-created_at").values_list("id", flat=True)[:20]
            ),
            "n_tickets": action.tickets.count(),
            "notices": list(action.notices.values_list("status", flat=True)),
            "can_write": role_allows(_role(request), "actions.write"),
            "types": ActionType.choices,
            "teams": OwnerTeam.choices,
            "section": "actions",
        },
    )


@require_POST
@role_required("actions.write")
def action_edit(request: HttpRequest, action_id: int) -> HttpResponse:
    action = _visible_action(request, action_id)
    try:
        action_update(
            action=action, changes=_form_values(request.POST), actor=Actor.of_user(request.user)
        )
    except ValueError:
        messages.error(request, "The due date must look like 2026-12-01.")
    except SignalDeskError as exc:
        messages.error(request, exc.detail)
    else:
        messages.success(request, "Action saved.")
    return redirect("actions:detail", action_id=action.pk)


@require_POST
@role_required("actions.write")
def action_status(request: HttpRequest, action_id: int) -> HttpResponse:
    action = _visible_action(request, action_id)
    actor = Actor.of_user(request.user)
    to = str(request.POST.get("to", ""))
    try:
        if to == ActionStatus.MEASURED:
            impact = action_measure_impact(action=action, actor=actor)
            messages.success(request, impact.verdict)
        else:
            action_transition(action=action, to=to, actor=actor)
            messages.success(request, f"Action is now {to.replace('_', ' ')}.")
    except SignalDeskError as exc:
        messages.error(request, exc.detail)
    return redirect("actions:detail", action_id=action.pk)


@require_POST
@role_required("actions.write")
def action_notify(request: HttpRequest, action_id: int) -> HttpResponse:
    action = _visible_action(request, action_id)
    try:
        result = action_notify_customers(
            action=action,
            actor=Actor.of_user(request.user),
            message=str(request.POST.get("message", "")),
        )
    except SignalDeskError as exc:
        messages.error(request, exc.detail)
    else:
        skipped = sum(result.skipped.values())
        messages.success(
            request,
            f"Update sent to {result.sent} customers; {skipped} skipped, "
            f"{result.already} already told.",
        )
    return redirect("actions:detail", action_id=action.pk)
