"""Thin periodic task: end idle self-service sessions (idempotent; safe to run twice or late)."""

from __future__ import annotations

from django.utils import timezone

from signaldesk.config.celery import celery_app
from signaldesk.core.audit import Actor


@celery_app.task(name="selfservice.close_idle_sessions")
def close_idle_sessions() -> dict[str, int]:
    from signaldesk.selfservice.services import sessions_close_idle

    return sessions_close_idle(now=timezone.now(), actor=Actor.system("selfservice.close_idle"))
