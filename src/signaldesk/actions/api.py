"""/api/v1/actions: the root-cause action tracker (read: actions.read, writes: actions.write;
stakeholders see and change only their team's actions)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.http import HttpRequest
from ninja import Router, Schema, Status

from signaldesk.accounts.api_auth import api_auth, authorize
from signaldesk.accounts.models import Role
from signaldesk.accounts.selectors import user_role
from signaldesk.actions.measure import action_measure_impact
from signaldesk.actions.models import Action
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
from signaldesk.core.audit import Actor
from signaldesk.core.errors import NotFound, ValidationError

actions_router = Router(auth=api_auth, tags=["actions"])


class ImpactOut(Schema):
    measured_at: dt.datetime
    action_day: dt.date
    dimension: str
    treated: list[str]
    n_control: int
    rate_ratio: float
    relative_change: float
    ci_low: float
    ci_high: float
    p_value: float
    significant: bool
    verdict: str
    cost_before: str
    cost_after: str


class ActionOut(Schema):
    id: int
    title: str
    action_type: str
    owner_team: str
    status: str
    description: str
    due_date: dt.date | None
    reasons: list[str]
    skus: list[str]
    signal_keys: list[str]
    created_at: dt.datetime
    done_at: dt.datetime | None
    impact: ImpactOut | None = None


class ActionIn(Schema):
    title: str
    action_type: str
    owner_team: str
    description: str = ""
    due_date: dt.date | None = None
    reasons: list[str] = []
    skus: list[str] = []


class ActionPatchIn(Schema):
    title: str | None = None
    action_type: str | None = None
    owner_team: str | None = None
    description: str | None = None
    due_date: dt.date | None = None
    reasons: list[str] | None = None
    skus: list[str] | None = None


class FromSignalIn(Schema):
    signal: str


class TransitionIn(Schema):
    to: str


class NotifyIn(Schema):
    message: str = ""


class NotifyOut(Schema):
    sent: int
    skipped: dict[str, int]
    already: int


def _out(action: Action) -> dict[str, Any]:
    impact = action_latest_impact(action=action)
    data = {f: getattr(action, f) for f in ActionOut.model_fields if f != "impact"}
    if impact is not None:
        data["impact"] = {
            **{f: getattr(impact, f) for f in ImpactOut.model_fields},
            "cost_before": str(impact.cost_before),
            "cost_after": str(impact.cost_after),
        }
    return data


def _own_team(request: HttpRequest) -> str | None:
    if user_role(request.user) != Role.STAKEHOLDER:
        return None
    return user_team_kind(request.user) or "-"


def _get(request: HttpRequest, action_id: int) -> Action:
    visible = actions_visible(user=request.user, role=user_role(request.user))
    action = visible.filter(pk=action_id).first()
    if action is None:
        raise NotFound(f"Action {action_id} does not exist.")
    return action


@actions_router.get("", response=list[ActionOut])
def list_actions(request: HttpRequest, team: str | None = None, status: str | None = None) -> Any:
    authorize(request, "actions.read")
    visible = actions_visible(user=request.user, role=user_role(request.user))
    return [_out(a) for a in actions_list(visible=visible, team=team, status=status)]


@actions_router.post("", response={201: ActionOut})
def create_action(request: HttpRequest, payload: ActionIn) -> Any:
    authorize(request, "actions.write")
    own = _own_team(request)
    if own is not None and payload.owner_team != own:
        raise ValidationError("Stakeholders create actions for their own team.")
    action = action_create(
        draft=ActionDraft(**payload.model_dump()), actor=Actor.of_user(request.user)
    )
    return Status(201, _out(action))


@actions_router.post("/from-signal", response={201: ActionOut})
def create_from_signal(request: HttpRequest, payload: FromSignalIn) -> Any:
    authorize(request, "actions.write")
    action = action_create_from_signal(
        signal=payload.signal, actor=Actor.of_user(request.user), owner_team=_own_team(request)
    )
    return Status(201, _out(action))


@actions_router.get("/{action_id}", response=ActionOut)
def get_action(request: HttpRequest, action_id: int) -> Any:
    authorize(request, "actions.read")
    return _out(_get(request, action_id))


@actions_router.patch("/{action_id}", response=ActionOut)
def patch_action(request: HttpRequest, action_id: int, payload: ActionPatchIn) -> Any:
    authorize(request, "actions.write")
    action = _get(request, action_id)
    changes = payload.model_dump(exclude_unset=True)
    return _out(action_update(action=action, changes=changes, actor=Actor.of_user(request.user)))


@actions_router.post("/{action_id}/transition", response=ActionOut)
def transition_action(request: HttpRequest, action_id: int, payload: TransitionIn) -> Any:
    authorize(request, "actions.write")
    action = _get(request, action_id)
    actor = Actor.of_user(request.user)
    return _out(action_transition(action=action, to=payload.to, actor=actor))


@actions_router.post("/{action_id}/measure", response=ActionOut)
def measure_action(request: HttpRequest, action_id: int) -> Any:
    authorize(request, "actions.write")
    action = _get(request, action_id)
    action_measure_impact(action=action, actor=Actor.of_user(request.user))
    return _out(Action.objects.get(pk=action.pk))


@actions_router.post("/{action_id}/notify-customers", response=NotifyOut)
def notify_customers(request: HttpRequest, action_id: int, payload: NotifyIn) -> Any:
    authorize(request, "actions.write")
    action = _get(request, action_id)
    result = action_notify_customers(
        action=action, actor=Actor.of_user(request.user), message=payload.message
    )
    return {"sent": result.sent, "skipped": result.skipped, "already": result.already}
