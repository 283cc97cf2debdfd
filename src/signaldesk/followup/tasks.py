"""Periodic job: send the due CSAT/NPS surveys (declared in config/schedule.py)."""

from __future__ import annotations

from django.utils import timezone

from signaldesk.config.celery import celery_app


@celery_app.task(name="followup.send_surveys")
def surveys_send_due_task() -> int:
    from signaldesk.followup.services import surveys_send_due

    return surveys_send_due(now=timezone.now()).sent
