"""The production stack for real: gunicorn (2 workers), a Celery worker, Celery beat, a fresh
PostgreSQL database and a private Redis DB; ~50 messages through POST /api/v1/messages."""

from __future__ import annotations

import contextlib
import os
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
from celery import Celery

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
from signaldesk.stack_tests.resources import fresh_database, query, redis_database

pytestmark = pytest.mark.stack

MESSAGES = 50
CUSTOMERS = 20
RESENT = 10


def test_production_stack_end_to_end(tmp_path: Path) -> None:
    timings: dict[str, float] = {}
    started = time.monotonic()
    with contextlib.ExitStack() as stack:
        db_url = stack.enter_context(fresh_database(f"signaldesk_stack_{os.getpid()}"))
        redis_url = stack.enter_context(redis_database(13))
        env = stack_env(
            SIGNALDESK_DATABASE_URL=db_url,
            SIGNALDESK_REDIS_URL=redis_url,
            SIGNALDESK_HOME=str(tmp_path),
            SIGNALDESK_HEARTBEAT_SECONDS="2",
        )
        key = provision(env)
        timings["provision"] = time.monotonic() - started
        auth = {"Authorization": f"Bearer {key}"}

        procs = stack.enter_context(processes(env, "e2e"))
        port = free_port()
        web = procs.start(
            "web", [SIGNALDESK, "serve", "--production", "--workers", "2", "--port", str(port)]
        )
        wait_http_ok(port, "/healthz", proc=web)
        timings["web_up"] = time.monotonic() - started
        # Started after the web is up: boots do not compete for the CPU (2-core CI machines).
        worker = procs.start("worker", [SIGNALDESK, "worker", "--concurrency", "2"])
        beat = procs.start("scheduler", [SIGNALDESK, "scheduler"])

        ready = http_request(port, "GET", "/readyz")
        assert (ready.status, ready.json()["checks"]) == (200, {"database": "ok", "redis": "ok"})

        def send(i: int) -> tuple[int, dict[str, object]]:
            payload = message_payload(i % MESSAGES, prefix="e2e", customers=CUSTOMERS)
            reply = http_request(port, "POST", "/api/v1/messages", payload=payload, headers=auth)
            return reply.status, reply.json()

        with ThreadPoolExecutor(max_workers=6) as pool:
            first = list(pool.map(send, range(MESSAGES)))
            again = list(pool.map(send, range(RESENT)))
        timings["sent"] = time.monotonic() - started

        assert [status for status, _ in first] == [201] * MESSAGES, first
        assert [status for status, _ in again] == [200] * RESENT, again
        assert [body["message_id"] for _, body in again] == [
            body["message_id"] for _, body in first[:RESENT]
        ]
        stored = query(
            db_url,
            "SELECT count(*), count(DISTINCT idempotency_key) FROM tickets_message "
            "WHERE idempotency_key LIKE 'e2e-%'",
        )
        assert stored == [(MESSAGES, MESSAGES)]
        ticket_ids = {int(str(body["ticket_id"])) for _, body in first}

        # Intake enqueues triage.ticket once per stored message (after commit). On top, each
        # ticket is sent twice more straight to the broker: every ticket must then have at least
        # two successful runs on the worker, and the task must be idempotent (one enrichment
        # row per ticket however often it ran).
        broker = Celery("stack-test-client", broker=redis_url)
        for _round in range(2):
            for ticket_id in sorted(ticket_ids):
                broker.send_task("triage.ticket", args=[ticket_id])
        broker.close()

        def triaged() -> bool:
            rows = query(
                db_url,
                "SELECT (args->>0)::bigint, count(*) FROM core_jobrun "
                "WHERE task_name = 'triage.ticket' AND status = 'succeeded' GROUP BY 1",
            )
            runs = {int(str(ticket)): int(str(count)) for ticket, count in rows}
            return all(runs.get(ticket, 0) >= 2 for ticket in ticket_ids)

        assert worker.alive(), worker.log_text()[-4000:]
        wait_until(triaged, timeout=60, what="two triage.ticket runs for every ticket")
        enriched = query(
            db_url,
            "SELECT count(*), count(DISTINCT ticket_id) FROM triage_ticketenrichment "
            "WHERE ticket_id = ANY(%s) AND language <> ''",
            (sorted(ticket_ids),),
        )
        assert enriched == [(len(ticket_ids), len(ticket_ids))]
        failed = query(db_url, "SELECT task_name, error FROM core_jobrun WHERE status = 'failed'")
        assert failed == []
        timings["triaged"] = time.monotonic() - started

        def beats() -> int:
            rows = query(db_url, "SELECT beats FROM core_heartbeat WHERE name = 'scheduler'")
            return int(str(rows[0][0])) if rows else 0

        assert beat.alive(), beat.log_text()[-4000:]
        wait_until(lambda: beats() >= 2, timeout=45, what="two scheduler heartbeats")
        ready = http_request(port, "GET", "/readyz").json()
        assert ready["status"] == "ready"
        assert 0 <= ready["scheduler_heartbeat_age_seconds"] <= 30
        timings["heartbeat"] = time.monotonic() - started
        assert all(proc.alive() for proc in (web, worker, beat))

    print("stack e2e timings (s, cumulative):", {k: round(v, 1) for k, v in timings.items()})
