"""Every periodic job of SignalDesk, declared in one place.

Both schedulers read this list and nothing else:
- production: `signaldesk scheduler` runs Celery beat with `beat_schedule()`; workers run the jobs;
- embedded: `signaldesk serve` starts a small in-process scheduler thread (core/jobs.py) that runs
  the same tasks, in-process, when they are due.

Adding a job (a later package, e.g. SLA sweeps in workflow/, survey sends in followup/):
1. write the task in that package's `tasks.py` with an explicit name (`@celery_app.task(
   name="workflow.sla_sweep")`): thin, idempotent, safe to run twice or late;
2. append a `PeriodicJob` naming it to `JOBS` below, with a description.
Only tasks that exist may be listed: `check_jobs()` (run by both schedulers at start and by the
tests) refuses a job whose task is not registered, so nothing is declared that silently does
nothing. Planned jobs belong in PLANNED (documentation only) until their task exists.
"""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from celery.schedules import crontab, schedule


@dataclass(frozen=True)
class PeriodicJob:
    """A task run on a timetable: every `every` (interval) or on a 5-field `cron` (UTC)."""

    name: str
    task_name: str
    description: str
    every: dt.timedelta | None = None
    cron: str | None = None
    args: tuple[Any, ...] = ()

    def __post_init__(self) -> None:
        if (self.every is None) == (self.cron is None):
            raise ValueError(f"{self.name}: give exactly one of every= or cron=")
        if self.cron is not None and len(self.cron.split()) != 5:
            raise ValueError(f"{self.name}: cron needs 5 fields, got {self.cron!r}")

    def celery_schedule(self) -> schedule:
        """The Celery schedule object; the embedded runner uses its `is_due` too."""
        if self.every is not None:
            return schedule(run_every=self.every)
        assert self.cron is not None
        minute, hour, day_of_month, month_of_year, day_of_week = self.cron.split()
        return crontab(
            minute=minute,
            hour=hour,
            day_of_month=day_of_month,
            month_of_year=month_of_year,
            day_of_week=day_of_week,
        )


def _heartbeat_every() -> dt.timedelta:
    return dt.timedelta(seconds=float(os.environ.get("SIGNALDESK_HEARTBEAT_SECONDS", "60")))


def _triage_sweep_every() -> dt.timedelta:
    return dt.timedelta(seconds=float(os.environ.get("SIGNALDESK_TRIAGE_SWEEP_SECONDS", "60")))


