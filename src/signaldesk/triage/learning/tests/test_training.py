"""Cold start, versions and rollback, thresholds, corrections feeding the next model."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from signaldesk.core.audit import Actor
from signaldesk.core.errors import Conflict
from signaldesk.core.models import AuditEvent
from signaldesk.taxonomy.selectors import active_taxonomy
from signaldesk.testing.factories import MessageFactory, TicketFactory
from signaldesk.triage.classification import predict_text
from signaldesk.triage.learning import registry
from signaldesk.triage.learning.models import ModelStatus, ModelVersion, ReasonCorrection
from signaldesk.triage.learning.services import model_activate, model_rollback, reason_correct
from signaldesk.triage.learning.training import ticket_text

Train = Callable[[], ModelVersion]
PARCEL = "where is my parcel, order #1234"


@pytest.mark.django_db
def test_no_model_means_no_prediction() -> None:
    assert predict_text(PARCEL) is None


@pytest.mark.django_db
def test_cold_start_from_taxonomy_examples_alone(train_version: Train) -> None:
    taxonomy = active_taxonomy()
    distinct = {(" ".join(p.split()), r.id) for r in taxonomy.reasons for p in r.examples}

    version = train_version()

    assert (version.version, version.kind, version.status, version.is_active) == (
        1, "tfidf", ModelStatus.READY, True,
    )  # fmt: skip
    assert version.taxonomy_version == taxonomy.version
    assert version.training_summary["by_source"] == {
        "history": 0, "tag_mapping": 0, "agent_corrections": 0, "taxonomy_examples": len(distinct),
    }  # fmt: skip
    assert version.training_summary["skipped_reasons"] == {}
    assert sorted(version.thresholds) == sorted(taxonomy.ids)
    assert version.metrics["evaluation"] == "holdout"
    assert sorted(version.metrics["coverage_at_precision"]) == ["0.95", "0.98"]
    assert 0.0 < version.metrics["accuracy"] <= 1.0
    assert version.artefact_path.endswith("models/1.joblib")
    prediction = predict_text(PARCEL)
    assert prediction is not None
    assert prediction.reason in {"order_status", "delivery_delay"}
    assert prediction.model_version == "1"
    assert len(prediction.top3) == 3


@pytest.mark.django_db
def test_versions_and_rollback(train_version: Train, actor: Actor) -> None:
    v1 = train_version()
    v2 = train_version()

    assert list(ModelVersion.objects.filter(is_active=True).values_list("version", flat=True)) == [
        2
    ]
    assert predict_text(PARCEL).model_version == "2"  # type: ignore[union-attr]

    rolled = model_rollback(actor=actor)

    assert rolled.pk == v1.pk
    assert list(ModelVersion.objects.filter(is_active=True).values_list("version", flat=True)) == [
        1
    ]
    assert predict_text(PARCEL).model_version == "1"  # type: ignore[union-attr]
    events = AuditEvent.objects.filter(action="classifier.version_activated").order_by("id")
    assert [(e.before, e.after) for e in events] == [
        ({"version": None}, {"version": 1}),
        ({"version": 1}, {"version": 2}),
        ({"version": 2}, {"version": 1}),
    ]
    with pytest.raises(Conflict):
        model_rollback(actor=actor)
    model_activate(version_id=v2.pk, actor=actor)
    assert predict_text(PARCEL).model_version == "2"  # type: ignore[union-attr]


@pytest.mark.django_db
def test_a_failed_training_leaves_the_active_model(
    train_version: Train, actor: Actor, settings: object
) -> None:
    train_version()
    from signaldesk.triage.learning.services import model_train, model_version_create

    broken = model_version_create(actor=actor, kind="tfidf")
    ModelVersion.objects.filter(pk=broken.pk).update(kind="nonsense")

    failed = model_train(version_id=broken.pk, actor=actor)

    assert failed.status == ModelStatus.FAILED
    assert failed.error.startswith("ValueError: unknown model kind 'nonsense'")
    assert list(ModelVersion.objects.filter(is_active=True).values_list("version", flat=True)) == [
        1
    ]
    with pytest.raises(Conflict):
        model_activate(version_id=broken.pk, actor=actor)


@pytest.mark.django_db
def test_thresholds_decide_needs_review(train_version: Train) -> None:
    version = train_version()
    top = predict_text(PARCEL)
    assert top is not None

    ModelVersion.objects.filter(pk=version.pk).update(thresholds={top.reason: 0.0})
    assert predict_text(PARCEL).needs_review is False  # type: ignore[union-attr]

    ModelVersion.objects.filter(pk=version.pk).update(thresholds={top.reason: 1.01})
    assert predict_text(PARCEL).needs_review is True  # type: ignore[union-attr]
    assert predict_text(PARCEL).threshold == 1.01  # type: ignore[union-attr]

    ModelVersion.objects.filter(pk=version.pk).update(thresholds={top.reason: None})
    assert predict_text(PARCEL).needs_review is True  # type: ignore[union-attr]


@pytest.mark.django_db
def test_a_correction_changes_the_next_model(train_version: Train) -> None:
    subject, body = "Zipper", "The zipper on my jacket jammed after one day of wearing it"
    text = ticket_text(subject, body)
    train_version()
    before = predict_text(text)
    assert before is not None
    assert before.reason != "subscription_change"
    ticket = TicketFactory(subject=subject, contact_reason=before.reason, reason_source="model")
    MessageFactory(ticket=ticket, body_text=body)
    agent = Actor(label="user:agent", user_id=None)

    correction = reason_correct(ticket=ticket, reason_id="subscription_change", actor=agent)

    assert (correction.from_reason, correction.from_source, correction.to_reason) == (
        before.reason, "model", "subscription_change",
    )  # fmt: skip
    ticket.refresh_from_db()
    assert (ticket.contact_reason, ticket.reason_source) == ("subscription_change", "agent")
    assert ReasonCorrection.objects.count() == 1
    registry.clear_cache()
    v2 = train_version()
    assert v2.training_summary["by_source"]["agent_corrections"] == 1
    assert predict_text(text).reason == "subscription_change"  # type: ignore[union-attr]
