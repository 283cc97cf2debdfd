"""`signaldesk import <kind> FILE` and POST /api/v1/imports/{kind}."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from typer.testing import CliRunner

from signaldesk.accounts.services import api_token_create, user_create
from signaldesk.cli.imports import app
from signaldesk.commerce.models import Review
from signaldesk.intake.models import ImportRowError, ImportRun

pytestmark = pytest.mark.django_db

REVIEWS = "review_id,sku,rating,created_at\nV1,LS-M,5,2024-03-12\nV2,LS-M,7,2024-03-12\n"


def test_cli_imports_and_prints_errors_and_summary(tmp_path: Path):
    path = tmp_path / "reviews.csv"
    path.write_text(REVIEWS)
    result = CliRunner().invoke(app, ["reviews", str(path), "--no-progress"])

    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert lines[0] == "reviews.csv:3: rating: must be a whole number from 1 to 5, got 7"
    run = ImportRun.objects.get()
    assert lines[1].startswith(
        "reviews reviews.csv (utf-8): read 2, created 1, updated 0, unchanged 0, failed 1 in "
    )
    assert lines[1].endswith(f"; run #{run.pk}")
    assert ImportRowError.objects.filter(run=run).count() == 1
    assert Review.objects.count() == 1


def test_cli_rejects_wrong_file_with_exit_2(tmp_path: Path):
    path = tmp_path / "orders.csv"
    path.write_text(REVIEWS)
    result = CliRunner().invoke(app, ["shopify-orders", str(path), "--no-progress"])

    assert result.exit_code == 2
    assert "orders.csv: missing required column(s): Name, Created at" in result.output
    assert ImportRun.objects.count() == 0


def _token(role: str, scopes: list[str], system_actor) -> str:
    user = user_create(
        username=f"u-{role}", email="", password="pw-Long-enough-1", role=role, actor=system_actor
    )
    _, key = api_token_create(user=user, name="t", scopes=scopes, actor=system_actor)
    return key


def _post(kind: str, key: str | None, body: str = REVIEWS):
    headers = {"HTTP_AUTHORIZATION": f"Bearer {key}"} if key else {}
    upload = SimpleUploadedFile("reviews.csv", body.encode(), content_type="text/csv")
    return Client().post(f"/api/v1/imports/{kind}", {"file": upload}, **headers)


def test_api_imports_with_manager_token(system_actor):
    key = _token("manager", ["import"], system_actor)
    response = _post("reviews", key)

    assert response.status_code == 200, response.content
    body = response.json()
    assert body["counts"] == {"read": 2, "created": 1, "updated": 0, "unchanged": 0, "failed": 1}
    assert body["errors"] == [
        {"line": 3, "column": "rating", "reason": "must be a whole number from 1 to 5, got 7"}
    ]
    assert (body["file_name"], body["kind"], body["errors_truncated"]) == (
        "reviews.csv",
        "reviews",
        False,
    )
    assert ImportRun.objects.get(pk=body["run_id"]).started_by.username == "u-manager"


def test_api_wrong_file_is_422(system_actor):
    key = _token("manager", ["import"], system_actor)
    response = _post("shipments", key)

    assert response.status_code == 422
    assert response.json() == {
        "detail": "reviews.csv: missing required column(s): order_number, tracking_number, "
        "carrier, status — is this a shipments CSV (see docs/formats.md)?",
        "code": "bad_file",
    }


def test_api_unknown_kind_is_404(system_actor):
    key = _token("manager", ["import"], system_actor)
    response = _post("magento-orders", key)
    assert (response.status_code, response.json()["code"]) == (404, "not_found")


def test_api_requires_authentication():
    response = _post("reviews", None)
    assert response.status_code == 401
    assert response.json() == {"detail": "Authentication required.", "code": "unauthenticated"}


def test_api_forbids_agents_and_tokens_without_import_scope(system_actor):
    agent = _post("reviews", _token("agent", ["import"], system_actor))
    assert (agent.status_code, agent.json()["code"]) == (403, "permission_denied")
    unscoped = _post("reviews", _token("admin", ["read"], system_actor))
    assert (unscoped.status_code, unscoped.json()["code"]) == (403, "permission_denied")
    assert ImportRun.objects.count() == 0
