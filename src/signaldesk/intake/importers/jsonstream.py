"""Constant-memory JSON reading without a dependency: the file is read in 1 MiB pieces and each
array element is decoded with `json.JSONDecoder.raw_decode`, so only one element (plus one read
buffer) is in memory at a time. Line numbers are tracked for error reports."""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import IO, Any

READ_SIZE = 1 << 20
MAX_VALUE_CHARS = 64 << 20
WS = " \t\r\n"


class JsonSyntaxError(Exception):
    def __init__(self, line: int, reason: str) -> None:
        super().__init__(f"line {line}: {reason}")
        self.line = line
        self.reason = reason


class JsonStream:
    def __init__(self, text: IO[str]) -> None:
        self.text = text
        self.buf = ""
        self.pos = 0
        self.eof = False
        self._line = 1  # line number at self._line_pos
        self._line_pos = 0
        self._decode = json.JSONDecoder().raw_decode

    # --- buffer --------------------------------------------------------------------------
    def _fill(self) -> bool:
        if self.eof:
            return False
        data = self.text.read(READ_SIZE)
        if not data:
            self.eof = True
            return False
        if self.pos:
            self.line_at(self.pos)
            self._line_pos -= self.pos
            self.buf = self.buf[self.pos :]
            self.pos = 0
        self.buf += data
        return True

    def line_at(self, pos: int) -> int:
        if pos >= self._line_pos:
            self._line += self.buf.count("\n", self._line_pos, pos)
            self._line_pos = pos
        return self._line

    @property
    def line(self) -> int:
        return self.line_at(self.pos)

    def peek(self) -> str:
        """The next non-space character ('' at the end of the file)."""
        while True:
            buf, pos = self.buf, self.pos
            n = len(buf)
            while pos < n and buf[pos] in WS:
                pos += 1
            self.pos = pos
            if pos < n:
                return buf[pos]
            if not self._fill():
                return ""

    def expect(self, char: str) -> None:
        found = self.peek()
        if found != char:
            shown = repr(found) if found else "end of file"
            raise JsonSyntaxError(self.line, f"expected {char!r}, found {shown}")
        self.pos += 1

    def value(self) -> Any:
        self.peek()
        while True:
            try:
                obj, end = self._decode(self.buf, self.pos)
            except json.JSONDecodeError as exc:
                near_end = exc.pos >= len(self.buf) - 8 or exc.msg.startswith("Unterminated")
                if near_end and len(self.buf) - self.pos < MAX_VALUE_CHARS and self._fill():
                    continue
                if len(self.buf) - self.pos >= MAX_VALUE_CHARS:
                    raise JsonSyntaxError(self.line, "JSON value larger than 64 MiB") from None
                raise JsonSyntaxError(self.line_at(min(exc.pos, len(self.buf))), exc.msg) from None
            except RecursionError:  # hostile nesting (thousands of [ or {)
                raise JsonSyntaxError(self.line, "JSON nested too deeply") from None
            except ValueError as exc:  # an integer of more than 4300 digits
                raise JsonSyntaxError(self.line, f"unreadable value: {exc}"[:200]) from None
            # a number cut by the buffer end ("12" of "123"): read on and decode again
            at_end = end >= len(self.buf) and not self.eof
            if at_end and isinstance(obj, int | float) and self._fill():
                continue
            self.pos = end
            return obj

    # --- structure ---------------------------------------------------------------------------
    def array_items(self) -> Iterator[tuple[int, Any]]:
        """After '[': yield (line, element) until ']'."""
        self.expect("[")
        if self.peek() == "]":
            self.pos += 1
            return
        while True:
            self.peek()
            line = self.line
            yield line, self.value()
            sep = self.peek()
            if sep == ",":
                self.pos += 1
            elif sep == "]":
                self.pos += 1
                return
            else:
                shown = repr(sep) if sep else "end of file"
                raise JsonSyntaxError(self.line, f"expected ',' or ']' in array, found {shown}")

    def object_keys(self) -> Iterator[str]:
        """After '{': yield each key; the caller must consume its value (value() or items())."""
        self.expect("{")
        if self.peek() == "}":
            self.pos += 1
            return
        while True:
            key = self.value()
            if not isinstance(key, str):
                raise JsonSyntaxError(self.line, "expected an object key")
            self.expect(":")
            yield key
            sep = self.peek()
            if sep == ",":
                self.pos += 1
            elif sep == "}":
                self.pos += 1
                return
            else:
                shown = repr(sep) if sep else "end of file"
                raise JsonSyntaxError(self.line, f"expected ',' or '}}' in object, found {shown}")
