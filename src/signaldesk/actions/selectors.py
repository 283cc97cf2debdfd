"""Reads of the action tracker (the insight note and dashboards use ``actions_list``,
``actions_measured`` and ``action_latest_impact``).

Visibility: stakeholders read and update only the actions owned by their team (their profile's
team kind, e.g. a "Merchandising" team of kind ``merchandising``); every other role with
``actions.read`` sees all actions."""

from __future__ import annotations

import datetime as dt

from django.contrib.auth.base_user import AbstractBaseUser
from django.contrib.auth.models import AnonymousUser
from django.db.models import QuerySet

from signaldesk.accounts.models import AgentProfile, Role
from signaldesk.actions.models import Action, ActionImpact, ActionStatus


def user_team_kind(user: AbstractBaseUser | AnonymousUser) -> str | None:
    """The team kind of a user's profile (``None`` without a team)."""
    if not user.is_authenticated:
        return None
    return AgentProfile.objects.filter(user_id=user.pk).values_list("team__kind", flat=True).first()


def actions_visible(
    *, user: AbstractBaseUser | AnonymousUser, role: str | None
) -> QuerySet[Action]:
    """The actions this caller may read."""
    qs = Action.objects.all()
    if role == Role.STAKEHOLDER:
        return qs.filter(owner_team=user_team_kind(user) or "-")
    return qs


def actions_list(
    *,
    visible: QuerySet[Action] | None = None,
    team: str | None = None,
    status: str | None = None,
    limit: int = 200,
) -> QuerySet[Action]:
    qs = visible if visible is not None else Action.objects.all()
    if team:
        qs = qs.filter(owner_team=team)
    if status:
        qs = qs.filter(status=status)
    return qs.order_by("owner_team", "-updated_at", "-id")[:limit]


def action_latest_impact(*, action: Action) -> ActionImpact | None:
    return action.impacts.order_by("-measured_at", "-id").first()


def actions_measured(*, since: dt.datetime) -> QuerySet[ActionImpact]:
    """Latest impact measurements taken since ``since`` with their actions (for notes)."""
    return (
        ActionImpact.objects.filter(measured_at__gte=since, action__status=ActionStatus.MEASURED)
        .select_related("action")
        .order_by("-measured_at", "-id")
    )


def actions_due_for_measurement(*, today: dt.date, min_days: int = 28) -> QuerySet[Action]:
    """Done actions whose change shipped at least ``min_days`` days ago: the full after-window
    is in (for the daily job)."""
    cutoff = dt.datetime.combine(today - dt.timedelta(days=min_days), dt.time.min, tzinfo=dt.UTC)
    return Action.objects.filter(status=ActionStatus.DONE, done_at__lt=cutoff).order_by("id")
