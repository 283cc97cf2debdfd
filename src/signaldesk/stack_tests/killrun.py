"""Ingest under SIGKILL: the scenario shared by test_stack_kill.py (CI size) and
bench/kill_ingest.py (100,000 messages).

Client threads post N messages with idempotency keys and retry each one with the same key on a
connection error, a 5xx or a 409 (as a real client would), while a killer SIGKILLs the web
server's process group and the Celery worker's several times at fixed points of progress and
restarts them. Beat runs the triage sweep (triage/tasks.py) every few seconds, which re-queues
triage lost to the kills. The caller then checks the database."""

from __future__ import annotations

import contextlib
import http.client
import os
import signal
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

from signaldesk.stack_tests.procs import (
    SIGNALDESK,
    Proc,
    Processes,
    free_port,
    http_request,
    message_payload,
    processes,
    provision,
    stack_env,
    wait_http_ok,
    wait_until,
)
from signaldesk.stack_tests.resources import query

PREFIX = "kill"
# (fraction of messages sent, what to kill): web = gunicorn master and workers, worker = the
# Celery worker and its pool. Each is restarted straight away.
KILLS = (
    (0.10, "web"),
    (0.22, "worker"),
    (0.36, "web"),
    (0.50, "worker"),
    (0.64, "web+worker"),
    (0.80, "worker"),
)
RETRY_PAUSE = 0.2


@dataclass
class Client:
    """`threads` threads share the message numbers 0..n-1; each message is posted until it gets
    201 or 200, with the same idempotency key every time."""

    port: int
    auth: dict[str, str]
    n: int
    customers: int
    accepted: dict[str, int] = field(default_factory=dict)  # key -> message id
    tickets: set[int] = field(default_factory=set)
    retries: dict[str, int] = field(default_factory=dict)  # cause -> count
    done: int = 0
    _next: int = 0
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def _take(self) -> int | None:
        with self._lock:
            if self._next >= self.n:
                return None
            self._next += 1
            return self._next - 1

    def _retry(self, cause: str) -> None:
        with self._lock:
            self.retries[cause] = self.retries.get(cause, 0) + 1
        time.sleep(RETRY_PAUSE)

    def run(self, deadline: float) -> None:
        while (i := self._take()) is not None:
            payload = message_payload(i, prefix=PREFIX, customers=self.customers)
            while time.monotonic() < deadline:
                try:
                    reply = http_request(
                        self.port, "POST", "/api/v1/messages", payload=payload, headers=self.auth
                    )
                except (OSError, http.client.HTTPException) as exc:
                    self._retry(type(exc).__name__)
                    continue
                if reply.status >= 500 or reply.status == 409:
                    self._retry(f"http {reply.status}")
                    continue
                assert reply.status in (200, 201), (reply.status, reply.body[:500])
                body = reply.json()
                with self._lock:
                    self.accepted[str(payload["idempotency_key"])] = int(body["message_id"])
                    self.tickets.add(int(body["ticket_id"]))
                    self.done += 1
                break


@dataclass
class Stack:
    """The web server, worker and beat of one run; `kill` SIGKILLs a process group and starts a
    fresh process in its place (logs: artifacts/stack/<prefix>-<name>-<generation>.log)."""

    procs: Processes
    port: int
    web_workers: int
    worker_concurrency: int
    generation: dict[str, int] = field(default_factory=dict)
    current: dict[str, Proc] = field(default_factory=dict)

    def start(self, name: str) -> Proc:
        self.generation[name] = self.generation.get(name, 0) + 1
        args = {
            "web": [SIGNALDESK, "serve", "--production", "--workers", str(self.web_workers),
                    "--port", str(self.port), "--no-collectstatic"],
            "worker": [SIGNALDESK, "worker", "--concurrency", str(self.worker_concurrency)],
            "beat": [SIGNALDESK, "scheduler"],
        }[name]  # fmt: skip
        proc = self.procs.start(f"{name}-{self.generation[name]}", args)
        self.current[name] = proc
        return proc

    def kill(self, name: str) -> None:
        proc = self.current[name]
        with contextlib.suppress(ProcessLookupError):
            os.killpg(proc.popen.pid, signal.SIGKILL)
        proc.popen.wait(30)
        self.start(name)


