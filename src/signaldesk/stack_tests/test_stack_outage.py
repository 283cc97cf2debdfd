"""Database outage under load: the app answers 503 + Retry-After while PostgreSQL is down and
recovers by itself when it is back, with no accepted message lost or stored twice.

The app runs against a private PostgreSQL cluster (temp dir, own port) that this test stops and
starts; the machine's shared PostgreSQL is never touched."""

from __future__ import annotations

import contextlib
import threading
import time
from dataclasses import dataclass, field
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
from signaldesk.stack_tests.resources import PrivateCluster, query, redis_database, with_database

pytestmark = pytest.mark.stack

MESSAGES = 40
UNAVAILABLE = {"detail": "Service temporarily unavailable, retry shortly.", "code": "unavailable"}


@dataclass
class Sender:
    """Posts messages 0..MESSAGES-1 one after another; on 503 it retries the same message (same
    idempotency key) after a short pause, as a client honouring Retry-After would."""

    port: int
    auth: dict[str, str]
    statuses: list[int] = field(default_factory=list)
    unavailable: list[tuple[dict[str, str], object]] = field(default_factory=list)
    accepted: dict[str, int] = field(default_factory=dict)  # idempotency key -> message id
    sent: int = 0
    stop: threading.Event = field(default_factory=threading.Event)

    def run(self) -> None:
        for i in range(MESSAGES):
            payload = message_payload(i, prefix="outage", customers=8)
            while not self.stop.is_set():
                try:
                    reply = http_request(
                        self.port, "POST", "/api/v1/messages", payload=payload, headers=self.auth
                    )
                except OSError:
                    self.statuses.append(-1)
                    time.sleep(0.2)
                    continue
                self.statuses.append(reply.status)
                if reply.status == 503:
                    self.unavailable.append((reply.headers, reply.json()))
                    time.sleep(0.3)
                    continue
                if reply.status in (200, 201):
                    self.accepted[str(payload["idempotency_key"])] = reply.json()["message_id"]
                break
            self.sent = i + 1
            time.sleep(0.05)


def test_database_outage_gives_503_then_recovers(tmp_path: Path) -> None:
    cluster = PrivateCluster(free_port())
    try:
        cluster.init()
        cluster.start()
        query(cluster.url, "CREATE DATABASE signaldesk")
        db_url = with_database(cluster.url, "signaldesk")
        with redis_database(14) as redis_url, contextlib.ExitStack() as stack:
            env = stack_env(
                SIGNALDESK_DATABASE_URL=db_url,
                SIGNALDESK_REDIS_URL=redis_url,
                SIGNALDESK_HOME=str(tmp_path),
            )
            key = provision(env)
            procs = stack.enter_context(processes(env, "outage"))
            port = free_port()
            web = procs.start(
                "web",
                [SIGNALDESK, "serve", "--production", "--workers", "2", "--port", str(port),
                 "--no-collectstatic"],
            )  # fmt: skip
            wait_http_ok(port, "/readyz", proc=web)

            sender = Sender(port=port, auth={"Authorization": f"Bearer {key}"})
            thread = threading.Thread(target=sender.run, daemon=True)
            thread.start()
            try:
                wait_until(lambda: sender.sent >= 10, timeout=60, what="10 messages before outage")
                cluster.stop()

                # Down: API, pages and readiness say "retry", liveness stays green.
                wait_until(lambda: sender.unavailable, timeout=30, what="a 503 seen under load")
                api = http_request(
                    port, "POST", "/api/v1/messages",
                    payload=message_payload(999, prefix="probe", customers=1),
                    headers=sender.auth,
                )  # fmt: skip
                assert (api.status, api.headers["retry-after"], api.json()) == (
                    503, "5", UNAVAILABLE,
                )  # fmt: skip
                page = http_request(port, "GET", "/", headers={"Cookie": "sessionid=" + "a" * 32})
                assert (page.status, page.headers.get("retry-after")) == (503, "5"), page
                assert page.headers["content-type"].startswith("text/html")
                assert b"temporarily unavailable" in page.body
                ready = http_request(port, "GET", "/readyz")
                assert (ready.status, ready.json()["checks"]["database"]) == (503, "unavailable")
                assert http_request(port, "GET", "/healthz").status == 200
                sent_during_outage = sender.sent
                time.sleep(2)
                assert sender.sent == sent_during_outage  # nothing accepted while down

                cluster.start()

                # Back: no restart of the app; the sender finishes every message.
                wait_until(lambda: not thread.is_alive(), timeout=60, what="sender to finish")
            finally:
                sender.stop.set()
                thread.join(10)

            assert sender.sent == MESSAGES
            assert set(sender.statuses) <= {200, 201, 503}, sender.statuses
            assert all(
                (headers["retry-after"], body) == ("5", UNAVAILABLE)
                for headers, body in sender.unavailable
            )
            assert len(sender.accepted) == MESSAGES
            stored = query(
                db_url,
                "SELECT idempotency_key, id FROM tickets_message "
                "WHERE idempotency_key LIKE 'outage-%' ORDER BY id",
            )
            assert dict((str(k), int(str(v))) for k, v in stored) == sender.accepted
            assert len(stored) == MESSAGES
            assert http_request(port, "GET", "/readyz").status == 200
            assert web.alive()
    finally:
        cluster.destroy()
