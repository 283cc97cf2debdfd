"""Pure helpers that scrub known personal values out of text and JSON (no Django).

`scrub_text` replaces every occurrence (case-insensitive) of a known secret (name, e-mail, phone,
identity value, a quoted free text) with the ERASED marker; `scrub_json` does the same through
nested dicts and lists and also blanks the values of named keys."""

from __future__ import annotations

import re
from collections.abc import Collection, Iterable
from typing import Any

ERASED = "[erased]"
MIN_SECRET_CHARS = 3  # shorter values ("Al", "12") would blank unrelated text


def secrets_pattern(secrets: Iterable[str]) -> re.Pattern[str] | None:
    """One regular expression matching any secret, longest first; None when nothing to match."""
    cleaned = sorted(
        {s.strip() for s in secrets if s and len(s.strip()) >= MIN_SECRET_CHARS},
        key=lambda s: (-len(s), s),
    )
    if not cleaned:
        return None
    return re.compile("|".join(re.escape(s) for s in cleaned), re.IGNORECASE)


def scrub_text(text: str, pattern: re.Pattern[str] | None) -> str:
    if pattern is None or not text:
        return text
    return pattern.sub(ERASED, text)


def scrub_json(value: Any, pattern: re.Pattern[str] | None, keys: Collection[str] = ()) -> Any:
    """A copy of `value` with secrets replaced in every string and the values of `keys` erased
    (non-empty strings → ERASED; other non-empty values → ERASED too, ids and counts excepted)."""
    if isinstance(value, dict):
        out: dict[str, Any] = {}
        for key, item in value.items():
            if key in keys and item not in (None, "", [], {}):
                out[key] = item if isinstance(item, int | float | bool) else ERASED
            else:
                out[key] = scrub_json(item, pattern, keys)
        return out
    if isinstance(value, list):
        return [scrub_json(item, pattern, keys) for item in value]
    if isinstance(value, str):
        return scrub_text(value, pattern)
    return value
