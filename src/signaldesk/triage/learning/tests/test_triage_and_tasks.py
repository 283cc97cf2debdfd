"""classify_ticket inside the triage pipeline, and the retrain task in Celery's eager mode."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from signaldesk.core.audit import Actor
from signaldesk.testing.factories import MessageFactory, TicketFactory
from signaldesk.tickets.models import Ticket
from signaldesk.triage.classification import classify_ticket, predict_text
from signaldesk.triage.learning.models import ModelStatus, ModelVersion, ReasonPrediction
from signaldesk.triage.learning.services import model_retrain_request
from signaldesk.triage.learning.tasks import retrain_task
from signaldesk.triage.services import ticket_triage

Train = Callable[[], ModelVersion]
BODY = "Where is my parcel? Order #1234 has not arrived yet and tracking shows nothing."


def _ticket(**kwargs: Any) -> Ticket:
    ticket = TicketFactory(subject="Parcel", **kwargs)
    MessageFactory(ticket=ticket, body_text=BODY)
    return ticket


@pytest.mark.django_db
def test_without_a_model_triage_leaves_the_reason_alone(actor: Actor) -> None:
    ticket = _ticket(contact_reason="", reason_source="")

    result = ticket_triage(ticket_id=ticket.pk, actor=actor)

    assert "contact_reason" not in result.changes
    assert classify_ticket(ticket=ticket, text=BODY) is None


@pytest.mark.django_db
def test_triage_sets_the_model_reason_and_stores_the_prediction(
    train_version: Train, actor: Actor
) -> None:
    version = train_version()
    ticket = _ticket(contact_reason="", reason_source="")
    expected = predict_text(f"Parcel\n\n{BODY}")
    assert expected is not None

    ticket_triage(ticket_id=ticket.pk, actor=actor)

    ticket.refresh_from_db()
    assert (ticket.contact_reason, ticket.reason_source) == (expected.reason, "model")
    assert ticket.reason_confidence == pytest.approx(expected.confidence)
    stored = ReasonPrediction.objects.get(ticket=ticket)
    assert (stored.model_version_id, stored.reason) == (version.pk, expected.reason)
    assert [r for r, _ in stored.top3] == [r for r, _ in expected.top3]
    assert stored.needs_review is expected.needs_review


@pytest.mark.django_db
@pytest.mark.parametrize("source", ["agent", "tag_mapping", "import"])
def test_the_model_never_overwrites_a_human_reason(
    train_version: Train, actor: Actor, source: str
) -> None:
    train_version()
    ticket = _ticket(contact_reason="complaint", reason_source=source, reason_confidence=1.0)

    ticket_triage(ticket_id=ticket.pk, actor=actor)

    ticket.refresh_from_db()
    assert (ticket.contact_reason, ticket.reason_source) == ("complaint", source)
    assert ReasonPrediction.objects.filter(ticket=ticket).count() == 0


@pytest.mark.django_db
def test_a_new_prediction_replaces_the_old_one_in_the_queue(
    train_version: Train, actor: Actor
) -> None:
    version = train_version()
    ModelVersion.objects.filter(pk=version.pk).update(thresholds={})  # everything needs review
    ticket = _ticket(contact_reason="", reason_source="")

    ticket_triage(ticket_id=ticket.pk, actor=actor)
    ticket_triage(ticket_id=ticket.pk, actor=actor)

    flags = list(
        ReasonPrediction.objects.filter(ticket=ticket)
        .order_by("id")
        .values_list("needs_review", flat=True)
    )
    assert flags == [False, True]


@pytest.mark.django_db(transaction=True)
def test_retrain_request_runs_the_task_after_commit(
    transactional_db_with_audit_log: None, actor: Actor
) -> None:
    version = model_retrain_request(actor=actor)

    version.refresh_from_db()
    assert (version.version, version.status, version.is_active) == (1, ModelStatus.READY, True)


@pytest.mark.django_db
def test_retrain_task_is_idempotent_and_creates_a_version_on_schedule(actor: Actor) -> None:
    first = retrain_task.delay().get()
    again = retrain_task.delay(first).get()

    assert again == first
    assert list(ModelVersion.objects.values_list("version", "status", "is_active")) == [
        (1, ModelStatus.READY, True)
    ]
