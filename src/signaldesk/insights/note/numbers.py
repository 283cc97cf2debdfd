"""The note's number check: every number printed must be one of the facts' numbers.

Numbers are compared in a canonical form: digits with thousands separators removed, sign
dropped (a note says "fell 12%" for a change of -12), trailing zeros of decimals removed
("2.80" = "2.8" = 2.8, "12.0" = "12" = 12). The facts' numbers are every numeric value in
their JSON plus every number inside their strings (dates, SKUs, the scan's explanations), read
with the same pattern as the note."""

from __future__ import annotations

import re
from collections.abc import Iterator
from decimal import Decimal, InvalidOperation
from typing import Any

NUMBER = re.compile(r"\d[\d,]*(?:\.\d+)?")


def canonical(token: str | float | int | Decimal) -> str:
    text = str(token).replace(",", "").lstrip("+-")
    try:
        value = Decimal(text)
    except InvalidOperation:
        return text
    if value == value.to_integral_value():
        return str(int(value))
    return format(value.normalize(), "f")


def numbers_in(text: str) -> set[str]:
    out = set()
    for match in NUMBER.finditer(text):
        token = match.group(0).rstrip(",")
        out.add(canonical(token))
    return out


def _walk(value: Any) -> Iterator[str]:
    if isinstance(value, bool) or value is None:
        return
    if isinstance(value, int | float | Decimal):
        yield canonical(value)
    elif isinstance(value, str):
        yield from numbers_in(value)
    elif isinstance(value, dict):
        for v in value.values():
            yield from _walk(v)
    elif isinstance(value, list | tuple):
        for v in value:
            yield from _walk(v)


def fact_numbers(facts: dict[str, Any]) -> set[str]:
    return set(_walk(facts))


def unsupported_numbers(text: str, facts: dict[str, Any]) -> set[str]:
    """Numbers in ``text`` that no fact holds (empty set = the note is grounded)."""
    return numbers_in(text) - fact_numbers(facts)
