"""Shared machinery: reading files in constant memory (encoding detection, CSV with line
numbers, chunks), the per-chunk tally, and the report returned to callers."""

from __future__ import annotations

import codecs
import csv
import io
import sys
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any

from signaldesk.core.errors import ValidationError
from signaldesk.intake.importers.parse import RowProblem

CHUNK_ROWS = 10_000
SNIFF_BYTES = 1 << 20
REPORT_ERROR_LIMIT = 1000

csv.field_size_limit(min(sys.maxsize, 2**31 - 1))


class ImportFileError(ValidationError):
    """The file as a whole is unusable (wrong type, missing columns); nothing was written."""

    code = "bad_file"


@dataclass(frozen=True)
class ImportReport:
    run_id: int
    kind: str
    file_name: str
    encoding: str
    counts: Mapping[str, int]
    errors: tuple[tuple[int, str, str], ...]
    seconds: float

    @property
    def rows_per_second(self) -> float:
        return self.counts["read"] / self.seconds if self.seconds > 0 else 0.0

    def as_dict(self) -> dict[str, Any]:
        return {
            "run_id": self.run_id,
            "kind": self.kind,
            "file_name": self.file_name,
            "encoding": self.encoding,
            "counts": dict(self.counts),
            "errors": [{"line": ln, "column": c, "reason": r} for ln, c, r in self.errors],
            "errors_truncated": self.counts["failed"] > len(self.errors),
            "seconds": round(self.seconds, 3),
            "rows_per_second": round(self.rows_per_second, 1),
        }


@dataclass
class Tally:
    """Outcome of one chunk; merged into the run only after the chunk's transaction commits."""

    read: int = 0
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    failed: int = 0
    errors: list[tuple[int, str, str]] = field(default_factory=list)

    def add(self, state: str) -> None:
        setattr(self, state, getattr(self, state) + 1)

    def fail(self, line: int, column: str, reason: str) -> None:
        self.failed += 1
        self.errors.append((line, column, reason))

    def problem(self, line: int, exc: RowProblem) -> None:
        self.fail(line, exc.column, exc.reason)


# --- reading text ------------------------------------------------------------------------------


class TextSource:
    """A file opened for streaming text. The encoding is decided on the first MiB: UTF-8 (a BOM
    is dropped) if it decodes, else Latin-1 for the whole file. Later invalid UTF-8 bytes, if any,
    become U+FFFD rather than stopping the import."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.size = path.stat().st_size
        self.raw = open(path, "rb", buffering=0)  # noqa: SIM115 - closed by close()
        head = self.raw.read(SNIFF_BYTES)
        try:
            codecs.getincrementaldecoder("utf-8")().decode(head, final=len(head) < SNIFF_BYTES)
            self.encoding = "utf-8-sig" if head.startswith(codecs.BOM_UTF8) else "utf-8"
        except UnicodeDecodeError:
            self.encoding = "latin-1"
        # a UTF-8 BOM before Latin-1 text (a mis-converted export) is dropped, not read as "ï»¿"
        self.raw.seek(3 if self.encoding == "latin-1" and head.startswith(codecs.BOM_UTF8) else 0)
        buffered = io.BufferedReader(self.raw, buffer_size=1 << 16)
        self.text: IO[str] = io.TextIOWrapper(
            buffered, encoding=self.encoding, errors="replace", newline=""
        )

    @property
    def bytes_read(self) -> int:
        return self.raw.tell() if not self.raw.closed else self.size

    def close(self) -> None:
        self.text.close()


@dataclass(frozen=True)
class CsvSpec:
    """The columns of one CSV kind. Names are matched case-insensitively; extra columns are
    ignored; `group_by` keeps rows with the same value in one chunk (an order, a product)."""

    required: tuple[str, ...]
    optional: tuple[str, ...]
    hint: str
    group_by: str = ""


class Row:
    __slots__ = ("line", "values")

    def __init__(self, line: int, values: list[str]) -> None:
        self.line = line
        self.values = values


class CsvSource(TextSource):
    def __init__(self, path: Path, spec: CsvSpec) -> None:
        super().__init__(path)
        try:
            first = self.text.readline()
        except Exception:
            self.close()
            raise
        if "\x00" in first:
            self.close()
            raise ImportFileError(f"{path.name}: this is not a CSV text file — {spec.hint}")
        delimiter = ";" if first.count(";") > first.count(",") else ","
        header = next(csv.reader([first], delimiter=delimiter), [])
        names = [h.strip().lstrip("\ufeff").lower() for h in header]
        missing = [c for c in spec.required if c.lower() not in names]
        if missing:
            self.close()
            raise ImportFileError(
                f"{path.name}: missing required column(s): {', '.join(missing)} — {spec.hint}"
            )
        self.width = len(names)
        self.index: dict[str, int] = {}
        for col in (*spec.required, *spec.optional):
            lowered = col.lower()
            # a missing optional column reads as the empty cell appended to every row
            self.index[col] = names.index(lowered) if lowered in names else self.width
        self.spec = spec
        self.reader = csv.reader(_without_nul(self.text), delimiter=delimiter)

    def rows(self) -> Iterator[Row]:
        reader = self.reader
        width = self.width
        pad = [""] * (width + 1)
        line = 2
        for values in reader:
            start = line
            line = reader.line_num + 2  # the next record starts after this one's last line
            if not values or (len(values) == 1 and not values[0].strip()):
                continue
            if len(values) < width + 1:
                values.extend(pad[len(values) :])
            yield Row(start, values)

    def chunks(self, size: int = CHUNK_ROWS) -> Iterator[list[Row]]:
        group = self.index.get(self.spec.group_by) if self.spec.group_by else None
        chunk: list[Row] = []
        for row in self.rows():
            if len(chunk) >= size and (
                group is None or row.values[group].strip() != chunk[-1].values[group].strip()
            ):
                yield chunk
                chunk = []
            chunk.append(row)
        if chunk:
            yield chunk


def _without_nul(lines: IO[str]) -> Iterator[str]:
    """NUL bytes inside rows become U+FFFD, like invalid UTF-8: PostgreSQL text cannot hold them,
    and one would otherwise roll back the whole chunk of good rows around it."""
    for line in lines:
        yield line.replace("\x00", "\ufffd") if "\x00" in line else line


class Cols:
    """Fast column access for one CSV: `c.get(row, "Name")`."""

    def __init__(self, index: Mapping[str, int]) -> None:
        self.index = dict(index)

    def __call__(self, row: Row, name: str) -> str:
        return row.values[self.index[name]]

    def present(self, name: str, width: int) -> bool:
        return self.index[name] < width


class CsvImporter:
    """Base for CSV kinds: `spec` names the columns; subclasses implement `handle`."""

    kind = ""
    spec: CsvSpec

    def open(self, path: Path, options: Mapping[str, str]) -> CsvSource:
        return CsvSource(path, self.spec)

    def prepare(self, source: Any, ctx: Any) -> None:
        self.cols = Cols(source.index)

    def finish(self, ctx: Any) -> None:
        return None
