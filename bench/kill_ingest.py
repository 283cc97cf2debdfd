"""Ingest under SIGKILL at bench size: the scenario of stack_tests/test_stack_kill.py with
100,000 messages by default (the CI test runs 10,000).

    .venv/bin/python bench/kill_ingest.py --messages 100000

Needs the machine's PostgreSQL and Redis (scripts/services); uses its own database sd_kill_bench
(dropped afterwards) and Redis DB 10. Prints the report and checks the same guarantees as the
test: every idempotency key stored once with the id the client was given, every ticket triaged."""

from __future__ import annotations

import argparse
import contextlib
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))

from signaldesk.stack_tests.killrun import PREFIX, run_kill_scenario
from signaldesk.stack_tests.resources import fresh_database, query, redis_database


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--messages", type=int, default=100_000)
    parser.add_argument("--threads", type=int, default=8)
    parser.add_argument("--web-workers", type=int, default=2)
    parser.add_argument("--worker-concurrency", type=int, default=2)
    args = parser.parse_args()
    with contextlib.ExitStack() as stack:
        db_url = stack.enter_context(fresh_database("sd_kill_bench"))
        redis_url = stack.enter_context(redis_database(10))
        home = Path(stack.enter_context(tempfile.TemporaryDirectory()))
        started = time.monotonic()
        report = run_kill_scenario(
            db_url=db_url,
            redis_url=redis_url,
            home=home,
            n=args.messages,
            threads=args.threads,
            web_workers=args.web_workers,
            worker_concurrency=args.worker_concurrency,
            ingest_timeout=max(1200.0, args.messages / 5),
            triage_timeout=max(600.0, args.messages / 10),
        )
        stored = query(
            db_url,
            "SELECT count(*), count(DISTINCT idempotency_key) FROM tickets_message "
            "WHERE idempotency_key LIKE %s",
            (f"{PREFIX}-%",),
        )
        keys = dict(
            (str(k), int(str(v)))
            for k, v in query(
                db_url,
                "SELECT idempotency_key, id FROM tickets_message WHERE idempotency_key LIKE %s",
                (f"{PREFIX}-%",),
            )
        )
        print(f"messages sent: {args.messages}; stored (rows, distinct keys): {stored[0]}")
        print(f"client's key -> id map equals the database's: {keys == report.accepted}")
        print(f"tickets: {len(report.tickets)}; kills (s, what): {report.kills}")
        print(f"client retries by cause: {report.retries}")
        print(f"triage.ticket JobRuns by status: {report.triage_runs}")
        print(
            f"ingest {report.seconds_ingest:.0f}s ({args.messages / report.seconds_ingest:.0f}/s); "
            f"all triaged at {report.seconds_triaged:.0f}s; "
            f"total with provisioning {time.monotonic() - started:.0f}s"
        )
        ok = stored[0] == (args.messages, args.messages) and keys == report.accepted
        sys.exit(0 if ok else 1)


if __name__ == "__main__":
    main()
