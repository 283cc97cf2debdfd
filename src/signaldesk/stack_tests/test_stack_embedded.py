"""The embedded default as shipped: `signaldesk serve` on SQLite, no Redis. Jobs run in-process
after commit and the periodic jobs of config/schedule.py run from serve's scheduler thread."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from signaldesk.stack_tests.procs import (
    SIGNALDESK,
    free_port,
    http_request,
    message_payload,
    processes,
    provision,
    stack_env,
    wait_http_ok,
    wait_until,
)

pytestmark = pytest.mark.stack


def test_embedded_serve_runs_jobs_and_periodic_jobs_in_process(tmp_path: Path) -> None:
    env = stack_env(
        DJANGO_SETTINGS_MODULE="signaldesk.config.settings.embedded",
        SIGNALDESK_HOME=str(tmp_path),
        SIGNALDESK_HEARTBEAT_SECONDS="1",
    )
    key = provision(env)
    database = tmp_path / "var" / "signaldesk.sqlite3"

    def rows(sql: str) -> list[tuple[object, ...]]:
        with sqlite3.connect(database, timeout=30) as conn:
            return list(conn.execute(sql).fetchall())

    with processes(env, "embedded") as procs:
        port = free_port()
        web = procs.start("serve", [SIGNALDESK, "serve", "--port", str(port)])
        wait_http_ok(port, "/healthz", proc=web)
        replies = [
            http_request(
                port, "POST", "/api/v1/messages",
                payload=message_payload(i, prefix="embedded", customers=2),
                headers={"Authorization": f"Bearer {key}"},
            ).status
            for i in range(3)
        ]  # fmt: skip

        assert replies == [201, 201, 201]
        wait_until(
            lambda: rows("SELECT beats FROM core_heartbeat WHERE name = 'scheduler'") >= [(2,)],
            timeout=30,
            what="two heartbeats from the embedded scheduler",
        )
        ready = http_request(port, "GET", "/readyz").json()
        assert ready["checks"] == {"database": "ok", "redis": "not_configured"}
        assert ready["scheduler_heartbeat_age_seconds"] is not None
        assert rows(
            "SELECT count(*) FROM tickets_message WHERE idempotency_key LIKE 'embedded-%'"
        ) == [(3,)]
        assert rows("SELECT count(*) FROM core_jobrun WHERE status = 'failed'") == [(0,)]
        assert web.alive()
