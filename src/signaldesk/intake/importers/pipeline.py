"""Reading and building chunks in a second process while this one writes.

An import spends about half its CPU time turning text into typed rows (CSV parsing, dates,
money, grouping) and half writing them. Importers that split their work into `build` (pure
Python: no database) and `write` (the database) get both halves run at once on two cores: a
forked reader process builds chunk N+1 while this process writes chunk N. The queue between them
holds at most `QUEUE_CHUNKS` built chunks, so memory stays flat however large the file.

The reader is forked only when it is safe and useful: the platform can fork, this process runs
a single thread (forking a threaded process, e.g. a web server, can deadlock the child), and
SIGNALDESK_IMPORT_READER_PROCESS is not "0". Otherwise the same `build` runs inline, so both
paths produce the same rows, counts and errors."""

from __future__ import annotations

import multiprocessing
import os
import queue as queue_module
import threading
import traceback
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any, Protocol

from signaldesk.intake.importers.base import ImportFileError, Tally

QUEUE_CHUNKS = 2
POLL_SECONDS = 1.0


@dataclass
class Built:
    """One chunk ready to write: how many rows it covered, their first and last line, the rows
    that already failed while building (in `tally`), and the importer's own payload."""

    rows: int
    first_line: int
    last_line: int
    payload: Any
    tally: Tally = field(default_factory=Tally)


class ChunkSource(Protocol):
    @property
    def bytes_read(self) -> int: ...

    def chunks(self) -> Iterator[list[Any]]: ...


class Builder(Protocol):
    def build(self, chunk: list[Any], ctx: Any) -> Built: ...


@dataclass(frozen=True)
class _Done:
    pass


@dataclass(frozen=True)
class _Failed:
    file_error: bool
    message: str


def reader_process_allowed() -> bool:
    return (
        os.environ.get("SIGNALDESK_IMPORT_READER_PROCESS", "1") != "0"
        and "fork" in multiprocessing.get_all_start_methods()
        and threading.active_count() == 1
    )


def built_chunks(
    builder: Builder, source: ChunkSource, ctx: Any, *, reader_process: bool
) -> Iterator[tuple[Built, int]]:
    """Yield (built chunk, bytes of the file read so far) in file order."""
    if not reader_process:
        for chunk in source.chunks():
            yield builder.build(chunk, ctx), source.bytes_read
        return
    fork = multiprocessing.get_context("fork")
    channel: Any = fork.Queue(maxsize=QUEUE_CHUNKS)
    reader = fork.Process(
        target=_read, args=(builder, source, ctx, channel), name="import-reader", daemon=True
    )
    reader.start()
    try:
        while True:
            try:
                item = channel.get(timeout=POLL_SECONDS)
            except queue_module.Empty:
                if not reader.is_alive():
                    raise ImportFileError(
                        f"the import's reader process stopped unexpectedly "
                        f"(exit code {reader.exitcode}); nothing after the last chunk was written"
                    ) from None
                continue
            if isinstance(item, _Done):
                return
            if isinstance(item, _Failed):
                if item.file_error:
                    raise ImportFileError(item.message)
                raise RuntimeError(f"import reader failed: {item.message}")
            yield item
    finally:
        if reader.is_alive():
            reader.terminate()
        reader.join()
        channel.close()
        channel.join_thread()


def _read(builder: Builder, source: ChunkSource, ctx: Any, channel: Any) -> None:
    """The reader process: build every chunk and hand it over; report a failure as a value."""
    try:
        for chunk in source.chunks():
            channel.put((builder.build(chunk, ctx), source.bytes_read))
    except ImportFileError as exc:
        channel.put(_Failed(file_error=True, message=exc.detail))
    except Exception:
        channel.put(_Failed(file_error=False, message=traceback.format_exc(limit=5)))
    else:
        channel.put(_Done())
