"""The privacy API and CLI: managers and admins only, a reason required, idempotent."""

from __future__ import annotations

import json
from pathlib import Path

from django.test import Client
from typer.testing import CliRunner

from signaldesk.accounts.models import Role
from signaldesk.cli import main
from signaldesk.core.models import AuditEvent
from signaldesk.privacy.models import ErasureRecord
from signaldesk.privacy.tests.world import JANE_EMAIL, World
from signaldesk.testing.factories import UserFactory


def client_for(role: str) -> Client:
    client = Client()
    client.force_login(UserFactory(username=f"{role}-p", role=role))
    return client


def erase_url(world: World) -> str:
    return f"/api/v1/privacy/customers/{world.jane.pk}/erase"


def test_agents_and_leads_are_denied(world: World) -> None:
    codes = [
        (
            client_for(role).get(f"/api/v1/privacy/customers/{world.jane.pk}/export").status_code,
            client_for(role)
            .post(erase_url(world), json.dumps({"reason": "x"}), content_type="application/json")
            .status_code,
        )
        for role in (Role.AGENT, Role.LEAD, Role.STAKEHOLDER)
    ]
    assert codes == [(403, 403)] * 3
    assert ErasureRecord.objects.count() == 0


def test_manager_exports_streamed_json_and_it_is_audited(world: World) -> None:
    response = client_for(Role.MANAGER).get(f"/api/v1/privacy/customers/{world.jane.pk}/export")
    doc = json.loads(b"".join(response.streaming_content))
    assert (response.status_code, response["Content-Type"]) == (200, "application/json")
    assert doc["sections"]["commerce.Customer"][0]["email"] == JANE_EMAIL
    event = AuditEvent.objects.get(action="privacy.customer_exported")
    assert (event.object_id, event.context, event.actor_label) == (
        str(world.jane.pk), {"via": "api"}, "user:manager-p",
    )  # fmt: skip


def test_manager_erases_with_a_reason_twice(world: World) -> None:
    client = client_for(Role.MANAGER)
    missing = client.post(erase_url(world), json.dumps({}), content_type="application/json")
    first = client.post(
        erase_url(world),
        json.dumps({"reason": "GDPR art. 17 request"}),
        content_type="application/json",
    )
    second = client.post(
        erase_url(world), json.dumps({"reason": "again"}), content_type="application/json"
    )
    assert (missing.status_code, first.status_code, second.status_code) == (422, 200, 200)
    assert (first.json()["already_erased"], second.json()["already_erased"]) == (False, True)
    assert first.json()["counts"]["tickets.Message"] == 2
    assert ErasureRecord.objects.get().actor_label == "user:manager-p"


def test_unknown_customer_is_404(world: World) -> None:
    response = client_for(Role.ADMIN).get("/api/v1/privacy/customers/999999/export")
    assert (response.status_code, response.json()["code"]) == (404, "not_found")


def test_cli_export_then_erase(world: World, tmp_path: Path) -> None:
    main.build_app()
    out = tmp_path / "jane.json"
    runner = CliRunner()
    exported = runner.invoke(
        main.app, ["privacy", "export", "--customer", JANE_EMAIL, "--out", str(out)]
    )
    dry = runner.invoke(main.app, ["privacy", "erase", "--customer", JANE_EMAIL, "--reason", "r"])
    erased = runner.invoke(
        main.app, ["privacy", "erase", "--customer", str(world.jane.pk), "--reason", "r", "--yes"]
    )
    again = runner.invoke(
        main.app, ["privacy", "erase", "--customer", str(world.jane.pk), "--reason", "r", "--yes"]
    )
    assert [r.exit_code for r in (exported, dry, erased, again)] == [0, 0, 0, 0]
    assert json.loads(out.read_bytes())["customer_id"] == world.jane.pk
    assert "Dry run" in dry.output
    assert "already erased: nothing changed" in again.output
    assert ErasureRecord.objects.get().actor_label == "system:cli"
