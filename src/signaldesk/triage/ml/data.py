"""Robust CSV input for the classifier (no pandas, no Django).

Decoding: UTF-8 (a leading BOM is dropped). With ``encoding="auto"`` (default) a file that
is not valid UTF-8 is decoded as Latin-1 and a warning names the first offending line; with
``encoding="utf-8"`` it is an error naming file, line and byte offset. Files containing NUL
bytes are rejected as binary.

Rows: rows whose text is empty (or whitespace) are skipped and counted in
``skipped_empty_text``; rows of a labelled file whose label is empty are skipped and counted
in ``skipped_empty_label``. A missing column, or a file without usable rows, is an error.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field
from pathlib import Path

csv.field_size_limit(10 * 1024 * 1024)


class ClassifierInputError(ValueError):
    """Bad classifier input (file, column, encoding, labels); message names the place."""


@dataclass
class TextTable:
    """Texts (and labels, when a label column was asked for) read from one CSV file."""

    path: str
    texts: list[str]
    labels: list[str] | None
    line_numbers: list[int]
    encoding: str
    skipped_empty_text: int = 0
    skipped_empty_label: int = 0
    warnings: list[str] = field(default_factory=list)


def _decode(path: Path, raw: bytes, encoding: str) -> tuple[str, str, list[str]]:
    if b"\x00" in raw:
        line = raw[: raw.index(b"\x00")].count(b"\n") + 1
        raise ClassifierInputError(
            f"{path}:{line}: file contains NUL bytes; it looks binary, not a CSV text file"
        )
    if raw.startswith(b"\xef\xbb\xbf"):
        raw = raw[3:]
    try:
        return raw.decode("utf-8"), "utf-8", []
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        where = f"{path}:{line}: byte 0x{raw[exc.start]:02x} at offset {exc.start}"
        if encoding != "auto":
            raise ClassifierInputError(
                f"{where} is not valid UTF-8; re-save the file as UTF-8 "
                "or pass encoding='auto' to fall back to Latin-1"
            ) from exc
        return raw.decode("latin-1"), "latin-1", [f"{where} is not UTF-8; read as Latin-1"]


def read_table(
    path: str | Path,
    text_column: str,
    label_column: str | None = None,
    encoding: str = "auto",
) -> TextTable:
    """Read ``text_column`` (and ``label_column``) from a CSV file with a header row."""
    p = Path(path)
    if encoding not in ("auto", "utf-8"):
        raise ClassifierInputError(f"{p}: encoding must be 'auto' or 'utf-8', not {encoding!r}")
    try:
        raw = p.read_bytes()
    except OSError as exc:
        raise ClassifierInputError(f"{p}: cannot read file: {exc.strerror or exc}") from exc
    text, used, warnings = _decode(p, raw, encoding)
    reader = csv.reader(io.StringIO(text, newline=""))
    try:
        header = next(reader)
    except StopIteration:
        raise ClassifierInputError(f"{p}:1: file is empty (expected a header row)") from None
    except csv.Error as exc:
        raise ClassifierInputError(f"{p}:1: cannot parse CSV header: {exc}") from exc
    header = [h.strip() for h in header]
    wanted = [text_column] + ([label_column] if label_column is not None else [])
    for col in wanted:
        if col not in header:
            raise ClassifierInputError(
                f"{p}:1: column {col!r} not found; columns are {', '.join(map(repr, header))}"
            )
    ti = header.index(text_column)
    li = header.index(label_column) if label_column is not None else -1
    table = TextTable(
        path=str(p),
        texts=[],
        labels=[] if label_column is not None else None,
        line_numbers=[],
        encoding=used,
        warnings=warnings,
    )
    try:
        for row in reader:
            line = reader.line_num
            if not row or all(not c.strip() for c in row):
                continue  # blank line
            value = row[ti].strip() if ti < len(row) else ""
            if not value:
                table.skipped_empty_text += 1
                continue
            if table.labels is not None:
                label = row[li].strip() if li < len(row) else ""
                if not label:
                    table.skipped_empty_label += 1
                    continue
                table.labels.append(label)
            table.texts.append(value)
            table.line_numbers.append(line)
    except csv.Error as exc:
        raise ClassifierInputError(f"{p}:{reader.line_num}: malformed CSV: {exc}") from exc
    if table.skipped_empty_text:
        table.warnings.append(
            f"{p}: skipped {table.skipped_empty_text} row(s) with empty {text_column!r}"
        )
    if table.skipped_empty_label:
        table.warnings.append(
            f"{p}: skipped {table.skipped_empty_label} row(s) with empty {label_column!r}"
        )
    if not table.texts:
        raise ClassifierInputError(f"{p}: no rows with a non-empty {text_column!r} column")
    return table


def check_training_labels(table: TextTable) -> None:
    """A training set needs at least two distinct labels."""
    labels = table.labels or []
    distinct = set(labels)
    if len(distinct) < 2:
        only = f" (only {next(iter(distinct))!r})" if distinct else ""
        raise ClassifierInputError(
            f"{table.path}: training data needs at least 2 distinct labels, "
            f"found {len(distinct)}{only}"
        )
