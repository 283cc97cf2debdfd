"""Action tracker (signaldesk.actions) → ActionFact: open actions and recent measurements."""

from __future__ import annotations

import datetime as dt

from django.db.models import Prefetch, Q

from signaldesk.actions.models import Action, ActionImpact, ActionStatus
from signaldesk.insights.note.facts import ActionFact
from signaldesk.signals.rollups import day_bounds

RECENT_DAYS = 28
LIMIT = 50


def action_facts(ws: dt.date, we: dt.date) -> list[ActionFact]:
    """Actions still open, plus those done or measured in the 28 days up to the week's end,
    with the verdict of their latest impact measurement."""
    since, _ = day_bounds(ws - dt.timedelta(days=RECENT_DAYS))
    _, until = day_bounds(we)
    open_states = [ActionStatus.PROPOSED, ActionStatus.IN_PROGRESS, ActionStatus.DONE]
    rows = (
        Action.objects.exclude(status=ActionStatus.CANCELLED)
        .filter(created_at__lt=until)
        .filter(Q(status__in=open_states) | Q(updated_at__gte=since))
        .prefetch_related(
            Prefetch("impacts", queryset=ActionImpact.objects.order_by("-measured_at", "-id"))
        )
        .order_by("owner_team", "-updated_at", "-id")[:LIMIT]
    )
    out = []
    for a in rows:
        impacts = list(a.impacts.all())
        latest = impacts[0] if impacts else None
        out.append(
            ActionFact(
                title=a.title,
                status=a.status,
                owner_team=a.owner_team,
                verdict=latest.verdict if latest else "",
                change_pct=round(100 * latest.relative_change) if latest else None,
                significant=latest.significant if latest else None,
                reason=str(a.reasons[0]) if a.reasons else "",
                action_id=a.pk,
            )
        )
    return out
