"""Background jobs of triage: thin, idempotent wrappers that take ids."""

from __future__ import annotations

from django.utils import timezone

from signaldesk.config.celery import celery_app
from signaldesk.core.audit import Actor
from signaldesk.core.jobs import enqueue_on_commit


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
