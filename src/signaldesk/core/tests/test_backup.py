"""Backup and restore round trip on the database under test (SQLite or PostgreSQL)."""

from __future__ import annotations

import datetime as dt
import io
import json
import tarfile
from pathlib import Path

import pytest
from django.db import connection
from django.test import override_settings

from signaldesk.commerce.models import Customer
from signaldesk.core.audit import Actor
from signaldesk.core.backup import FORMAT, BackupError, backup_create, backup_restore
from signaldesk.core.models import AuditEvent
from signaldesk.testing.factories import CustomerFactory, TicketFactory
from signaldesk.tickets.models import Ticket

pytestmark = pytest.mark.usefixtures("transactional_db_with_audit_log")

NOW = dt.datetime(2026, 11, 22, 9, 0, tzinfo=dt.UTC)
ACTOR = Actor.system("test")


def _archive(path: Path, manifest: dict[str, object], extra: dict[str, bytes]) -> Path:
    with tarfile.open(path, "w:gz") as archive:
        for name, data in {"manifest.json": json.dumps(manifest).encode(), **extra}.items():
            info = tarfile.TarInfo(name)
            info.size = len(data)
            archive.addfile(info, io.BytesIO(data))
    return path


def test_restore_brings_back_rows_and_files_as_they_were(tmp_path: Path) -> None:
    media = tmp_path / "media"
    (media / "attachments").mkdir(parents=True)
    (media / "attachments" / "a.txt").write_text("kept")
    ann = CustomerFactory(name="Ann Example")
    TicketFactory(customer=ann, subject="Parcel late")
    with override_settings(MEDIA_ROOT=media):
        made = backup_create(out=tmp_path / "b.tar.gz", actor=ACTOR, now=NOW)
        Customer.objects.filter(pk=ann.pk).update(name="Changed")
        CustomerFactory(name="Added later")
        Ticket.objects.all().delete()
        (media / "attachments" / "a.txt").unlink()
        (media / "late.txt").write_text("added after the backup")

        restored = backup_restore(path=made.path, actor=ACTOR, now=NOW)

    assert made.vendor == connection.vendor
    assert made.media_files == 1
    assert list(Customer.objects.values_list("name", flat=True)) == ["Ann Example"]
    assert list(Ticket.objects.values_list("subject", flat=True)) == ["Parcel late"]
    assert sorted(p.name for p in media.rglob("*") if p.is_file()) == ["a.txt"]
    assert restored.tables["tickets_ticket"] == 1
    assert AuditEvent.objects.filter(action="backup.restored", object_id="b.tar.gz").count() == 1


def test_a_file_that_is_not_a_backup_is_refused_and_nothing_changes(tmp_path: Path) -> None:
    CustomerFactory(name="Ann Example")
    not_backup = tmp_path / "x.tar.gz"
    not_backup.write_bytes(b"hello")
    with pytest.raises(BackupError, match=r"x\.tar\.gz: not a readable backup archive"):
        backup_restore(path=not_backup, actor=ACTOR, now=NOW)
    assert list(Customer.objects.values_list("name", flat=True)) == ["Ann Example"]


def test_a_backup_of_another_database_kind_is_refused(tmp_path: Path) -> None:
    manifest = {"format": FORMAT, "vendor": "oracle", "migrations": [], "tables": {}}
    path = _archive(tmp_path / "o.tar.gz", manifest, {})
    with pytest.raises(BackupError, match=r"o\.tar\.gz is a oracle backup; this service runs on "):
        backup_restore(path=path, actor=ACTOR, now=NOW)


def test_a_backup_from_a_newer_version_is_refused(tmp_path: Path) -> None:
    manifest = {
        "format": FORMAT,
        "vendor": connection.vendor,
        "migrations": [["tickets", "0999_future"]],
        "tables": {},
    }
    path = _archive(tmp_path / "n.tar.gz", manifest, {})
    with pytest.raises(BackupError, match=r"unknown migrations: tickets.0999_future"):
        backup_restore(path=path, actor=ACTOR, now=NOW)


def test_paths_escaping_the_archive_are_refused(tmp_path: Path) -> None:
    manifest = {"format": FORMAT, "vendor": connection.vendor, "migrations": [], "tables": {}}
    path = _archive(tmp_path / "t.tar.gz", manifest, {"../evil.txt": b"x"})
    with pytest.raises(BackupError, match=r"unsafe path in backup: '\.\./evil\.txt'"):
        backup_restore(path=path, actor=ACTOR, now=NOW)
    assert not (tmp_path.parent / "evil.txt").exists()
