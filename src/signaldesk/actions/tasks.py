"""Background jobs of actions: thin, idempotent wrappers (declared in config/schedule.py)."""

from __future__ import annotations

from signaldesk.config.celery import celery_app
from signaldesk.core.audit import Actor


@celery_app.task(name="actions.measure_due")
def measure_due_task() -> int:
    """Measure every done action whose change shipped at least 28 days ago (once: a measured
    action is not picked again; re-measure from the console)."""
    from django.utils import timezone

    from signaldesk.actions.measure import action_measure_impact
    from signaldesk.actions.selectors import actions_due_for_measurement
    from signaldesk.core.errors import SignalDeskError
    from signaldesk.signals.services import local_day

    measured = 0
    for action in actions_due_for_measurement(today=local_day(timezone.now())):
        try:
            action_measure_impact(action=action, actor=Actor.system("actions.measure_due"))
        except SignalDeskError:
            continue  # not measurable (no comparable units): stays done, visible in the console
        measured += 1
    return measured


@celery_app.task(name="actions.measure_one")
def measure_one_task(action_id: int) -> int:
    from signaldesk.actions.measure import action_measure_impact
    from signaldesk.actions.models import Action

    action = Action.objects.filter(pk=action_id).first()
    if action is None:
        return 0
    action_measure_impact(action=action, actor=Actor.system("actions.measure_one"))
    return 1
