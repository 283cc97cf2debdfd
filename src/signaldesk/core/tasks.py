"""Housekeeping tasks of the platform itself. Thin and idempotent, like every task."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db.models import F
from django.utils import timezone

from signaldesk.config.celery import celery_app


@celery_app.task(name="ops.heartbeat")
def heartbeat_task(name: str = "scheduler") -> None:
    """Upsert the heartbeat row: proves that the scheduler fired and a worker picked it up."""
    from signaldesk.core.models import Heartbeat

    now = timezone.now()
    updated = Heartbeat.objects.filter(name=name).update(beat_at=now, beats=F("beats") + 1)
    if not updated:
        Heartbeat.objects.get_or_create(name=name, defaults={"beat_at": now, "beats": 1})


@celery_app.task(name="core.purge_job_runs")
def purge_job_runs_task() -> int:
    """Delete finished JobRun rows older than the retention window; returns how many."""
    from signaldesk.core.models import JobRun

    days = int(getattr(settings, "SIGNALDESK_JOB_RUN_RETENTION_DAYS", 14))
    cutoff = timezone.now() - dt.timedelta(days=days)
    deleted, _ = (
        JobRun.objects.filter(started_at__lt=cutoff).exclude(status=JobRun.Status.RUNNING).delete()
    )
    return deleted


@celery_app.task(name="core.outbox_deliver")
def outbox_deliver_task() -> int:
    """Send the due outbox messages (core/outbox.py); returns how many were delivered."""
    from signaldesk.core.outbox import outbox_deliver_due

    return outbox_deliver_due(now=timezone.now()).delivered
