"""Keyset (cursor) pagination by primary key, newest first: stable under inserts and constant
cost per page on large tables (no OFFSET). The cursor is opaque to clients."""

from __future__ import annotations

import base64
import binascii
from typing import Annotated

from django.db.models import Model, QuerySet
from pydantic import Field

from signaldesk.core.errors import ValidationError

DEFAULT_LIMIT = 50
MAX_LIMIT = 200

# The shared `limit` query parameter: 0, negative or over MAX_LIMIT is a 422 (never a negative
# slice, which Django refuses with a 500). `def list_x(request, limit: PageLimit = 50)`.
PageLimit = Annotated[int, Field(ge=1, le=MAX_LIMIT, description=f"1 to {MAX_LIMIT}.")]


def cursor_encode(last_id: int) -> str:
    return base64.urlsafe_b64encode(f"id:{last_id}".encode()).decode().rstrip("=")


def cursor_decode(cursor: str) -> int:
    try:
        raw = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)).decode()
    except (binascii.Error, UnicodeDecodeError, ValueError):
        raw = ""
    prefix, _, number = raw.partition(":")
    if prefix != "id" or not number.isdigit():
        raise ValidationError(
            "The cursor is not valid; use `next` from a previous page.", code="invalid_cursor"
        )
    return int(number)


def keyset_page[M: Model](
    qs: QuerySet[M], *, cursor: str | None, limit: int
) -> tuple[list[M], str | None]:
    """One page of `qs` ordered by id descending, and the cursor of the next page (or None)."""
    limit = max(1, min(limit, MAX_LIMIT))
    if cursor:
        qs = qs.filter(pk__lt=cursor_decode(cursor))
    rows = list(qs.order_by("-pk")[: limit + 1])
    next_cursor = cursor_encode(int(rows[limit - 1].pk)) if len(rows) > limit else None
    return rows[:limit], next_cursor