JOBS: list[PeriodicJob] = [
    PeriodicJob(
        name="scheduler-heartbeat",
        task_name="ops.heartbeat",
        every=_heartbeat_every(),
        description="Record that the scheduler and a worker are alive (age shown by /readyz).",
    ),
    PeriodicJob(
        name="purge-job-runs",
        task_name="core.purge_job_runs",
        cron="17 3 * * *",
        description="Delete finished JobRun rows older than SIGNALDESK_JOB_RUN_RETENTION_DAYS.",
    ),
    PeriodicJob(
        name="classifier-retrain",
        task_name="triage_learning.retrain",
        cron="30 2 * * 0",
        description="Retrain the contact-reason classifier (history, corrections, taxonomy "
        "examples) every Sunday; the new version becomes active when training succeeds.",
    ),
    PeriodicJob(
        name="sla-sweep",
        task_name="workflow.sla_sweep",
        every=dt.timedelta(minutes=1),
        description="Fire due SLA reminders/escalations and record breaches (workflow/sla.py).",
    ),
    PeriodicJob(
        name="signals-rollup-refresh",
        task_name="signals.rollup_refresh_dirty",
        every=dt.timedelta(minutes=5),
        description="Recompute the contact/exposure/cost rollups of dirty days (signals/).",
    ),
    PeriodicJob(
        name="signals-scan-daily",
        task_name="signals.scan_daily",
        cron="15 5 * * *",
        description="Spike scan of yesterday over the rollups; stores deduplicated alerts.",
    ),
    PeriodicJob(
        name="signals-themes",
        task_name="signals.themes_discover",
        cron="45 5 * * *",
        description="Theme discovery over the last 56 days of tickets, chats, reviews and "
        "return reasons (signals/themes_service.py).",
    ),
    PeriodicJob(
        name="actions-measure-due",
        task_name="actions.measure_due",
        cron="0 6 * * *",
        description="Measure the impact of done actions whose 28-day after-window is complete "
        "(actions/measure.py).",
    ),
    PeriodicJob(
        name="insights-weekly-notes",
        task_name="insights.weekly_notes",
        cron="0 6 * * 1",
        description="Draft the weekly insight note of every audience for the last complete week "
        "(Monday 06:00 UTC; idempotent, never overwrites an edited or published note).",
    ),
    PeriodicJob(
        name="outbox-deliver",
        task_name="core.outbox_deliver",
        every=dt.timedelta(seconds=30),
        description="Send due outbox webhooks/emails with retries and backoff (core/outbox.py).",
    ),
    PeriodicJob(
        name="suppression-expire",
        task_name="suppression.expire",
        every=dt.timedelta(minutes=5),
        description="Lift marketing suppression entries whose expiry has passed (suppression/).",
    ),
    PeriodicJob(
        name="followup-send-surveys",
        task_name="followup.send_surveys",
        every=dt.timedelta(minutes=5),
        description="Send the CSAT/NPS survey of tickets solved a day ago (followup/config.yaml); "
        "once per ticket, never after a reopen, merge or spam.",
    ),
    PeriodicJob(
        name="quality-sample-reviews",
        task_name="quality.sample_reviews",
        every=dt.timedelta(hours=1),
        description="Top up each agent's weekly random QA review sample (quality/config.yaml).",
    ),
    PeriodicJob(
        name="triage-sweep",
        task_name="triage.sweep_untriaged",
        every=_triage_sweep_every(),
        description="Re-queue triage lost to a killed web process or worker (triage/tasks.py).",
    ),
    PeriodicJob(
        name="selfservice-close-idle",
        task_name="selfservice.close_idle_sessions",
        every=dt.timedelta(minutes=10),
        description="End self-service sessions idle for 30 minutes: resolved when they reached "
        "their answer, abandoned otherwise (selfservice/services.py).",
    ),
    PeriodicJob(
        name="dashboards-rollup-refresh",
        task_name="dashboards.refresh_dirty",
        every=dt.timedelta(minutes=10),
        description="Recompute the dashboards' service/backlog/handling/review rollups of dirty "
        "days and the last 14 days (dashboards/services.py).",
    ),
    PeriodicJob(
        name="dashboards-repurchase-refresh",
        task_name="dashboards.repurchase_refresh",
        cron="45 4 * * *",
        description="Recompute the 90-day repurchase cells of the months whose windows just "
        "ended (dashboards/services.py).",
    ),
]

# Jobs the product needs whose tasks do not exist yet. Listed so the plan is visible in one place;
# never scheduled. Move an entry into JOBS (as a PeriodicJob) when its task lands.
PLANNED: dict[str, str] = {}


def check_jobs(registered: Iterable[str], jobs: Iterable[PeriodicJob] | None = None) -> None:
    """Refuse duplicate names and jobs whose task is not registered with the Celery app."""
    known = set(registered)
    seen: set[str] = set()
    for job in JOBS if jobs is None else jobs:
        if job.name in seen:
            raise ValueError(f"periodic job {job.name!r} declared twice")
        seen.add(job.name)
        if job.task_name not in known:
            raise ValueError(f"periodic job {job.name!r} names unknown task {job.task_name!r}")


def beat_schedule(jobs: Iterable[PeriodicJob] | None = None) -> dict[str, dict[str, Any]]:
    """JOBS in the shape of Celery's `beat_schedule` setting."""
    return {
        job.name: {
            "task": job.task_name,
            "schedule": job.celery_schedule(),
            "args": job.args,
            # A beat tick that finds no worker for this long is dropped, not piled up.
            "options": {"expires": _expiry_seconds(job)},
        }
        for job in (JOBS if jobs is None else jobs)
    }


def _expiry_seconds(job: PeriodicJob) -> float:
    if job.every is not None:
        return max(job.every.total_seconds(), 30.0)
    return 3600.0
