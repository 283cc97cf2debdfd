"""Background jobs: enqueue after commit, record every run, and the embedded periodic runner.

- `enqueue_on_commit(task, *ids)`: the one way domain code starts a job. The task is sent when the
  surrounding transaction commits (never for a rolled-back write). With SIGNALDESK_REDIS_URL it
  goes to a Celery worker; without it (embedded default) Celery runs it eagerly, in-process,
  right after the commit: the same task code in both modes.
- JobRun rows: `connect_job_recording()` hooks Celery's task signals so that every task run
  (worker, eager, periodic) writes one row with its name, arguments, status and timings.
- `EmbeddedScheduler`: a daemon thread started by `signaldesk serve` (embedded mode only) that
  runs the periodic jobs of config/schedule.py in-process when they are due.
"""

from __future__ import annotations

import contextlib
import fcntl
import hashlib
import json
import logging
import sys
import threading
from collections.abc import Iterable
from functools import partial
from pathlib import Path
from typing import IO, Any

from celery import Task
from celery.signals import task_failure, task_postrun, task_prerun
from django.db import DatabaseError, connections, transaction
from django.utils import timezone

from signaldesk.config.schedule import JOBS, PeriodicJob

logger = logging.getLogger(__name__)


def enqueue_on_commit(task: Task, *args: Any, using: str | None = None) -> None:
    """Send `task(*args)` once the current transaction commits (at once in autocommit).

    Arguments must be ids and other JSON-able scalars, never model instances. A failure to
    enqueue (broker down) or, in the embedded mode, an exception raised by the task is logged
    and does not turn the committed request into an error; the JobRun row shows the failure."""
    transaction.on_commit(partial(task.delay, *args), using=using, robust=True)


def args_hash(
    task_name: str, args: Iterable[Any] = (), kwargs: dict[str, Any] | None = None
) -> str:
    """Stable identity of one call: sha256 of the task name and its JSON-encoded arguments."""
    payload = json.dumps([task_name, list(args), kwargs or {}], sort_keys=True, default=str)
    return hashlib.sha256(payload.encode()).hexdigest()


def job_succeeded(task_name: str, *args: Any) -> bool:
    """True when a run of `task_name(*args)` has finished successfully (for idempotent tasks
    that want to skip work already done)."""
    from signaldesk.core.models import JobRun

    return JobRun.objects.filter(
        task_name=task_name, args_hash=args_hash(task_name, args), status=JobRun.Status.SUCCEEDED
    ).exists()


def queued_jobs(queue: str = "celery") -> int:
    """How many jobs wait in the broker queue `queue` (not counting those a worker holds); 0 in
    the embedded mode (no broker) and when the queue does not exist yet."""
    from signaldesk.config.celery import celery_app

    if celery_app.conf.task_always_eager:
        return 0
    with celery_app.connection_for_write() as conn:
        try:
            return int(conn.default_channel.queue_declare(queue=queue, passive=True).message_count)
        except Exception:  # kombu raises the transport's ChannelError for a missing queue
            return 0


# --- recording -------------------------------------------------------------------------------


def _on_prerun(
    task_id: str, task: Task, args: tuple[Any, ...], kwargs: dict[str, Any], **_: Any
) -> None:
    from signaldesk.core.models import JobRun

    try:
        run = JobRun.objects.create(
            task_name=task.name,
            task_id=task_id or "",
            args_hash=args_hash(task.name, args, kwargs),
            args=json.loads(json.dumps(list(args), default=str)),
            started_at=timezone.now(),
        )
    except DatabaseError:
        logger.warning("job.record_failed", extra={"task": task.name, "phase": "start"})
        return
    task.request.signaldesk_job_run_id = run.pk


def _on_postrun(task: Task, state: str, **_: Any) -> None:
    from signaldesk.core.models import JobRun

    run_id = getattr(task.request, "signaldesk_job_run_id", None)
    if run_id is None:
        return
    ok = state == "SUCCESS"
    error = "" if ok else _error_text(task)
    try:
        JobRun.objects.filter(pk=run_id).update(
            status=JobRun.Status.SUCCEEDED if ok else JobRun.Status.FAILED,
            finished_at=timezone.now(),
            error=error,
        )
    except DatabaseError:
        logger.warning("job.record_failed", extra={"task": task.name, "phase": "finish"})
    if not ok:
        logger.error("job.failed", extra={"task": task.name, "job_run_id": run_id, "error": error})


