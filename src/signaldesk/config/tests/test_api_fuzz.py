"""Fuzz every operation of the OpenAPI schema with schemathesis: generated bodies, parameters and
headers, valid and invalid, sent as an admin token through the real WSGI application and a real
database. No input may produce a server error (5xx); everything bad must be a clear 4xx."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.db import close_old_connections, transaction
from hypothesis import HealthCheck, settings

EXAMPLES_PER_OPERATION = 12


from signaldesk.config.wsgi import application  # noqa: E402 - after pytest-django's setup

# Loaded once at collection: reading /api/v1/openapi.json needs no database.
schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", application)


@pytest.fixture(autouse=True)
def _keep_the_test_connection() -> Iterator[None]:
    """schemathesis calls the raw WSGI application, whose request signals would close the test's
    database connection (Django's test Client disconnects the same handler while it runs)."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@pytest.fixture
def admin_key(api_key_for: Callable[..., str]) -> str:
    return api_key_for(role="admin", scopes=["admin"])


@schema.parametrize()
@settings(
    max_examples=EXAMPLES_PER_OPERATION,
    deadline=None,
    derandomize=True,
    suppress_health_check=list(HealthCheck),
)
@pytest.mark.django_db
def test_no_input_causes_a_server_error(case: Any, admin_key: str) -> None:
    # each example in its own savepoint: on PostgreSQL a refused value (reported as a 422) aborts
    # the surrounding test transaction, which a production request, in autocommit, never shares
    savepoint = transaction.savepoint()
    try:
        response = case.call(headers={"Authorization": f"Bearer {admin_key}"})
    finally:
        transaction.savepoint_rollback(savepoint)
    assert response.status_code < 500, (
        f"{case.method} {case.formatted_path} → {response.status_code}\n"
        f"body sent: {case.body!r}\nquery: {case.query!r}\nresponse: {response.text[:500]}"
    )
