import datetime as dt

import pytest

from signaldesk.config.celery import celery_app
from signaldesk.config.schedule import JOBS, PLANNED, PeriodicJob, beat_schedule, check_jobs


def registered() -> set[str]:
    celery_app.autodiscover_tasks(force=True)
    return set(celery_app.tasks.keys())


def test_every_declared_job_names_a_registered_task() -> None:
    check_jobs(registered())

    assert [(job.name, job.task_name) for job in JOBS] == [
        ("scheduler-heartbeat", "ops.heartbeat"),
        ("purge-job-runs", "core.purge_job_runs"),
        ("classifier-retrain", "triage_learning.retrain"),
        ("sla-sweep", "workflow.sla_sweep"),
        ("signals-rollup-refresh", "signals.rollup_refresh_dirty"),
        ("signals-scan-daily", "signals.scan_daily"),
        ("signals-themes", "signals.themes_discover"),
        ("actions-measure-due", "actions.measure_due"),
        ("insights-weekly-notes", "insights.weekly_notes"),
        ("outbox-deliver", "core.outbox_deliver"),
        ("suppression-expire", "suppression.expire"),
        ("followup-send-surveys", "followup.send_surveys"),
        ("quality-sample-reviews", "quality.sample_reviews"),
        ("triage-sweep", "triage.sweep_untriaged"),
        ("selfservice-close-idle", "selfservice.close_idle_sessions"),
        ("dashboards-rollup-refresh", "dashboards.refresh_dirty"),
        ("dashboards-repurchase-refresh", "dashboards.repurchase_refresh"),
    ]


def test_planned_jobs_are_not_scheduled() -> None:
    assert not set(PLANNED) & {job.task_name for job in JOBS}


def test_a_job_for_a_missing_task_is_refused() -> None:
    ghost = PeriodicJob(
        name="ghost", task_name="nope.missing", every=dt.timedelta(1), description=""
    )

    with pytest.raises(ValueError, match=r"unknown task 'nope\.missing'"):
        check_jobs(registered(), [ghost])


def test_a_job_declared_twice_is_refused() -> None:
    job = PeriodicJob(name="hb", task_name="ops.heartbeat", every=dt.timedelta(1), description="")

    with pytest.raises(ValueError, match="declared twice"):
        check_jobs(registered(), [job, job])


@pytest.mark.parametrize(
    ("every", "cron"),
    [(None, None), (dt.timedelta(seconds=5), "* * * * *"), (None, "* * *")],
)
def test_a_job_needs_one_valid_timetable(every: dt.timedelta | None, cron: str | None) -> None:
    with pytest.raises(ValueError):
        PeriodicJob(name="bad", task_name="ops.heartbeat", every=every, cron=cron, description="")


def test_beat_schedule_has_celery_timetables() -> None:
    schedule = beat_schedule()

    assert sorted(schedule) == [
        "actions-measure-due",
        "classifier-retrain",
        "dashboards-repurchase-refresh",
        "dashboards-rollup-refresh",
        "followup-send-surveys",
        "insights-weekly-notes",
        "outbox-deliver",
        "purge-job-runs",
        "quality-sample-reviews",
        "scheduler-heartbeat",
        "selfservice-close-idle",
        "signals-rollup-refresh",
        "signals-scan-daily",
        "signals-themes",
        "sla-sweep",
        "suppression-expire",
        "triage-sweep",
    ]
    assert schedule["outbox-deliver"]["schedule"].run_every == dt.timedelta(seconds=30)
    assert schedule["scheduler-heartbeat"]["task"] == "ops.heartbeat"
    assert schedule["scheduler-heartbeat"]["schedule"].run_every == dt.timedelta(seconds=60)
    purge = schedule["purge-job-runs"]["schedule"]
    assert (purge.minute, purge.hour) == ({17}, {3})
