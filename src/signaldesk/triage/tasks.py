"""Background jobs of triage: thin, idempotent wrappers that take ids."""

from __future__ import annotations

import logging

from django.utils import timezone

from signaldesk.config.celery import celery_app
from signaldesk.core.audit import Actor
from signaldesk.core.jobs import enqueue_on_commit

logger = logging.getLogger(__name__)

SWEEP_LIMIT = 2000  # tickets queued per sweep run at most
SWEEP_BACKLOG = 50  # no sweep while more jobs than this wait in the broker queue


@celery_app.task(name="triage.ticket", acks_late=True)
def triage_ticket_task(ticket_id: int) -> None:
    """(Re-)triage one ticket. Safe to run twice: the enrichment is upserted and only real
    changes to the ticket are written and audited."""
    from signaldesk.core.errors import NotFound
    from signaldesk.triage.services import ticket_triage
    from signaldesk.workflow.services import ticket_workflow_start

    try:
        ticket_triage(ticket_id=ticket_id, actor=Actor.system("triage"))
    except NotFound:
        return  # deleted or merged away before the job ran
    from signaldesk.signals.services import rollup_mark_ticket_dirty

    rollup_mark_ticket_dirty(ticket_id=ticket_id)  # the periodic rollup refresh picks it up
    ticket_workflow_start(ticket_id=ticket_id, now=timezone.now())


def enqueue_triage(ticket_id: int) -> None:
    """Queue triage for a ticket once the current transaction commits."""
    enqueue_on_commit(triage_ticket_task, ticket_id)


@celery_app.task(name="triage.sweep_untriaged")
def triage_sweep_task() -> int:
    """Re-queue triage for tickets whose job was lost; returns how many were queued.

    Intake queues triage after its commit, and the worker acknowledges a job only once it ran
    (acks_late). Two gaps remain, both closed here: a web process killed between the commit and
    the enqueue sends nothing, and a worker killed mid-task leaves its job in Redis' unacked set
    until the broker's visibility timeout (an hour by default) brings it back. Every run looks at
    inbound messages older than SIGNALDESK_TRIAGE_SWEEP_GRACE_SECONDS (so jobs still in the
    queue are not doubled) and younger than SIGNALDESK_TRIAGE_SWEEP_LOOKBACK_HOURS, and queues
    triage for each ticket whose enrichment has not seen all its inbound messages. It skips its
    turn while more than SWEEP_BACKLOG jobs wait in the broker queue (a backlog, not a loss: the
    jobs are likely still there). Triage is idempotent, so a job that was merely slow and runs
    twice does no harm."""
    import datetime as dt

    from django.conf import settings

    from signaldesk.core.jobs import queued_jobs
    from signaldesk.triage.selectors import tickets_awaiting_triage

    if queued_jobs() > SWEEP_BACKLOG:
        return 0  # the workers are behind: the "missing" jobs are likely still in the queue
    now = timezone.now()
    grace = dt.timedelta(seconds=settings.SIGNALDESK_TRIAGE_SWEEP_GRACE_SECONDS)
    lookback = dt.timedelta(hours=settings.SIGNALDESK_TRIAGE_SWEEP_LOOKBACK_HOURS)
    ticket_ids = tickets_awaiting_triage(
        received_from=now - lookback, received_before=now - grace, limit=SWEEP_LIMIT
    )
    for ticket_id in ticket_ids:
        triage_ticket_task.delay(ticket_id)
    if ticket_ids:
        logger.warning("triage.sweep_requeued", extra={"tickets": len(ticket_ids)})
    return len(ticket_ids)
