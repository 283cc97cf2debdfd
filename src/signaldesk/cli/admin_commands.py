"""Commands for running the service and managing users."""

from __future__ import annotations

import os
import sys
from pathlib import Path

import typer

from signaldesk.cli.django_setup import setup_django


def register_top_level(root: typer.Typer) -> None:
    root.command(name="serve", help="Serve the web app (embedded: Django's threaded server).")(
        serve
    )
    root.command(name="createuser", help="Create a user with a role (first admin, …).")(createuser)


def serve(
    host: str = typer.Option("127.0.0.1", help="Address to bind."),
    port: int = typer.Option(8000, help="Port."),
    production: bool = typer.Option(False, help="gunicorn with several workers."),
    workers: int = typer.Option(4, help="gunicorn worker processes (production)."),
    collectstatic: bool = typer.Option(
        True, help="Production: collect static files into var/static before starting."
    ),
    scheduler: bool = typer.Option(
        True, help="Embedded: run the periodic jobs (config/schedule.py) in this process."
    ),
) -> None:
    if production:
        # Settings are loaded (and validated: secret key, PostgreSQL, Redis) before gunicorn
        # starts, so a misconfiguration fails here with one clear message.
        os.environ.setdefault("DJANGO_SETTINGS_MODULE", "signaldesk.config.settings.production")
        setup_django()
        from django.conf import settings as dj_settings

        Path(dj_settings.STATIC_ROOT).mkdir(parents=True, exist_ok=True)
        if collectstatic:
            from django.core.management import call_command

            call_command("collectstatic", interactive=False, verbosity=0)
        cmd = [
            sys.executable,
            "-m",
            "gunicorn",
            "signaldesk.config.wsgi:application",
            "--bind",
            f"{host}:{port}",
            "--workers",
            str(workers),
            "--timeout",
            "60",
            "--graceful-timeout",
            "20",
            "--access-logfile",
            "-",
        ]
        sys.stdout.flush()
        sys.stderr.flush()
        # exec: gunicorn's master takes this pid, so SIGTERM from a supervisor reaches it.
        os.execv(sys.executable, cmd)  # noqa: S606 - fixed argv, no shell
    setup_django()
    from django.conf import settings
    from django.core.management import call_command

    if scheduler and settings.CELERY_TASK_ALWAYS_EAGER:
        from signaldesk.core.jobs import start_embedded_scheduler

        start_embedded_scheduler(settings.VAR_DIR)
    call_command("runserver", f"{host}:{port}", use_reloader=False, use_threading=True)


def createuser(
    username: str = typer.Argument(..., help="Login name."),
    role: str = typer.Option("admin", help="agent, lead, manager, admin or stakeholder."),
    email: str = typer.Option("", help="Email address (for password reset)."),
    password: str = typer.Option(
        ..., prompt=True, hide_input=True, confirmation_prompt=True, envvar="SIGNALDESK_PASSWORD"
    ),
    team: str = typer.Option("", help="Team slug."),
) -> None:
    setup_django()
    from signaldesk.accounts.services import user_create
    from signaldesk.core.audit import Actor

    user = user_create(
        username=username,
        email=email,
        password=password,
        role=role,
        team_slug=team or None,
        actor=Actor.system("cli"),
    )
    typer.echo(f"created {user.get_username()} ({role})")
