import pytest
from django.test import Client

from signaldesk.accounts.services import api_token_create, user_create
from signaldesk.core.audit import Actor
from signaldesk.core.models import AuditEvent
from signaldesk.taxonomy.models import RelabelBatch, TagMapping, TaxonomyVersion
from signaldesk.taxonomy.services import taxonomy_load_text, taxonomy_load_yaml
from signaldesk.taxonomy.tests.yaml_samples import MINIMAL
from signaldesk.tickets.models import Ticket

pytestmark = pytest.mark.django_db


def key_for(role: str, scopes: list[str]) -> str:
    actor = Actor.system("test")
    user = user_create(
        username=f"{role}-user", email="", password="pw-123456", role=role, actor=actor
    )
    _token, key = api_token_create(user=user, name="t", scopes=scopes, actor=actor)
    return key


def call(client: Client, method: str, path: str, key: str, **kwargs: object) -> tuple[int, object]:
    response = getattr(client, method)(
        f"/api/v1/taxonomy{path}", HTTP_AUTHORIZATION=f"Bearer {key}", **kwargs
    )
    return response.status_code, response.json()


def test_stakeholder_can_read_but_not_write(client: Client, system_actor: Actor) -> None:
    old = taxonomy_load_text(text=MINIMAL, source="t.yaml", actor=system_actor)
    active = taxonomy_load_yaml(actor=system_actor)
    key = key_for("stakeholder", ["admin"])

    status, body = call(client, "get", "", key)
    assert status == 200
    assert body["version"] == active.label  # type: ignore[index]
    assert len(body["reasons"]) == 31  # type: ignore[index]
    damaged = next(r for r in body["reasons"] if r["id"] == "damaged_item")  # type: ignore[index]
    assert damaged["auto_action"] == {
        "allowed": True,
        "action": "refund_or_replace",
        "limit": 100.0,
    }
    assert damaged["escalation"]["value_threshold"] == 100.0

    status, body = call(client, "get", "/versions", key)
    assert (status, [v["label"] for v in body]) == (200, [active.label, old.label])  # type: ignore[union-attr]

    status, body = call(client, "post", f"/versions/{old.pk}/activate", key)
    assert (status, body) == (
        403,
        {"detail": "Your role may not use taxonomy.write.", "code": "permission_denied"},
    )
    status, _ = call(client, "post", "/mappings/apply", key)
    assert status == 403
    assert TaxonomyVersion.objects.get(is_active=True).pk == active.pk


def test_manager_activates_and_unauthenticated_is_refused(
    client: Client, system_actor: Actor
) -> None:
    old = taxonomy_load_text(text=MINIMAL, source="t.yaml", actor=system_actor)
    taxonomy_load_yaml(actor=system_actor)
    key = key_for("manager", ["admin"])
    status, body = call(client, "post", f"/versions/{old.pk}/activate", key)
    assert (status, body["label"], body["is_active"]) == (200, old.label, True)  # type: ignore[index]
    event = AuditEvent.objects.filter(action="taxonomy.version_activated").first()
    assert event is not None and event.actor_label == "user:manager-user"
    assert client.get("/api/v1/taxonomy").status_code == 401
    status, body = call(client, "get", "/reasons/nope", key)
    assert (status, body) == (
        404,
        {"detail": f"No contact reason 'nope' in taxonomy {old.label}.", "code": "not_found"},
    )


def test_read_scope_token_cannot_write_even_for_a_manager(client: Client) -> None:
    key = key_for("manager", ["read"])
    assert call(client, "get", "/reasons/sizing", key)[0] == 200
    status, body = call(client, "post", "/mappings/apply", key)
    assert (status, body) == (
        403,
        {"detail": "This API token lacks a scope for taxonomy.write.", "code": "permission_denied"},
    )


def test_audit_mappings_apply_and_revert_over_the_api(
    client: Client, planted: dict[str, list[Ticket]], system_actor: Actor
) -> None:
    key = key_for("manager", ["admin"])
    status, body = call(client, "get", "/audit?tags=gift-wrap", key)
    assert status == 200
    assert [u["tag"] for u in body["unused"]] == ["gift-wrap", "old-promo"]  # type: ignore[index]
    assert [b["tag"] for b in body["broad"]] == ["general"]  # type: ignore[index]

    status, body = call(client, "post", "/mappings/propose", key)
    assert (status, body) == (200, {"created": 8, "updated": 0})
    wismo = TagMapping.objects.get(tag="wismo")
    status, body = call(
        client, "post", f"/mappings/{wismo.pk}/approve", key,
        data={"reason_id": None}, content_type="application/json",
    )  # fmt: skip
    assert (status, body["status"], body["reason_id"]) == (200, "approved", "order_status")  # type: ignore[index]
    general = TagMapping.objects.get(tag="general")
    status, body = call(client, "post", f"/mappings/{general.pk}/reject", key)
    assert (status, body["status"]) == (200, "rejected")  # type: ignore[index]

    status, body = call(client, "post", "/mappings/apply", key)
    batch = RelabelBatch.objects.get()
    assert (status, body) == (
        200,
        {
            "batch_id": batch.pk,
            "tickets_changed": 5,
            "by_reason": {"order_status": 5},
            "skipped_mappings": [],
        },
    )
    status, body = call(client, "post", f"/relabels/{batch.pk}/revert", key)
    assert (status, body) == (200, {"batch_id": batch.pk, "restored": 5, "skipped": 0})
    assert Ticket.objects.filter(reason_source="tag_mapping").count() == 0
    status, body = call(client, "post", f"/relabels/{batch.pk}/revert", key)
    assert (status, body) == (
        409,
        {"detail": f"Relabel batch {batch.pk} was already reverted.", "code": "conflict"},
    )

    status, body = call(client, "get", "/mappings?status=approved", key)
    assert [m["tag"] for m in body] == ["wismo"]  # type: ignore[union-attr]
