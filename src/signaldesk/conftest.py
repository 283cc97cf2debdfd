"""Shared pytest fixtures. Tests talk to a real database (SQLite or PostgreSQL, chosen by
SIGNALDESK_DATABASE_URL) and to real servers on loopback; nothing of ours is mocked."""

from __future__ import annotations

import importlib
import json
import socket
from collections.abc import Callable, Iterator
from typing import Any, cast

import pytest

from signaldesk.core.audit import Actor
from signaldesk.testing.browser import (  # noqa: F401 - fixtures, defined once for the session
    browser,
    page,
    playwright_browser,
    screenshot,
)


@pytest.fixture
def system_actor() -> Actor:
    return Actor.system("test")


@pytest.fixture(autouse=True)
def _block_non_loopback_network(monkeypatch: pytest.MonkeyPatch) -> None:
    """Tests may only talk to servers on this machine's loopback."""
    real_connect = socket.socket.connect

    def guarded_connect(self: socket.socket, address: object) -> object:
        host = address[0] if isinstance(address, tuple) else address
        if (
            isinstance(host, str)
            and self.family in (socket.AF_INET, socket.AF_INET6)
            and not (host.startswith("127.") or host in {"::1", "localhost"})
        ):
            raise OSError(f"network access outside loopback blocked in tests: {host}")
        return real_connect(self, address)  # type: ignore[arg-type]

    monkeypatch.setattr(socket.socket, "connect", guarded_connect)


@pytest.fixture
def api_key_for(db: None, system_actor: Actor) -> Callable[..., str]:
    """Make a user with a role and an API token with scopes; returns the bearer key.

    key = api_key_for(role="agent", scopes=["intake"])"""
    from django.contrib.auth.models import User

    from signaldesk.accounts.services import api_token_create
    from signaldesk.testing.factories import UserFactory

    def make(*, role: str = "agent", scopes: list[str] | None = None) -> str:
        user = cast(User, UserFactory(role=role))
        _token, key = api_token_create(
            user=user, name=f"test {role}", scopes=scopes or [], actor=system_actor
        )
        return key

    return make


@pytest.fixture
def intake_key(api_key_for: Callable[..., str]) -> str:
    """Bearer key of an agent's token with the `intake` scope."""
    return api_key_for(role="agent", scopes=["intake"])


@pytest.fixture
def post_message(client: Any, intake_key: str) -> Callable[..., Any]:
    """POST a payload to /api/v1/messages with the intake key (or `key=`)."""

    def post(payload: dict[str, Any], *, key: str | None = None) -> Any:
        return client.post(
            "/api/v1/messages",
            data=json.dumps(payload),
            content_type="application/json",
            HTTP_AUTHORIZATION=f"Bearer {key or intake_key}",
        )

    return post


@pytest.fixture
def transactional_db_with_audit_log(transactional_db: None) -> Iterator[None]:
    """transactional_db for tests that write audit events. After the test the audit rows are
    removed so the flush can run: on SQLite the append-only triggers refuse DELETE, so they are
    dropped, the rows deleted and the triggers recreated (PostgreSQL flushes with TRUNCATE, which
    the row triggers do not see)."""
    yield
    from django.db import connection

    if connection.vendor != "sqlite":
        return
    migration = importlib.import_module("signaldesk.core.migrations.0002_audit_append_only")
    with connection.cursor() as cursor:
        for sql in migration.SQLITE_BACKWARD:
            cursor.execute(sql)
        cursor.execute("DELETE FROM core_auditevent")
        for sql in migration.SQLITE_FORWARD:
            cursor.execute(sql)
