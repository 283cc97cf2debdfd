"""Commands for running the service and managing users."""

from __future__ import annotations

import os
import subprocess
import sys

import typer

from signaldesk.cli.django_setup import setup_django

def register_top_level(root: typer.Typer) -> None:
    root.command(name="serve", help="Serve the web app (embedded: Django's threaded server).")(
        serve
    )
    root.command(name="createuser", help="Create a user with a role (first admin, …).")(
        createuser
    )


def serve(
    host: str = typer.Option("127.0.0.1", help="Address to bind."),
    port: int = typer.Option(8000, help="Port."),
    production: bool = typer.Option(False, help="gunicorn with several workers."),
    workers: int = typer.Option(4, help="gunicorn worker processes (production)."),
) -> None:
    if production:
        os.environ.setdefault("DJANGO_SETTINGS_MODULE", "signaldesk.config.settings.production")
        cmd = [
            sys.executable,
            "-m",
            "gunicorn",
            "signaldesk.config.wsgi:application",
            "--bind",
            f"{host}:{port}",
            "--workers",
            str(workers),
            "--access-logfile",
            "-",
        ]
        raise typer.Exit(subprocess.call(cmd))
    setup_django()
    from django.core.management import call_command

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
