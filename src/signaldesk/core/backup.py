"""Backup and restore of the whole service state: the database and the stored files (MEDIA_ROOT:
attachments, return documents).

A backup is one `.tar.gz` holding `manifest.json` (format, database vendor, time, the applied
migrations and the row count of every table), the database (`database.sqlite3`, an online copy
made with SQLite's backup API, consistent under concurrent writes; or `database.pgdump`, a
`pg_dump --format=custom`) and `media/`.

Restore checks the archive before touching anything: the manifest's format, the vendor (a
SQLite backup restores into SQLite, a PostgreSQL one into PostgreSQL), and that the code knows
every migration the backup was made with. It then replaces the database (SQLite: backup API
into the live file; PostgreSQL: `pg_restore --clean --if-exists` in one transaction), replaces
the media folder, brings an older backup's schema forward with `migrate`, compares every table's
row count with the manifest, and records `backup.restored` in the audit log."""

from __future__ import annotations

import datetime as dt
import io
import json
import os
import shutil
import sqlite3
import subprocess
import tarfile
import tempfile
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.apps import apps
from django.conf import settings
from django.core.management import call_command
from django.db import connection
from django.db.migrations.recorder import MigrationRecorder

from signaldesk.core.audit import Actor, audit_record
from signaldesk.core.errors import ValidationError

FORMAT = "signaldesk-backup/1"
SQLITE_NAME = "database.sqlite3"
PG_NAME = "database.pgdump"


class BackupError(ValidationError):
    code = "backup_invalid"


@dataclass(frozen=True)
class BackupReport:
    path: Path
    vendor: str
    tables: Mapping[str, int]
    media_files: int


def table_counts() -> dict[str, int]:
    """Rows per table of every installed model (and the migration table), by table name."""
    counts: dict[str, int] = {}
    for model in apps.get_models(include_auto_created=True):
        if model._meta.proxy or not model._meta.managed:
            continue
        counts[model._meta.db_table] = model._default_manager.using("default").count()
    return dict(sorted(counts.items()))


def _applied_migrations() -> list[list[str]]:
    recorder = MigrationRecorder(connection)
    return sorted([app, name] for app, name in recorder.applied_migrations())


def _pg_env() -> tuple[list[str], dict[str, str]]:
    db = connection.settings_dict
    args = ["--host", str(db.get("HOST") or "127.0.0.1"), "--port", str(db.get("PORT") or 5432)]
    args += ["--username", str(db.get("USER") or "postgres")]
    env = dict(os.environ)
    if db.get("PASSWORD"):
        env["PGPASSWORD"] = str(db["PASSWORD"])
    return args, env


def _add_bytes(archive: tarfile.TarFile, name: str, data: bytes) -> None:
    info = tarfile.TarInfo(name)
    info.size = len(data)
    info.mtime = int(dt.datetime.now(tz=dt.UTC).timestamp())
    archive.addfile(info, io.BytesIO(data))


def backup_create(*, out: Path, actor: Actor, now: dt.datetime) -> BackupReport:
    """Write a backup archive to `out` (a file path ending in .tar.gz)."""
    vendor = connection.vendor
    if vendor not in ("sqlite", "postgresql"):
        raise BackupError(f"backups support SQLite and PostgreSQL, not {vendor}")
    out.parent.mkdir(parents=True, exist_ok=True)
    media = Path(settings.MEDIA_ROOT)
    with tempfile.TemporaryDirectory(prefix="signaldesk-backup-") as tmp:
        db_file = Path(tmp) / (SQLITE_NAME if vendor == "sqlite" else PG_NAME)
        if vendor == "sqlite":
            connection.ensure_connection()
            target = sqlite3.connect(db_file)
            try:
                connection.connection.backup(target)
            finally:
                target.close()
        else:
            args, env = _pg_env()
            name = str(connection.settings_dict["NAME"])
            cmd = ["pg_dump", *args, "--format=custom", "--no-owner", "--file", str(db_file), name]
            subprocess.run(cmd, check=True, env=env, capture_output=True)
        counts = table_counts()
        manifest = {
            "format": FORMAT,
            "vendor": vendor,
            "created_at": now.isoformat(),
            "migrations": _applied_migrations(),
            "tables": counts,
        }
        media_files = 0
        partial = out.with_name(out.name + ".partial")
        with tarfile.open(partial, "w:gz") as archive:
            _add_bytes(archive, "manifest.json", json.dumps(manifest, indent=1).encode())
            archive.add(db_file, arcname=db_file.name)
            if media.is_dir():
                for path in sorted(p for p in media.rglob("*") if p.is_file()):
                    archive.add(path, arcname=f"media/{path.relative_to(media)}")
                    media_files += 1
        partial.replace(out)  # a crash mid-way never leaves a truncated archive under `out`
    audit_record(
        actor=actor,
        action="backup.created",
        object_type="backup",
        object_id=out.name,
        after={"file": out.name, "vendor": vendor, "tables": len(counts), "media": media_files},
    )
    return BackupReport(path=out, vendor=vendor, tables=counts, media_files=media_files)


