"""Delivery guarantees under SIGKILL: every accepted message stored exactly once, every ticket
triaged, while the web server (3 times) and the Celery worker (4 times) are SIGKILLed (killrun.py).

SIGNALDESK_KILL_MESSAGES sets N. The default is 3,000, not the issue's 10,000: on this 2-core
machine intake runs at ~18 messages/s with triage alongside (quiet) and ~7/s when the machine is
shared, so 10,000 take 10-25 min (docs/benchmarks/reliability.md). bench/kill_ingest.py runs
the same scenario with 100,000."""

from __future__ import annotations

import contextlib
import os
from pathlib import Path

import pytest

from signaldesk.stack_tests.killrun import KILLS, PREFIX, run_kill_scenario
from signaldesk.stack_tests.resources import fresh_database, query, redis_database

pytestmark = pytest.mark.stack

N = int(os.environ.get("SIGNALDESK_KILL_MESSAGES", "3000"))
CONCURRENCY = 2
WORKER_KILLS = sum(what.count("worker") for _, what in KILLS)


def test_ingest_survives_sigkill_of_web_and_worker(tmp_path: Path) -> None:
    with contextlib.ExitStack() as stack:
        db_url = stack.enter_context(fresh_database(f"sd_kill_{os.getpid()}"))
        redis_url = stack.enter_context(redis_database(12))

        report = run_kill_scenario(
            db_url=db_url, redis_url=redis_url, home=tmp_path, n=N, worker_concurrency=CONCURRENCY
        )

        print(
            f"kill test: {N} messages, {len(report.tickets)} tickets, kills at {report.kills}, "
            f"ingest {report.seconds_ingest:.0f}s, all triaged at {report.seconds_triaged:.0f}s, "
            f"retries {report.retries}, triage runs {report.triage_runs}"
        )
        stored = query(
            db_url,
            "SELECT idempotency_key, id, ticket_id FROM tickets_message "
            "WHERE idempotency_key LIKE %s",
            (f"{PREFIX}-%",),
        )
        assert len(stored) == N
        assert {str(key): int(str(mid)) for key, mid, _ in stored} == report.accepted
        assert {int(str(ticket)) for _, _, ticket in stored} == report.tickets
        assert len(report.kills) == sum(len(what.split("+")) for _, what in KILLS)
        # No job may end failed, except a triage run cut off by a kill whose ticket was then
        # triaged by a later run (a redelivery or the sweep).
        failed_other = query(
            db_url,
            "SELECT count(*) FROM core_jobrun WHERE status = 'failed' "
            "AND task_name <> 'triage.ticket'",
        )
        failed_for_good = query(
            db_url,
            "SELECT count(*) FROM (SELECT (args->>0)::bigint AS ticket, "
            "bool_or(status = 'succeeded') AS ok, bool_or(status = 'failed') AS bad "
            "FROM core_jobrun WHERE task_name = 'triage.ticket' GROUP BY 1) AS runs "
            "WHERE bad AND NOT ok",
        )
        assert (failed_other, failed_for_good) == ([(0,)], [(0,)])
        # Every ticket has a finished triage run, or (at most one per pool process killed) a
        # run whose worker died after triage had committed: its row stays "running".
        runs = query(
            db_url,
            "SELECT (args->>0)::bigint, bool_or(status = 'succeeded') FROM core_jobrun "
            "WHERE task_name = 'triage.ticket' GROUP BY 1",
        )
        assert {int(str(ticket)) for ticket, _ in runs} >= report.tickets
        unfinished = [ticket for ticket, succeeded in runs if not succeeded]
        assert len(unfinished) <= WORKER_KILLS * CONCURRENCY, unfinished
