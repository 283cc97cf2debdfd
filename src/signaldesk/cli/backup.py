"""`signaldesk backup` and `signaldesk restore`: the database and stored files in one archive
(core/backup.py). Works on the embedded SQLite database and on PostgreSQL."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from signaldesk.cli.django_setup import setup_django


def register_top_level(root: typer.Typer) -> None:
    root.command(name="backup", help="Write a backup archive of the database and stored files.")(
        backup
    )
    root.command(name="restore", help="Replace the database and stored files from a backup.")(
        restore
    )


def backup(
    out: Annotated[
        Path | None,
        typer.Option(help="Archive path; default var/backups/signaldesk-<UTC time>.tar.gz."),
    ] = None,
) -> None:
    setup_django()
    from django.conf import settings
    from django.utils import timezone

    from signaldesk.core.audit import Actor
    from signaldesk.core.backup import backup_create

    now = timezone.now()
    target = out or Path(settings.VAR_DIR) / "backups" / f"signaldesk-{now:%Y%m%dT%H%M%SZ}.tar.gz"
    report = backup_create(out=target, actor=Actor.system("cli:backup"), now=now)
    rows = sum(report.tables.values())
    typer.echo(
        f"backup {report.path} ({report.vendor}): {len(report.tables)} tables, {rows} rows, "
        f"{report.media_files} stored files"
    )


def restore(
    archive: Annotated[Path, typer.Argument(help="A .tar.gz written by `signaldesk backup`.")],
    yes: Annotated[
        bool, typer.Option("--yes", help="Do not ask before replacing the data.")
    ] = False,
) -> None:
    setup_django()
    from django.utils import timezone

    from signaldesk.core.audit import Actor
    from signaldesk.core.errors import SignalDeskError

    if not yes:
        typer.confirm(
            f"Replace ALL data of this SignalDesk with {archive.name}?", abort=True, err=True
        )
    from signaldesk.core.backup import backup_restore

    try:
        report = backup_restore(path=archive, actor=Actor.system("cli:restore"), now=timezone.now())
    except SignalDeskError as exc:
        typer.echo(f"error: {exc.detail}", err=True)
        raise typer.Exit(2) from None
    rows = sum(report.tables.values())
    typer.echo(
        f"restored {archive.name} ({report.vendor}): {len(report.tables)} tables, {rows} rows, "
        f"{report.media_files} stored files; row counts match the backup"
    )