def _read_manifest(archive: tarfile.TarFile, path: Path) -> dict[str, Any]:
    try:
        member = archive.extractfile("manifest.json")
    except KeyError:
        raise BackupError(f"{path.name}: not a SignalDesk backup (no manifest.json)") from None
    if member is None:
        raise BackupError(f"{path.name}: manifest.json is not a file")
    try:
        manifest: dict[str, Any] = json.loads(member.read())
    except ValueError as exc:
        raise BackupError(f"{path.name}: manifest.json is not JSON: {exc}") from None
    if manifest.get("format") != FORMAT:
        raise BackupError(f"{path.name}: unknown backup format {manifest.get('format')!r}")
    return manifest


def _check_compatible(manifest: Mapping[str, Any], path: Path) -> None:
    vendor = connection.vendor
    if manifest["vendor"] != vendor:
        raise BackupError(
            f"{path.name} is a {manifest['vendor']} backup; this service runs on {vendor}"
        )
    from django.db.migrations.loader import MigrationLoader

    known = set(MigrationLoader(None, ignore_no_migrations=True).disk_migrations)
    unknown = [f"{a}.{n}" for a, n in manifest["migrations"] if (a, n) not in known]
    if unknown:
        shown = ", ".join(unknown[:5])
        raise BackupError(
            f"{path.name} was made by a newer SignalDesk (unknown migrations: {shown}); "
            "upgrade before restoring"
        )


def _safe_members(archive: tarfile.TarFile) -> list[tarfile.TarInfo]:
    members = []
    for member in archive.getmembers():
        name = Path(member.name)
        if name.is_absolute() or ".." in name.parts or not (member.isfile() or member.isdir()):
            raise BackupError(f"unsafe path in backup: {member.name!r}")
        members.append(member)
    return members


def backup_restore(*, path: Path, actor: Actor, now: dt.datetime) -> BackupReport:
    """Replace the database and media with the backup's; see the module docstring."""
    if connection.in_atomic_block:
        raise BackupError("restore cannot run inside a transaction")
    if not path.is_file():
        raise BackupError(f"{path}: no such file", code="not_found")
    with tempfile.TemporaryDirectory(prefix="signaldesk-restore-") as tmp:
        try:
            with tarfile.open(path, "r:gz") as archive:
                manifest = _read_manifest(archive, path)
                _check_compatible(manifest, path)
                archive.extractall(tmp, members=_safe_members(archive), filter="data")
        except (tarfile.TarError, EOFError, OSError) as exc:
            raise BackupError(f"{path.name}: not a readable backup archive: {exc}") from None
        if manifest["vendor"] == "sqlite":
            _restore_sqlite(Path(tmp) / SQLITE_NAME)
        else:
            _restore_postgresql(Path(tmp) / PG_NAME)
        media_files = _restore_media(Path(tmp) / "media")
    call_command("migrate", interactive=False, verbosity=0)
    counts = table_counts()
    expected: dict[str, int] = manifest["tables"]
    differing = {t: (n, counts.get(t)) for t, n in expected.items() if counts.get(t) != n}
    if differing:
        raise BackupError(f"restored row counts differ from the backup's: {differing}")
    audit_record(
        actor=actor,
        action="backup.restored",
        object_type="backup",
        object_id=path.name,
        after={"file": path.name, "made_at": manifest["created_at"], "tables": len(counts)},
        context={"restored_at": now.isoformat()},
    )
    vendor = str(manifest["vendor"])
    return BackupReport(path=path, vendor=vendor, tables=counts, media_files=media_files)


def _restore_sqlite(db_file: Path) -> None:
    if not db_file.is_file():
        raise BackupError(f"backup has no {SQLITE_NAME}")
    connection.ensure_connection()
    source = sqlite3.connect(db_file)
    try:
        source.backup(connection.connection)
    finally:
        source.close()


def _restore_postgresql(dump: Path) -> None:
    if not dump.is_file():
        raise BackupError(f"backup has no {PG_NAME}")
    args, env = _pg_env()
    name = str(connection.settings_dict["NAME"])
    connection.close()
    cmd = [
        "pg_restore",
        *args,
        "--clean",
        "--if-exists",
        "--no-owner",
        "--single-transaction",
        "--exit-on-error",
        "--dbname",
        name,
        str(dump),
    ]
    result = subprocess.run(cmd, env=env, capture_output=True, text=True, check=False)
    if result.returncode != 0:
        raise BackupError(f"pg_restore failed: {result.stderr.strip()[:500]}")


def _restore_media(source: Path) -> int:
    media = Path(settings.MEDIA_ROOT)
    if media.exists():
        shutil.rmtree(media)
    if not source.is_dir():
        return 0
    shutil.copytree(source, media)
    return sum(1 for p in media.rglob("*") if p.is_file())
