import datetime as dt
import time

import pytest
from django.db import transaction
from django.utils import timezone

from signaldesk.config.celery import celery_app
from signaldesk.config.schedule import PeriodicJob
from signaldesk.core.jobs import (
    EmbeddedScheduler,
    args_hash,
    enqueue_on_commit,
    job_succeeded,
    release_embedded_lock,
    start_embedded_scheduler,
)
from signaldesk.core.models import Heartbeat, JobRun
from signaldesk.core.tasks import heartbeat_task, purge_job_runs_task


@celery_app.task(name="tests.core.boom")
def boom_task(ticket_id: int) -> None:
    raise RuntimeError(f"boom {ticket_id}")


@pytest.mark.django_db
def test_enqueue_on_commit_runs_the_task_after_commit_and_records_it(
    django_capture_on_commit_callbacks,
) -> None:
    with django_capture_on_commit_callbacks(execute=True) as callbacks, transaction.atomic():
        enqueue_on_commit(heartbeat_task, "probe")
        assert not Heartbeat.objects.exists()

    assert len(callbacks) == 1
    assert list(Heartbeat.objects.values_list("name", "beats")) == [("probe", 1)]
    run = JobRun.objects.get()
    assert (run.task_name, run.args, run.status, run.error) == (
        "ops.heartbeat",
        ["probe"],
        JobRun.Status.SUCCEEDED,
        "",
    )
    assert run.args_hash == args_hash("ops.heartbeat", ["probe"])
    assert run.finished_at is not None and run.finished_at >= run.started_at
    assert job_succeeded("ops.heartbeat", "probe")
    assert not job_succeeded("ops.heartbeat", "other")


@pytest.mark.django_db
def test_enqueue_on_commit_sends_nothing_when_the_transaction_rolls_back(
    django_capture_on_commit_callbacks,
) -> None:
    capture = django_capture_on_commit_callbacks(execute=True)
    with capture as callbacks, pytest.raises(ValueError), transaction.atomic():
        enqueue_on_commit(heartbeat_task, "probe")
        raise ValueError("rolled back")

    assert callbacks == []
    assert (Heartbeat.objects.count(), JobRun.objects.count()) == (0, 0)


@pytest.mark.django_db
def test_a_failing_task_is_recorded_and_does_not_break_the_committed_request(
    django_capture_on_commit_callbacks,
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        enqueue_on_commit(boom_task, 7)

    run = JobRun.objects.get()
    assert (run.task_name, run.args, run.status, run.error) == (
        "tests.core.boom",
        [7],
        JobRun.Status.FAILED,
        "RuntimeError: boom 7",
    )


@pytest.mark.django_db
def test_heartbeat_is_an_upsert() -> None:
    heartbeat_task.delay()
    heartbeat_task.delay()

    assert list(Heartbeat.objects.values_list("name", "beats")) == [("scheduler", 2)]


@pytest.mark.django_db
def test_purge_job_runs_deletes_only_old_finished_runs() -> None:
    now = timezone.now()
    old = now - dt.timedelta(days=15)
    for status, started in [
        (JobRun.Status.SUCCEEDED, old),
        (JobRun.Status.FAILED, old),
        (JobRun.Status.RUNNING, old),
        (JobRun.Status.SUCCEEDED, now - dt.timedelta(days=13)),
    ]:
        JobRun.objects.create(task_name="x", args_hash="h", status=status, started_at=started)

    assert purge_job_runs_task.apply().get() == 2
    assert sorted(
        JobRun.objects.exclude(task_name="core.purge_job_runs").values_list("status", flat=True)
    ) == ["running", "succeeded"]


@pytest.mark.django_db(transaction=True)
def test_embedded_scheduler_runs_due_jobs_in_process() -> None:
    job = PeriodicJob(
        name="fast-heartbeat",
        task_name="ops.heartbeat",
        every=dt.timedelta(seconds=0.3),
        description="test",
        args=("embedded",),
    )
    scheduler = EmbeddedScheduler(jobs=[job], max_sleep=0.2)
    scheduler.start()
    try:
        deadline = time.monotonic() + 20
        while scheduler.runs < 2 and time.monotonic() < deadline:
            time.sleep(0.1)
    finally:
        scheduler.stop()

    assert not scheduler.is_alive()
    beats = Heartbeat.objects.get(name="embedded").beats
    assert beats == scheduler.runs >= 2
    assert JobRun.objects.filter(task_name="ops.heartbeat", status="succeeded").count() == beats


def test_only_one_embedded_scheduler_per_var_dir(tmp_path) -> None:
    first = start_embedded_scheduler(tmp_path)
    try:
        assert first is not None and first.is_alive()
        assert start_embedded_scheduler(tmp_path) is None
    finally:
        assert first is not None
        first.stop()
        release_embedded_lock()
