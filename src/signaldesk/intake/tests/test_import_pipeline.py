"""The reader process of pipeline.py: chunks arrive in file order and a failure in the reader
reaches the importing process as the same kind of error."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from signaldesk.intake.importers.base import ImportFileError
from signaldesk.intake.importers.pipeline import Built, built_chunks


class Numbers:
    """A source of `count` chunks of three numbers; fails with `error` before chunk `fail_at`."""

    def __init__(self, count: int, fail_at: int = -1, error: Exception | None = None) -> None:
        self.count, self.fail_at, self.error = count, fail_at, error
        self.read = 0

    @property
    def bytes_read(self) -> int:
        return self.read

    def chunks(self) -> Iterator[list[Any]]:
        for index in range(self.count):
            if index == self.fail_at and self.error is not None:
                raise self.error
            self.read += 30
            yield [index * 3, index * 3 + 1, index * 3 + 2]


class Summer:
    def build(self, chunk: list[Any], ctx: Any) -> Built:
        return Built(rows=len(chunk), first_line=chunk[0], last_line=chunk[-1], payload=sum(chunk))


@pytest.mark.parametrize("reader_process", [True, False])
def test_chunks_arrive_in_order_with_bytes_read(reader_process: bool) -> None:
    got = [
        (built.payload, built.first_line, read)
        for built, read in built_chunks(Summer(), Numbers(5), None, reader_process=reader_process)
    ]
    assert got == [(3, 0, 30), (12, 3, 60), (21, 6, 90), (30, 9, 120), (39, 12, 150)]


def test_a_file_error_in_the_reader_is_raised_here_after_the_good_chunks() -> None:
    source = Numbers(5, fail_at=2, error=ImportFileError("orders.csv: line 7 is not CSV"))
    got: list[int] = []
    with pytest.raises(ImportFileError) as failure:
        for built, _ in built_chunks(Summer(), source, None, reader_process=True):
            got.append(built.payload)
    assert got == [3, 12]
    assert failure.value.detail == "orders.csv: line 7 is not CSV"


def test_any_other_reader_failure_names_its_cause() -> None:
    source = Numbers(3, fail_at=1, error=KeyError("Lineitem sku"))
    with pytest.raises(RuntimeError, match="KeyError: 'Lineitem sku'"):
        list(built_chunks(Summer(), source, None, reader_process=True))
