"""`signaldesk worker` and `signaldesk scheduler`: the Celery processes of the production stack.

Both run in this process (no extra shell), so a supervisor's SIGTERM reaches Celery directly and
triggers its warm shutdown. Settings default to production (PostgreSQL + Redis + secret key from
the environment); in the embedded mode neither is needed: jobs and periodic jobs run inside
`signaldesk serve`.
"""

from __future__ import annotations

import os

import typer

from signaldesk.cli.django_setup import setup_django

PRODUCTION_SETTINGS = "signaldesk.config.settings.production"


def register_top_level(root: typer.Typer) -> None:
    root.command(name="worker", help="Run a Celery worker (production: needs Redis).")(worker)
    root.command(name="scheduler", help="Run Celery beat with config/schedule.py (run ONE).")(
        scheduler
    )


def _celery_app_checked() -> object:
    """Django set up, tasks imported, and the periodic job list valid for them."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", PRODUCTION_SETTINGS)
    setup_django()
    from django.conf import settings

    if settings.CELERY_TASK_ALWAYS_EAGER:
        typer.echo(
            "No broker: set SIGNALDESK_REDIS_URL. Without it (embedded mode) jobs and periodic "
            "jobs run inside `signaldesk serve`; no worker or scheduler is needed.",
            err=True,
        )
        raise typer.Exit(2)
    from signaldesk.config.celery import celery_app
    from signaldesk.config.schedule import check_jobs

    celery_app.loader.import_default_modules()
    check_jobs(celery_app.tasks.keys())
    return celery_app


def worker(
    concurrency: int = typer.Option(2, "--concurrency", "-c", help="Worker processes."),
    queues: str = typer.Option("celery", "--queues", "-Q", help="Comma-separated queue names."),
    name: str = typer.Option("", help="Node name; default signaldesk-<pid>@<host>."),
    loglevel: str = typer.Option("INFO", help="DEBUG, INFO, WARNING, ERROR."),
) -> None:
    from celery import Celery

    app = _celery_app_checked()
    assert isinstance(app, Celery)
    node = name or f"signaldesk-{os.getpid()}@%h"
    app.worker_main(
        [
            "worker",
            f"--concurrency={concurrency}",
            f"--queues={queues}",
            f"--hostname={node}",
            f"--loglevel={loglevel}",
            "--without-gossip",
            "--without-mingle",
        ]
    )


def scheduler(
    loglevel: str = typer.Option("INFO", help="DEBUG, INFO, WARNING, ERROR."),
    schedule_file: str = typer.Option(
        "", help="Beat's state file; default var/celerybeat-schedule under SIGNALDESK_HOME."
    ),
) -> None:
    from celery import Celery

    app = _celery_app_checked()
    assert isinstance(app, Celery)
    from django.conf import settings

    if not schedule_file:
        settings.VAR_DIR.mkdir(parents=True, exist_ok=True)
        schedule_file = str(settings.VAR_DIR / "celerybeat-schedule")
    for job in app.conf.beat_schedule:
        typer.echo(f"scheduled: {job}")
    app.start(["beat", f"--loglevel={loglevel}", f"--schedule={schedule_file}"])
