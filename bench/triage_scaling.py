"""Background triage throughput with 1 and then 2 Celery workers (concurrency 1 each).

    .venv/bin/python bench/triage_scaling.py --tickets 3000

Builds its own database sd_triage_scale with bench/bigdb.py (K tickets with customers, orders
and messages), starts the workers, waits until they are ready, then queues triage.ticket for
all K tickets at once and measures tickets/s from the first run's start to the last run's end
(JobRun rows), once per worker count. The machine has 2 cores: perfect scaling is 2.0x."""

from __future__ import annotations

import argparse
import contextlib
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))

from celery import Celery

from signaldesk.stack_tests.procs import SIGNALDESK, processes, stack_env, wait_until
from signaldesk.stack_tests.resources import fresh_database, query, redis_database

BENCH = Path(__file__).resolve().parent


def run_round(env: dict[str, str], db_url: str, redis_url: str, workers: int, k: int) -> float:
    query(db_url, "DELETE FROM core_jobrun WHERE task_name = 'triage.ticket'")
    with processes(env, f"scale{workers}") as procs:
        started = [
            procs.start(f"worker{n}", [SIGNALDESK, "worker", "--concurrency", "1"])
            for n in range(workers)
        ]
        wait_until(
            lambda: all("ready." in p.log_text() for p in started),
            timeout=180,
            what="workers ready",
        )
        broker = Celery("scale-client", broker=redis_url)
        for ticket_id in range(1, k + 1):
            broker.send_task("triage.ticket", args=[ticket_id])
        broker.close()

        def finished() -> int:
            rows = query(
                db_url,
                "SELECT count(*) FROM core_jobrun WHERE task_name = 'triage.ticket' "
                "AND status <> 'running'",
            )
            return int(str(rows[0][0]))

        wait_until(lambda: finished() >= k, timeout=3600, interval=1, what="all triaged")
        rows = query(
            db_url,
            "SELECT extract(epoch FROM max(finished_at) - min(started_at)), "
            "count(*) FILTER (WHERE status = 'failed') FROM core_jobrun "
            "WHERE task_name = 'triage.ticket'",
        )
        seconds, failed = float(str(rows[0][0])), int(str(rows[0][1]))
        assert failed == 0, f"{failed} triage runs failed"
    return k / seconds


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--tickets", type=int, default=3000)
    args = parser.parse_args()
    with contextlib.ExitStack() as stack:
        db_url = stack.enter_context(fresh_database("sd_triage_scale"))
        redis_url = stack.enter_context(redis_database(8))
        home = stack.enter_context(tempfile.TemporaryDirectory())
        subprocess.run(
            [sys.executable, str(BENCH / "bigdb.py"), "--tickets", str(args.tickets)],
            env={**os.environ, "SIGNALDESK_DATABASE_URL": db_url},
            check=True,
            stdout=subprocess.DEVNULL,
        )
        env = stack_env(
            SIGNALDESK_DATABASE_URL=db_url,
            SIGNALDESK_REDIS_URL=redis_url,
            SIGNALDESK_HOME=home,
            SIGNALDESK_LOG_LEVEL="WARNING",
        )
        rates = {}
        for workers in (1, 2):
            print(f"load average before {workers} worker(s): {os.getloadavg()}", flush=True)
            begun = time.monotonic()
            rates[workers] = run_round(env, db_url, redis_url, workers, args.tickets)
            print(
                f"{workers} worker(s): {rates[workers]:.1f} tickets/s "
                f"(round {time.monotonic() - begun:.0f}s)",
                flush=True,
            )
        print(f"speed-up 2 vs 1: {rates[2] / rates[1]:.2f}x; load average {os.getloadavg()}")


if __name__ == "__main__":
    main()