@dataclass
class KillReport:
    n: int
    seconds_ingest: float = 0.0
    seconds_triaged: float = 0.0
    kills: list[tuple[float, str]] = field(default_factory=list)  # (seconds, what)
    retries: dict[str, int] = field(default_factory=dict)
    accepted: dict[str, int] = field(default_factory=dict)
    tickets: set[int] = field(default_factory=set)
    triage_runs: dict[str, int] = field(default_factory=dict)  # JobRun status -> count


def _killer(stack: Stack, client: Client, report: KillReport, started: float) -> None:
    for fraction, what in KILLS:
        while client.done < fraction * client.n:
            time.sleep(0.05)
        for name in what.split("+"):
            stack.kill(name)
            report.kills.append((round(time.monotonic() - started, 1), name))


def untriaged(db_url: str, prefix: str = PREFIX) -> int:
    """Tickets with messages of this run whose enrichment has not seen every inbound message."""
    rows = query(
        db_url,
        "SELECT count(*) FROM ("
        " SELECT m.ticket_id, count(*) AS n FROM tickets_message m"
        " WHERE m.idempotency_key LIKE %s AND m.direction = 'inbound' GROUP BY m.ticket_id"
        ") t LEFT JOIN triage_ticketenrichment e ON e.ticket_id = t.ticket_id"
        " WHERE e.id IS NULL OR e.messages_seen < t.n",
        (f"{prefix}-%",),
    )
    return int(str(rows[0][0]))


def run_kill_scenario(
    *,
    db_url: str,
    redis_url: str,
    home: Path,
    n: int,
    threads: int = 8,
    web_workers: int = 2,
    worker_concurrency: int = 2,
    ingest_timeout: float = 1200.0,
    triage_timeout: float = 600.0,
) -> KillReport:
    """Provision the database, run the stack, ingest `n` messages under kills, wait until every
    ticket of the run is triaged (or `triage_timeout`); returns what happened."""
    env = stack_env(
        SIGNALDESK_DATABASE_URL=db_url,
        SIGNALDESK_REDIS_URL=redis_url,
        SIGNALDESK_HOME=str(home),
        SIGNALDESK_LOG_LEVEL="WARNING",
        SIGNALDESK_HEARTBEAT_SECONDS="30",
        SIGNALDESK_TRIAGE_SWEEP_SECONDS="5",
        SIGNALDESK_TRIAGE_SWEEP_GRACE_SECONDS="15",
    )
    key = provision(env)
    report = KillReport(n=n)
    with processes(env, "kill") as procs:
        stack = Stack(procs, free_port(), web_workers, worker_concurrency)
        web = stack.start("web")
        wait_http_ok(stack.port, "/readyz", proc=web, timeout=120)
        stack.start("worker")
        stack.start("beat")
        client = Client(stack.port, {"Authorization": f"Bearer {key}"}, n, customers=n // 2)
        started = time.monotonic()
        deadline = started + ingest_timeout
        senders = [
            threading.Thread(target=client.run, args=(deadline,), daemon=True)
            for _ in range(threads)
        ]
        killer = threading.Thread(
            target=_killer, args=(stack, client, report, started), daemon=True
        )
        for thread in [*senders, killer]:
            thread.start()
        for thread in senders:
            thread.join(max(deadline - time.monotonic(), 0) + 30)
        killer.join(60)
        report.seconds_ingest = time.monotonic() - started
        report.accepted, report.tickets = dict(client.accepted), set(client.tickets)
        report.retries = dict(client.retries)
        wait_until(
            lambda: untriaged(db_url) == 0,
            timeout=triage_timeout,
            interval=2,
            what="every ticket of the run triaged",
        )
        report.seconds_triaged = time.monotonic() - started
        rows = query(
            db_url,
            "SELECT status, count(*) FROM core_jobrun WHERE task_name = 'triage.ticket' GROUP BY 1",
        )
        report.triage_runs = {str(status): int(str(count)) for status, count in rows}
    return report
