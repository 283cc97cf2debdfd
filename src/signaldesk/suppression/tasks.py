"""Periodic job: lift expired suppression entries (declared in config/schedule.py)."""

from __future__ import annotations

from django.utils import timezone

from signaldesk.config.celery import celery_app


@celery_app.task(name="suppression.expire")
def suppression_expire_task() -> int:
    from signaldesk.suppression.services import suppression_expire

    return suppression_expire(now=timezone.now())
