"""Transactional outbox against a receiver that is away for a while: with the real worker and
beat, every webhook reaches it exactly once and in order of creation per target.

The receiver (a loopback HTTP server) is not listening at first (connection refused), then
answers 503 to its first requests, then 200. Webhooks to two targets are written in separate
transactions through `outbox_enqueue`, as domain code does."""

from __future__ import annotations

import contextlib
import json
import os
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from signaldesk.stack_tests.procs import (
    SIGNALDESK,
    free_port,
    processes,
    run_cli,
    stack_env,
    wait_until,
)
from signaldesk.stack_tests.resources import fresh_database, query, redis_database

pytestmark = pytest.mark.stack

PER_TARGET = 15
TARGETS = ("a", "b")
DOWN_SECONDS = 12.0
REFUSALS = 3  # 503 answers once it is up

_ENQUEUE = """
import json
from django.db import transaction
from django.utils import timezone
from signaldesk.core.outbox import outbox_enqueue
for seq in range({per_target}):
    for target in {targets!r}:
        with transaction.atomic():
            outbox_enqueue(
                kind="webhook", target="http://127.0.0.1:{port}/" + target,
                body=json.dumps({{"target": target, "seq": seq}}),
                dedupe_key=f"stack-outbox-{{target}}-{{seq}}", now=timezone.now(),
                headers={{"X-Test": "outbox"}},
            )
print("ENQUEUED")
"""


class Receiver:
    """Records every 2xx-answered request body per path; answers 503 to the first `refusals`."""

    def __init__(self, port: int, refusals: int) -> None:
        self.port = port
        self.refusals = refusals
        self.received: dict[str, list[dict[str, object]]] = {}
        self.refused = 0
        self.lock = threading.Lock()
        self.server: ThreadingHTTPServer | None = None

    def start(self) -> None:
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                body = self.rfile.read(int(self.headers["Content-Length"]))
                with receiver.lock:
                    refuse = receiver.refused < receiver.refusals
                    if refuse:
                        receiver.refused += 1
                    else:
                        receiver.received.setdefault(self.path, []).append(json.loads(body))
                self.send_response(503 if refuse else 200)
                self.send_header("Content-Length", "0")
                self.end_headers()

            def log_message(self, format: str, *args: object) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", self.port), Handler)
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def stop(self) -> None:
        if self.server is not None:
            self.server.shutdown()
            self.server.server_close()

    def total(self) -> int:
        with self.lock:
            return sum(len(v) for v in self.received.values())


def test_webhooks_reach_a_receiver_that_comes_back_exactly_once_in_order(tmp_path: Path) -> None:
    receiver = Receiver(free_port(), REFUSALS)
    with contextlib.ExitStack() as stack:
        db_url = stack.enter_context(fresh_database(f"sd_outbox_{os.getpid()}"))
        redis_url = stack.enter_context(redis_database(11))
        env = stack_env(
            SIGNALDESK_DATABASE_URL=db_url,
            SIGNALDESK_REDIS_URL=redis_url,
            SIGNALDESK_HOME=str(tmp_path),
        )
        run_cli(env, "migrate")
        procs = stack.enter_context(processes(env, "outbox"))
        worker = procs.start("worker", [SIGNALDESK, "worker", "--concurrency", "2"])
        procs.start("scheduler", [SIGNALDESK, "scheduler"])
        stack.callback(receiver.stop)

        script = _ENQUEUE.format(per_target=PER_TARGET, targets=TARGETS, port=receiver.port)
        assert "ENQUEUED" in run_cli(env, "manage", "shell", "-c", script)
        down_since = time.monotonic()

        def attempted() -> bool:
            rows = query(db_url, "SELECT count(*) FROM core_outboxmessage WHERE attempts > 0")
            return int(str(rows[0][0])) >= len(TARGETS)

        wait_until(attempted, timeout=90, what="first (failed) delivery attempts")
        time.sleep(max(DOWN_SECONDS - (time.monotonic() - down_since), 0))
        assert receiver.total() == 0
        receiver.start()

        wait_until(
            lambda: receiver.total() >= PER_TARGET * len(TARGETS),
            timeout=150,
            interval=1,
            what="every webhook delivered",
        )
        time.sleep(3)  # a duplicate would arrive now
        assert worker.alive(), worker.log_text()[-4000:]

        expected = list(range(PER_TARGET))
        received = {path: [body["seq"] for body in got] for path, got in receiver.received.items()}
        assert received == {f"/{target}": expected for target in TARGETS}
        assert receiver.refused == REFUSALS
        rows = query(
            db_url,
            "SELECT status, count(*) FROM core_outboxmessage GROUP BY status",
        )
        assert rows == [("delivered", PER_TARGET * len(TARGETS))]
        heads = query(
            db_url,
            "SELECT target, attempts FROM core_outboxmessage WHERE dedupe_key LIKE '%%-0' "
            "ORDER BY target",
        )
        assert all(int(str(attempts)) >= 2 for _, attempts in heads), heads
