"""Background jobs of workflow: thin, idempotent wrappers."""

from __future__ import annotations

from dataclasses import asdict

from django.utils import timezone

from signaldesk.config.celery import celery_app


@celery_app.task(name="workflow.sla_sweep")
def sla_sweep_task() -> dict[str, int]:
    """Fire due SLA stages and record breaches. Safe to run twice, late, or concurrently: each
    clock is locked and its stage counter moves in the same transaction as the stage's effects."""
    from signaldesk.workflow.sla import sla_sweep

    return asdict(sla_sweep(now=timezone.now()))
