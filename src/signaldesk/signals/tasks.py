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
    """Refresh yesterday's rollups, then scan yesterday. Re-running a day updates, never
    duplicates, its alerts."""
    from signaldesk.signals.scan import signals_scan
    from signaldesk.signals.services import rollup_refresh_dirty

    rollup_refresh_dirty()
    result = signals_scan(as_of=None, actor=Actor.system("signals.scan_daily"))
    return len(result.alerts)
