"""Background jobs of signals: thin, idempotent wrappers (declared in config/schedule.py)."""

from __future__ import annotations

from signaldesk.config.celery import celery_app
from signaldesk.core.audit import Actor


@celery_app.task(name="signals.rollup_refresh_dirty")
def rollup_refresh_dirty_task() -> int:
    """Recompute the rollups of the days marked dirty (and the last few days)."""
    from signaldesk.signals.services import rollup_refresh_dirty

    return len(rollup_refresh_dirty())


@celery_app.task(name="signals.scan_daily")
def scan_daily_task() -> int:
    """Refresh yesterday's rollups, scan yesterday, then notify new or escalated alerts
    (webhook + email via the outbox, once per alert and severity). Re-running a day updates,
    never duplicates, its alerts and notifications."""
    from django.utils import timezone

    from signaldesk.signals.notify import alert_notify
    from signaldesk.signals.scan import signals_scan
    from signaldesk.signals.services import rollup_refresh_dirty

    rollup_refresh_dirty()
    result = signals_scan(as_of=None, actor=Actor.system("signals.scan_daily"))
    alert_notify(alerts=result.alerts, now=timezone.now())
    return len(result.alerts)


@celery_app.task(name="signals.themes_discover")
def themes_discover_task() -> int:
    """Theme discovery over the last 56 days of tickets, chats, reviews and returns."""
    import datetime as dt

    from django.utils import timezone

    from signaldesk.signals.services import local_day
    from signaldesk.signals.themes_service import themes_discover

    as_of = local_day(timezone.now()) - dt.timedelta(days=1)
    run = themes_discover(as_of=as_of, actor=Actor.system("signals.themes_discover"))
    return run.n_themes
