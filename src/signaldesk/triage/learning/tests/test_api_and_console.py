"""/api/v1/classifier and the console's review queue and models page."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client

from signaldesk.accounts.models import Role
from signaldesk.core.audit import Actor
from signaldesk.taxonomy.selectors import active_taxonomy
from signaldesk.testing.factories import MessageFactory, TicketFactory, UserFactory
from signaldesk.tickets.models import Ticket
from signaldesk.triage.learning.models import ModelVersion, ReasonCorrection, ReasonPrediction
from signaldesk.triage.services import ticket_triage

Train = Callable[[], ModelVersion]


def _post(client: Client, url: str, key: str, body: dict[str, Any] | None = None) -> Any:
    return client.post(
        url, json.dumps(body or {}), content_type="application/json",
        HTTP_AUTHORIZATION=f"Bearer {key}",
    )  # fmt: skip


def _queued_ticket(version: ModelVersion, actor: Actor) -> Ticket:
    """A ticket whose prediction is in the review queue (empty thresholds: always review)."""
    ModelVersion.objects.filter(pk=version.pk).update(thresholds={})
    ticket = TicketFactory(subject="Parcel", contact_reason="", reason_source="")
    MessageFactory(ticket=ticket, body_text="where is my parcel, order #1234")
    ticket_triage(ticket_id=ticket.pk, actor=actor)
    return ticket


@pytest.mark.django_db
def test_predict_needs_a_model_and_a_read_scope(
    client: Client, api_key_for: Callable[..., str], train_version: Train
) -> None:
    reader = api_key_for(role=Role.AGENT, scopes=["read"])
    intake_only = api_key_for(role=Role.AGENT, scopes=["intake"])
    body = {"text": "where is my parcel, order #1234"}

    assert _post(client, "/api/v1/classifier/predict", reader, body).json()["code"] == "no_model"
    train_version()
    response = _post(client, "/api/v1/classifier/predict", reader, body)

    assert response.status_code == 200
    data = response.json()
    assert data["reason"] in {"order_status", "delivery_delay"}
    assert (data["model_version"], len(data["top3"])) == (1, 3)
    assert _post(client, "/api/v1/classifier/predict", intake_only, body).status_code == 403
    assert (
        client.post(
            "/api/v1/classifier/predict", json.dumps(body), content_type="application/json"
        ).status_code
        == 401
    )


@pytest.mark.django_db
def test_versions_activate_and_retrain_are_for_managers(
    client: Client, api_key_for: Callable[..., str], train_version: Train
) -> None:
    v1 = train_version()
    train_version()
    agent = api_key_for(role=Role.AGENT, scopes=["admin"])
    manager = api_key_for(role=Role.MANAGER, scopes=["admin"])
    auth = {"HTTP_AUTHORIZATION": f"Bearer {manager}"}

    assert (
        client.get("/api/v1/classifier/versions", HTTP_AUTHORIZATION=f"Bearer {agent}").status_code
        == 403
    )
    listed = client.get("/api/v1/classifier/versions", **auth).json()
    assert [(v["version"], v["is_active"]) for v in listed] == [(2, True), (1, False)]
    activated = _post(client, f"/api/v1/classifier/versions/{v1.pk}/activate", manager)
    assert (activated.status_code, activated.json()["is_active"]) == (200, True)
    assert _post(client, "/api/v1/classifier/retrain", agent).status_code == 403
    queued = _post(client, "/api/v1/classifier/retrain?kind=tfidf", manager)
    assert (queued.status_code, queued.json()["version"], queued.json()["status"]) == (
        202, 3, "training",
    )  # fmt: skip


@pytest.mark.django_db
def test_review_queue_and_corrections_api(
    client: Client, api_key_for: Callable[..., str], train_version: Train, actor: Actor
) -> None:
    ticket = _queued_ticket(train_version(), actor)
    agent = api_key_for(role=Role.AGENT, scopes=["read", "write"])
    reader = api_key_for(role=Role.AGENT, scopes=["read"])

    queue = client.get("/api/v1/classifier/review-queue", HTTP_AUTHORIZATION=f"Bearer {agent}")
    assert [item["ticket_id"] for item in queue.json()] == [ticket.pk]
    body = {"ticket_id": ticket.pk, "reason": "lost_parcel"}
    assert _post(client, "/api/v1/classifier/corrections", reader, body).status_code == 403
    created = _post(client, "/api/v1/classifier/corrections", agent, body)

    assert created.status_code == 201
    assert (created.json()["to_reason"], created.json()["from_source"]) == ("lost_parcel", "model")
    assert created.json()["model_version"] == 1
    assert (
        client.get("/api/v1/classifier/review-queue", HTTP_AUTHORIZATION=f"Bearer {agent}").json()
        == []
    )
    bad = _post(
        client, "/api/v1/classifier/corrections", agent, {"ticket_id": ticket.pk, "reason": "nope"}
    )
    assert (bad.status_code, bad.json()["code"]) == (422, "invalid_reason")


@pytest.mark.django_db
def test_console_review_click_records_the_correction(
    client: Client, train_version: Train, actor: Actor
) -> None:
    ticket = _queued_ticket(train_version(), actor)
    prediction = ReasonPrediction.objects.get(ticket=ticket)
    client.force_login(UserFactory(role=Role.AGENT))

    page = client.get("/review/")
    assert page.status_code == 200
    assert f'id="review-{prediction.pk}"' in page.content.decode()
    second = prediction.top3[1][0]
    clicked = client.post(f"/review/{prediction.pk}/", {"reason": second}, HTTP_HX_REQUEST="true")

    assert (clicked.status_code, clicked.content) == (200, b"")
    ticket.refresh_from_db()
    assert (ticket.contact_reason, ticket.reason_source) == (second, "agent")
    assert list(ReasonCorrection.objects.values_list("ticket_id", "to_reason")) == [
        (ticket.pk, second)
    ]
    assert f'id="review-{prediction.pk}"' not in client.get("/review/").content.decode()


@pytest.mark.django_db
def test_console_ticket_page_correction_is_recorded(client: Client) -> None:
    ticket = TicketFactory(
        contact_reason="sizing",
        reason_source="model",
        reason_confidence=0.4,
        taxonomy_version="2025.1.1",
    )
    client.force_login(UserFactory(role=Role.AGENT))

    client.post(f"/tickets/{ticket.pk}/reason/", {"reason": "fit"})

    assert list(ReasonCorrection.objects.values_list("from_reason", "to_reason")) == [
        ("sizing", "fit")
    ]
    ticket.refresh_from_db()
    # the corrected reason is recorded under the taxonomy version it was chosen from
    assert (ticket.contact_reason, ticket.reason_source, ticket.taxonomy_version) == (
        "fit",
        "agent",
        active_taxonomy().version,
    )


@pytest.mark.django_db
def test_console_models_page_activates_and_retrains(client: Client, train_version: Train) -> None:
    v1 = train_version()
    train_version()
    client.force_login(UserFactory(role=Role.MANAGER))

    page = client.get("/models/")
    assert page.status_code == 200
    assert page.content.decode().count('data-testid="active-badge"') == 1
    client.post(f"/models/{v1.pk}/activate/")
    assert list(ModelVersion.objects.filter(is_active=True).values_list("version", flat=True)) == [
        1
    ]
    client.post("/models/retrain/")
    assert ModelVersion.objects.count() == 3
    client.force_login(UserFactory(role=Role.AGENT))
    assert client.get("/models/").status_code == 403
