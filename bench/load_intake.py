"""Fixed-rate load on the production stack over loopback: ticket creation, message intake and
reads against `signaldesk serve --production` (gunicorn, 4 workers) + one Celery worker, on a
big PostgreSQL database (bench/bigdb.py).

    .venv/bin/python bench/load_intake.py --db postgres://postgres@127.0.0.1:5432/sd_bigdb \
        --rate 200 --duration 600

An open-loop client (a dispatcher thread + a pool of 64 sender threads, plain http.client)
sends `rate` requests per second on a fixed schedule and measures each latency from its
scheduled send time (so a stalled server is not hidden by a client that waits: no coordinated
omission); when all 64 senders are waiting on the server, further requests are not sent and
count as errors, so an overloaded server shows up as errors and the run ends on time. Chosen
over locust because on a 2-core machine that also runs the server, locust's
gevent workers need a core of their own at 200 req/s; this client needs ~10% of one.

Mix per 20 requests: 5 ticket creations (POST /api/v1/messages from a new customer, with a
thread id), 5 intakes onto an existing ticket (same thread id: threaded onto the ticket it
created), 4 GET /api/v1/tickets/{id} (random over the whole table), 3 GET /api/v1/messages/{id},
3 GET /api/v1/tickets?status=open (first page). Prints p50/p95/p99/max per kind, errors, and the
RSS of the gunicorn process group every 30 s."""

from __future__ import annotations

import argparse
import contextlib
import http.client
import json
import os
import random
import sys
import threading
import time
import uuid
from collections import defaultdict
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))

from signaldesk.stack_tests.procs import (
    SIGNALDESK,
    free_port,
    processes,
    run_cli,
    stack_env,
    wait_http_ok,
)
from signaldesk.stack_tests.resources import redis_database

POOL = 64  # sender threads = the most requests in flight at once
MIX = ["create"] * 5 + ["intake"] * 5 + ["ticket"] * 4 + ["message"] * 3 + ["list"] * 3

_TOKEN = """
from django.contrib.auth import get_user_model
from signaldesk.accounts.models import AgentProfile
from signaldesk.accounts.services import api_token_create
from signaldesk.core.audit import Actor
from django.db.models import Max
from signaldesk.tickets.models import Message, Ticket
user, _ = get_user_model().objects.get_or_create(username="bench-load")
AgentProfile.objects.get_or_create(user=user, defaults={"role": "lead"})
_t, key = api_token_create(user=user, name="load", scopes=["intake", "read"],
                           actor=Actor.system("bench"))
print("KEY=" + key)
print("TICKETS=%d" % Ticket.objects.aggregate(m=Max("id"))["m"])
print("MESSAGES=%d" % Message.objects.aggregate(m=Max("id"))["m"])
"""


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(q / 100 * (len(ordered) - 1))))]


def group_rss_mb(pgid: int) -> tuple[float, list[float]]:
    """Total and per-process RSS (MB) of the processes in process group `pgid`."""
    per: list[float] = []
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        with contextlib.suppress(OSError):
            if os.getpgid(int(entry)) != pgid:
                continue
            for line in Path(f"/proc/{entry}/status").read_text().splitlines():
                if line.startswith("VmRSS:"):
                    per.append(int(line.split()[1]) / 1024)
    return sum(per), sorted(per)


