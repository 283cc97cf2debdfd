"""Value parsers shared by the importers. Each raises RowProblem naming the column, so a bad
value becomes one row error (file, line, column, reason) while the other rows still land."""

from __future__ import annotations

import datetime as dt
import re
from decimal import ROUND_HALF_UP, Decimal

from signaldesk.core.money import CENT, parse_decimal

_PLAIN = re.compile(r"-?\d{1,12}(?:\.\d{1,6})?\Z")


class RowProblem(Exception):
    """One bad value in one row."""

    def __init__(self, column: str, reason: str) -> None:
        super().__init__(f"{column}: {reason}")
        self.column = column
        self.reason = reason


UTC = dt.UTC


_OFFSETS: dict[str, dt.tzinfo] = {}
_DIGITS = frozenset("0123456789")


def _offset(sign_hhmm: str) -> dt.tzinfo | None:
    """'+0200' -> a cached fixed-offset tzinfo (None if it is not an offset)."""
    tz = _OFFSETS.get(sign_hhmm)
    if tz is None:
        body = sign_hhmm[1:]
        if sign_hhmm[0] not in "+-" or len(body) != 4 or not _DIGITS.issuperset(body):
            return None
        minutes = int(body[:2]) * 60 + int(body[2:])
        if minutes >= 24 * 60:
            return None
        delta = dt.timedelta(minutes=-minutes if sign_hhmm[0] == "-" else minutes)
        tz = UTC if not minutes else dt.timezone(delta)
        _OFFSETS[sign_hhmm] = tz
    return tz


def parse_dt(raw: str, column: str, *, required: bool = False) -> dt.datetime | None:
    """Shopify's `2024-03-01 10:15:00 +0100`, ISO 8601 (`2024-03-01T09:15:00Z`, offsets,
    fractions) or a bare date. Values without an offset are taken as UTC."""
    text = raw.strip()
    if not text:
        if required:
            raise RowProblem(column, "is empty")
        return None
    n = len(text)
    if n == 25 and text[19] == " ":  # Shopify: fixed layout, cached offsets
        tz = _offset(text[20:])
        if tz is not None:
            try:
                return dt.datetime.fromisoformat(text[:19]).replace(tzinfo=tz)
            except ValueError:
                pass  # reported below with the original text
    elif n == 20 and text[19] == "Z":  # the usual ISO form of JSON APIs
        try:
            return dt.datetime.fromisoformat(text[:19]).replace(tzinfo=UTC)
        except ValueError:
            pass
    if n > 6 and text[-6] == " " and text[-5] in "+-":
        text = text[:-6] + text[-5:]  # "… 10:15:00 +0100" -> "… 10:15:00+0100"
    elif text.endswith(" UTC"):
        text = text[:-4] + "+00:00"
    try:
        value = dt.datetime.fromisoformat(text)
    except ValueError:
        raise RowProblem(column, f"not a date/time: {raw.strip()!r}") from None
    if value.tzinfo is None:
        value = value.replace(tzinfo=UTC)
    return value


def parse_date(raw: str, column: str) -> dt.date | None:
    value = parse_dt(raw, column)
    return value.date() if value is not None else None


ZERO = Decimal("0.00")
_LIMIT = Decimal("1e12")
_MONEY: dict[str, Decimal] = {}


def parse_money(raw: str, column: str, *, required: bool = False) -> Decimal:
    """An amount rounded to cents. Prices and totals repeat a lot in an export, so parsed
    values are cached (Decimals are immutable; the cache is emptied when it gets big)."""
    value = _MONEY.get(raw)
    if value is not None:
        return value
    text = raw.strip()
    if not text:
        if required:
            raise RowProblem(column, "is empty")
        return ZERO
    if _PLAIN.match(text):  # fast path for "12.50", "-3", "0.5"
        value = Decimal(text)
        dot = text.find(".")
        if dot < 0 or len(text) - dot != 3:
            value = value.quantize(CENT, rounding=ROUND_HALF_UP)
    else:
        try:
            parsed = parse_decimal(text)
        except ValueError:
            raise RowProblem(column, f"not an amount: {text!r}") from None
        assert parsed is not None
        value = parsed
    if abs(value) >= _LIMIT:
        raise RowProblem(column, f"amount out of range: {text!r}")
    if len(_MONEY) >= 50_000:
        _MONEY.clear()
    _MONEY[raw] = value
    return value


def parse_qty(raw: str, column: str, *, default: int | None = None) -> int:
    text = raw.strip()
    if not text:
        if default is None:
            raise RowProblem(column, "is empty")
        return default
    try:
        value = int(text)
    except ValueError:
        try:
            as_float = float(text)
        except ValueError:
            raise RowProblem(column, f"not a whole number: {text!r}") from None
        if not as_float.is_integer():
            raise RowProblem(column, f"not a whole number: {text!r}") from None
        value = int(as_float)
    if value < 0:
        raise RowProblem(column, f"negative quantity: {value}")
    if value > 2_000_000_000:
        raise RowProblem(column, f"quantity out of range: {value}")
    return value


def required(raw: str, column: str, *, max_len: int = 100) -> str:
    """A non-empty natural key or required text, at most max_len characters."""
    text = raw.strip()
    if not text:
        raise RowProblem(column, "is empty")
    if len(text) > max_len:
        raise RowProblem(column, f"longer than {max_len} characters")
    return text


def choice(raw: str, column: str, mapping: dict[str, str], *, default: str | None = None) -> str:
    """Map a status-like value through `mapping` (keys lower-case, spaces and dashes as `_`)."""
    text = raw.strip()
    if not text:
        if default is None:
            raise RowProblem(column, "is empty")
        return default
    key = text.lower().replace("-", "_").replace(" ", "_")
    try:
        return mapping[key]
    except KeyError:
        raise RowProblem(column, f"unknown value {text!r}") from None


def split_tags(raw: str) -> list[str]:
    """`a, b` or `a;b` -> ['a', 'b'] (order kept, blanks and repeats dropped)."""
    text = raw.replace(";", ",")
    seen: dict[str, None] = {}
    for part in text.split(","):
        tag = part.strip()
        if tag:
            seen.setdefault(tag, None)
    return list(seen)


def order_number_variants(number: str) -> tuple[str, str]:
    """'#1001' and '1001' name the same Shopify order; try both."""
    bare = number.lstrip("#")
    return f"#{bare}", bare


def synonyms(values: list[str], extra: dict[str, str]) -> dict[str, str]:
    mapping = {v: v for v in values}
    mapping.update(extra)
    return mapping
