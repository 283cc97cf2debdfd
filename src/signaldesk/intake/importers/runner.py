"""`run_import`: validate the file, then stream it chunk by chunk, one transaction per chunk, and
record an ImportRun with its row errors and one `import.completed` audit event."""

from __future__ import annotations

import gc
import logging
import time
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Protocol

from django.conf import settings
from django.db import DatabaseError, connection, transaction
from django.utils import timezone

from signaldesk.core.audit import Actor, audit_record
from signaldesk.core.errors import ValidationError
from signaldesk.intake.importers.base import (
    REPORT_ERROR_LIMIT,
    ImportFileError,
    ImportReport,
    Tally,
)
from signaldesk.intake.importers.pipeline import Built, built_chunks, reader_process_allowed
from signaldesk.intake.models import ImportRowError, ImportRun

logger = logging.getLogger(__name__)


@dataclass
class RunContext:
    run: ImportRun
    actor: Actor
    file_name: str
    options: dict[str, str]
    currency: str
    state: dict[str, Any] = field(default_factory=dict)


class Source(Protocol):
    encoding: str
    size: int

    @property
    def bytes_read(self) -> int: ...

    def chunks(self) -> Iterator[list[Any]]: ...

    def close(self) -> None: ...


class Importer(Protocol):
    """Either `handle` a chunk (read, build and write it here), or split the work into `build`
    (no database; may run in the reader process, see pipeline.py) and `write`."""

    kind: str

    def open(self, path: Path, options: Mapping[str, str]) -> Source: ...

    def prepare(self, source: Source, ctx: RunContext) -> None: ...

    def finish(self, ctx: RunContext) -> None: ...


class ChunkHandler(Protocol):
    def handle(self, chunk: list[Any], ctx: RunContext, tally: Tally) -> None: ...


class Writer(Protocol):
    def write(self, payload: Any, ctx: RunContext, tally: Tally) -> None: ...


def _importers() -> dict[str, Importer]:
    from signaldesk.intake.importers import commerce_csv, customers, shopify, tickets_csv, zendesk

    importers: list[Any] = [
        shopify.OrdersImporter(),
        shopify.ProductsImporter(),
        customers.CustomersImporter(),
        zendesk.ZendeskImporter(),
        commerce_csv.ShipmentsImporter(),
        commerce_csv.ReturnsImporter(),
        commerce_csv.ReviewsImporter(),
        tickets_csv.TicketsImporter(),
    ]
    return {importer.kind: importer for importer in importers}


@contextmanager
def _progress(enabled: bool, total: int, label: str) -> Iterator[Any]:
    if not enabled:
        yield None
        return
    from rich.progress import (
        BarColumn,
        DownloadColumn,
        Progress,
        TextColumn,
        TimeRemainingColumn,
        TransferSpeedColumn,
    )

    columns = (
        TextColumn("[bold]{task.description}"),
        BarColumn(),
        DownloadColumn(),
        TransferSpeedColumn(),
        TimeRemainingColumn(),
    )
    with Progress(*columns, transient=False) as bar:
        task = bar.add_task(label, total=total)
        yield lambda done: bar.update(task, completed=done)


# Per-connection settings for the duration of an import on SQLite, restored afterwards. The
# database stays WAL; with synchronous=OFF a power cut (not a crash of this process) can lose the
# last committed chunks, which a re-import of the same file restores (imports are idempotent).
# (cache_size stays as configured, 64 MiB: a bigger page cache or mmap shows up as resident
# memory and bought little in measurements.)
SQLITE_IMPORT_PRAGMAS = {
    "synchronous": "OFF",
    "temp_store": "MEMORY",
    "wal_autocheckpoint": "10000",  # checkpoint every ~40 MB of WAL rather than every 4 MB
}
# A chunk allocates hundreds of thousands of short-lived tuples and lists, all freed by reference
# counting; the default gen-0 threshold (700) ran a collection every few rows (7-8 % of the CPU
# time of a 1M-line import). Raised for the run, restored after.
GC_THRESHOLD = (100_000, 50, 100)


@contextmanager
def _import_connection() -> Iterator[None]:
    """Tune the import's own connection (SQLite only); restore the previous values after. Inside
    a caller's transaction (tests, an API request in ATOMIC_REQUESTS) nothing is changed:
    SQLite refuses to change the safety level there."""
    if connection.vendor != "sqlite" or connection.in_atomic_block:
        yield
        return
    saved: dict[str, str] = {}
    with connection.cursor() as cursor:
        for name, value in SQLITE_IMPORT_PRAGMAS.items():
            cursor.execute(f"PRAGMA {name}")
            row = cursor.fetchone()
            saved[name] = str(row[0]) if row else ""
            cursor.execute(f"PRAGMA {name} = {value}")
    try:
        yield
    finally:
        with connection.cursor() as cursor:
            for name, value in saved.items():
                if value:
                    cursor.execute(f"PRAGMA {name} = {value}")