def _error_text(task: Task) -> str:
    """The failure signal's text; in eager mode with propagation Celery skips that signal and
    calls postrun while the exception is in flight, so it is taken from there."""
    recorded = getattr(task.request, "signaldesk_job_error", None)
    if recorded:
        return str(recorded)
    in_flight = sys.exc_info()[1]
    if in_flight is not None:
        return f"{type(in_flight).__name__}: {in_flight}"[:2000]
    return "failed"


def _on_failure(sender: Task, exception: BaseException, **_: Any) -> None:
    sender.request.signaldesk_job_error = f"{type(exception).__name__}: {exception}"[:2000]


def connect_job_recording() -> None:
    """Idempotent: Celery's dispatch_uid keeps one receiver per hook."""
    task_prerun.connect(_on_prerun, weak=False, dispatch_uid="signaldesk.jobrun.prerun")
    task_failure.connect(_on_failure, weak=False, dispatch_uid="signaldesk.jobrun.failure")
    task_postrun.connect(_on_postrun, weak=False, dispatch_uid="signaldesk.jobrun.postrun")


# --- embedded periodic runner -----------------------------------------------------------------


class EmbeddedScheduler(threading.Thread):
    """Runs config/schedule.py's jobs in this process, like beat + a worker in one thread.

    Timetables follow Celery's own `is_due`, so a job fires at the same moments as under beat;
    a job's first run is one interval after start (as with beat). Runs are sequential: a slow
    job delays the next one, it never overlaps itself."""

    def __init__(self, jobs: Iterable[PeriodicJob] | None = None, max_sleep: float = 30.0) -> None:
        super().__init__(name="signaldesk-embedded-scheduler", daemon=True)
        self.jobs = list(JOBS if jobs is None else jobs)
        self.max_sleep = max_sleep
        self.stopping = threading.Event()
        self.runs = 0

    def run(self) -> None:
        from signaldesk.config.celery import celery_app
        from signaldesk.config.schedule import check_jobs

        celery_app.autodiscover_tasks(force=True)  # tasks modules are imported lazily otherwise
        try:
            check_jobs(celery_app.tasks.keys(), self.jobs)
        except ValueError:
            logger.exception("schedule.invalid")
            return
        started = timezone.now()
        plan = [(job, job.celery_schedule()) for job in self.jobs]
        last_run = {job.name: started for job in self.jobs}
        while not self.stopping.is_set():
            wait = self.max_sleep
            for job, timetable in plan:
                due, next_check = timetable.is_due(last_run[job.name])
                if due:
                    last_run[job.name] = timezone.now()
                    self._run_one(celery_app.tasks[job.task_name], job)
                    due, next_check = timetable.is_due(last_run[job.name])
                wait = min(wait, max(float(next_check), 0.2))
            self.stopping.wait(wait)

    def _run_one(self, task: Task, job: PeriodicJob) -> None:
        try:
            result = task.apply(args=job.args)
            if result.failed():
                logger.error("schedule.job_failed", extra={"job": job.name})
        except Exception:
            logger.exception("schedule.job_crashed", extra={"job": job.name})
        finally:
            self.runs += 1
            connections.close_all()  # this thread's connections only

    def stop(self, timeout: float = 5.0) -> None:
        self.stopping.set()
        self.join(timeout)


_lock_handle: IO[str] | None = None


def start_embedded_scheduler(var_dir: Path) -> EmbeddedScheduler | None:
    """Start the runner unless another process on this var/ already runs one (file lock)."""
    global _lock_handle
    lock_path = var_dir / "embedded-scheduler.lock"
    handle = lock_path.open("w")
    try:
        fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except OSError:
        handle.close()
        logger.warning("schedule.embedded_locked", extra={"lock": str(lock_path)})
        return None
    _lock_handle = handle  # held (and the lock with it) for the life of the process
    scheduler = EmbeddedScheduler()
    scheduler.start()
    return scheduler


def release_embedded_lock() -> None:
    global _lock_handle
    if _lock_handle is not None:
        with contextlib.suppress(OSError):
            _lock_handle.close()
        _lock_handle = None