class Load:
    def __init__(self, port: int, key: str, tickets: int, messages: int) -> None:
        self.port = port
        self.auth = {"Authorization": f"Bearer {key}", "Accept": "application/json"}
        self.tickets, self.messages = tickets, messages
        self.run = uuid.uuid4().hex[:8]
        self.threads: list[int] = []
        self.lock = threading.Lock()
        self.latency: dict[str, list[float]] = defaultdict(list)
        self.errors: dict[str, int] = defaultdict(int)
        self.rng = random.Random(7)
        self.inflight = 0

    def request(self, kind: str, seq: int) -> tuple[str, str, bytes | None]:
        if kind == "intake":
            with self.lock:
                thread = self.threads[self.rng.randrange(len(self.threads))] if self.threads else -1
            if thread < 0:
                kind = "create"
            else:
                body = self._message(thread, f"Any news? follow-up {seq}")
                return "POST", "/api/v1/messages", body
        if kind == "create":
            with self.lock:
                self.threads.append(seq)
            return "POST", "/api/v1/messages", self._message(seq, "My parcel arrived damaged.")
        if kind == "ticket":
            return "GET", f"/api/v1/tickets/{self.rng.randint(1, self.tickets)}", None
        if kind == "message":
            return "GET", f"/api/v1/messages/{self.rng.randint(1, self.messages)}", None
        return "GET", "/api/v1/tickets?status=open&limit=25", None

    def _message(self, thread: int, text: str) -> bytes:
        return json.dumps(
            {
                "channel": "chat",
                "customer": {"email": f"load-{self.run}-{thread}@example.com", "name": "Load"},
                "subject": f"Load {thread}",
                "text": text,
                "external_thread_id": f"load-{self.run}-{thread}",
                "idempotency_key": f"load-{self.run}-{uuid.uuid4().hex}",
            }
        ).encode()

    def send(self, kind: str, seq: int, scheduled: float, record: bool = True) -> None:
        method, path, body = self.request(kind, seq)
        label = kind
        try:
            conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=30)
            headers = dict(self.auth)
            if body is not None:
                headers["Content-Type"] = "application/json"
            conn.request(method, path, body=body, headers=headers)
            response = conn.getresponse()
            response.read()
            conn.close()
            ok = response.status in (200, 201) or (kind in ("ticket", "message") and
                                                   response.status == 404)  # fmt: skip
            if not ok:
                self.errors[f"{label} http {response.status}"] += 1
        except (OSError, http.client.HTTPException) as exc:
            self.errors[f"{label} {type(exc).__name__}"] += 1  # warm-up errors count too
        with self.lock:
            self.inflight -= 1
        if record:
            self.latency[label].append((time.perf_counter() - scheduled) * 1000)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--db", required=True)
    parser.add_argument("--rate", type=float, default=200.0)
    parser.add_argument("--duration", type=float, default=120.0)
    parser.add_argument("--web-workers", type=int, default=4)
    parser.add_argument("--warmup", type=float, default=15.0)
    args = parser.parse_args()
    home = Path("/tmp/signaldesk-load-home")
    home.mkdir(exist_ok=True)
    with redis_database(9) as redis_url:
        env = stack_env(
            SIGNALDESK_DATABASE_URL=args.db,
            SIGNALDESK_REDIS_URL=redis_url,
            SIGNALDESK_HOME=str(home),
            SIGNALDESK_LOG_LEVEL="WARNING",
        )
        out = run_cli(env, "manage", "shell", "-c", _TOKEN, timeout=300)
        values = dict(line.split("=", 1) for line in out.splitlines() if "=" in line)
        port = free_port()
        with processes(env, "load") as procs:
            web = procs.start(
                "web",
                [SIGNALDESK, "serve", "--production", "--workers", str(args.web_workers),
                 "--port", str(port), "--no-collectstatic"],
            )  # fmt: skip
            wait_http_ok(port, "/readyz", proc=web, timeout=180)
            procs.start("worker", [SIGNALDESK, "worker", "--concurrency", "1"])
            load = Load(port, values["KEY"], int(values["TICKETS"]), int(values["MESSAGES"]))
            pool = ThreadPoolExecutor(max_workers=POOL)
            total = args.warmup + args.duration
            start = time.perf_counter()
            rss: list[tuple[float, float, list[float]]] = []
            next_rss = start
            seq = 0
            measured_from = start + args.warmup
            print(f"load average at start: {os.getloadavg()}", flush=True)
            while (now := time.perf_counter()) < start + total:
                scheduled = start + seq / args.rate
                if scheduled > now:
                    time.sleep(min(scheduled - now, 0.01))
                    continue
                kind = MIX[seq % len(MIX)]
                if load.inflight >= POOL:
                    # every sender is waiting on the server: the request is not sent (counted
                    # as an error) so the run keeps its schedule and ends on time
                    load.errors[f"{kind} not sent: {POOL} requests already in flight"] += 1
                else:
                    with load.lock:
                        load.inflight += 1
                    pool.submit(load.send, kind, seq, scheduled, scheduled >= measured_from)
                seq += 1
                if now >= next_rss:
                    total_mb, per = group_rss_mb(web.popen.pid)
                    rss.append((now - start, total_mb, per))
                    if len(rss) % 6 == 1:
                        print(f"  t={now - start:5.0f}s gunicorn RSS {total_mb:6.0f} MB "
                              f"(per process {[round(p) for p in per]}), "
                              f"load {os.getloadavg()[0]:.1f}", flush=True)  # fmt: skip
                    next_rss += 5
            pool.shutdown(wait=True)
            elapsed = time.perf_counter() - start
            print(f"sent {seq} requests in {elapsed:.0f}s ({seq / elapsed:.0f}/s incl. warm-up)")
            print(f"load average at end: {os.getloadavg()}")
            for kind in ("create", "intake", "ticket", "message", "list"):
                values_ms = load.latency.get(kind, [])
                if values_ms:
                    p50, p95, p99 = (percentile(values_ms, q) for q in (50, 95, 99))
                    print(
                        f"{kind:8} n={len(values_ms):6}  p50 {p50:7.1f}  p95 {p95:7.1f}  "
                        f"p99 {p99:7.1f}  max {max(values_ms):7.1f} ms"
                    )
            print(f"errors: {dict(load.errors) or 0}")
            first, last = rss[len(rss) // 10], rss[-1]
            peak = max(r[1] for r in rss)
            print(f"gunicorn RSS: {first[1]:.0f} MB at t={first[0]:.0f}s -> {last[1]:.0f} MB at "
                  f"t={last[0]:.0f}s; max {peak:.0f} MB")  # fmt: skip


if __name__ == "__main__":
    main()