class InlineBuilder:
    """Adapts an importer that only has `handle(chunk)`: the chunk itself is the payload."""

    def __init__(self, importer: ChunkHandler) -> None:
        self.importer = importer

    def build(self, chunk: list[Any], ctx: RunContext) -> Built:
        first, last = getattr(chunk[0], "line", 0), getattr(chunk[-1], "line", 0)
        return Built(rows=len(chunk), first_line=first, last_line=last, payload=chunk)

    def write(self, payload: Any, ctx: RunContext, tally: Tally) -> None:
        self.importer.handle(payload, ctx, tally)


def _import_chunk(writer: Writer, built: Built, ctx: RunContext, run: ImportRun) -> Tally:
    """Write one chunk in its own transaction; a database error fails the whole chunk's rows.
    Row errors (found while building or writing) are stored, all of them, sorted by line."""
    tally = built.tally
    tally.read = built.rows
    try:
        with transaction.atomic():
            writer.write(built.payload, ctx, tally)
    except DatabaseError as exc:
        logger.warning("import.chunk_failed", extra={"run": run.pk, "error": str(exc)})
        tally = _chunk_failed(built, tally, exc)
    if tally.errors:
        tally.errors.sort(key=lambda e: e[0])
        ImportRowError.objects.bulk_create(
            [
                ImportRowError(run=run, line=ln, column=col[:200], reason=reason)
                for ln, col, reason in tally.errors
            ]
        )
    return tally


def _chunk_failed(built: Built, tally: Tally, exc: Exception) -> Tally:
    """A database error rolled the chunk back: every row in it failed."""
    first, last = built.first_line, built.last_line
    failed = Tally(read=built.rows, failed=built.rows, errors=list(tally.errors))
    failed.errors.append((first, "", f"lines {first}–{last} rolled back: database error: {exc}"))
    return failed


def run_import(
    *,
    kind: str,
    path: Path,
    actor: Actor,
    options: Mapping[str, str] | None = None,
    progress: bool = False,
    reader_process: bool | None = None,
) -> ImportReport:
    """Import one file. `reader_process`: build chunks in a forked process (pipeline.py); None
    decides by `reader_process_allowed()`."""
    importers = _importers()
    importer = importers.get(kind)
    if importer is None:
        raise ValidationError(
            f"Unknown import kind {kind!r}; choose one of {', '.join(importers)}.",
            code="unknown_kind",
        )
    path = Path(path)
    if not path.is_file():
        raise ImportFileError(f"{path}: no such file", code="not_found")
    opts = dict(options or {})
    started = time.perf_counter()
    if reader_process is None:  # decided before anything starts a thread (the progress bar does)
        reader_process = reader_process_allowed()
    source = importer.open(path, opts)  # raises ImportFileError before anything is written
    gc.freeze()  # the long-lived objects loaded so far need no re-scanning by each collection
    gc_threshold = gc.get_threshold()
    gc.set_threshold(*GC_THRESHOLD)
    try:
        run = ImportRun.objects.create(
            kind=kind, file_name=path.name, started_at=timezone.now(), started_by_id=actor.user_id
        )
        ctx = RunContext(
            run=run,
            actor=actor,
            file_name=path.name,
            options=opts,
            currency=opts.get("currency", settings.SIGNALDESK_STORE_CURRENCY).upper()[:3],
        )
        total = Tally()
        kept: list[tuple[int, str, str]] = []
        with (
            _import_connection(),
            _progress(progress, source.size, f"{kind} {path.name}") as advance,
        ):
            importer.prepare(source, ctx)
            stages: Any = importer if hasattr(importer, "build") else InlineBuilder(importer)  # type: ignore[arg-type]
            chunks = built_chunks(
                stages, source, ctx, reader_process=reader_process and stages is importer
            )
            for built, bytes_read in chunks:
                tally = _import_chunk(stages, built, ctx, run)
                for name in ("read", "created", "updated", "unchanged", "failed"):
                    setattr(total, name, getattr(total, name) + getattr(tally, name))
                kept.extend(tally.errors[: max(0, REPORT_ERROR_LIMIT - len(kept))])
                if advance is not None:
                    advance(bytes_read)
            importer.finish(ctx)
            if advance is not None:
                advance(source.size)
    finally:
        source.close()
        gc.set_threshold(*gc_threshold)
        gc.unfreeze()
    seconds = time.perf_counter() - started
    counts = {
        "read": total.read,
        "created": total.created,
        "updated": total.updated,
        "unchanged": total.unchanged,
        "failed": total.failed,
    }
    ImportRun.objects.filter(pk=run.pk).update(
        finished_at=timezone.now(),
        rows_read=total.read,
        created=total.created,
        updated=total.updated,
        unchanged=total.unchanged,
        failed=total.failed,
    )
    audit_record(
        actor=actor,
        action="import.completed",
        obj=run,
        after=counts,
        context={
            "kind": kind,
            "file": path.name,
            "encoding": source.encoding,
            "seconds": round(seconds, 3),
            "reader_process": reader_process and hasattr(importer, "build"),
        },
    )
    logger.info("import.completed", extra={"run": run.pk, "kind": kind, **counts})
    return ImportReport(
        run_id=run.pk,
        kind=kind,
        file_name=path.name,
        encoding=source.encoding,
        counts=counts,
        errors=tuple(kept),
        seconds=seconds,
    )
