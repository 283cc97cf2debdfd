"""Background jobs of the dashboards: thin, idempotent wrappers (declared in config/schedule.py)."""

from __future__ import annotations

from signaldesk.config.celery import celery_app


@celery_app.task(name="dashboards.refresh_dirty")
def dashboards_refresh_dirty_task() -> int:
    """Recompute the dashboard rollups of the dirty days and the last two weeks."""
    from signaldesk.dashboards.services import dashboards_refresh_dirty

    return len(dashboards_refresh_dirty())


@celery_app.task(name="dashboards.repurchase_refresh")
def repurchase_refresh_task() -> int:
    """Recompute the repurchase cells of the months whose 90-day windows just ended."""
    from signaldesk.dashboards.services import repurchase_refresh_recent

    return repurchase_refresh_recent()
