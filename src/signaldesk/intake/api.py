"""POST /api/v1/imports/{kind}: upload one export file and import it (synchronously).

The upload is streamed to a temporary file (never held in memory) and then imported with the same
service the CLI uses; the response is the import report. Size limit:
settings.SIGNALDESK_IMPORT_MAX_UPLOAD_BYTES (default 2 GiB)."""

from __future__ import annotations

import re
import tempfile
from pathlib import Path

from django.conf import settings
from django.http import HttpRequest
from ninja import File, Query, Router, Schema
from ninja.files import UploadedFile

from signaldesk.accounts.api_auth import api_auth, authorize
from signaldesk.core.audit import Actor
from signaldesk.core.errors import NotFound, SignalDeskError, ValidationError
from signaldesk.intake.importers import IMPORT_KINDS, run_import

imports_router = Router(auth=api_auth, tags=["imports"])

DEFAULT_MAX_UPLOAD = 2 * 1024**3


class TooLarge(SignalDeskError):
    code = "too_large"
    status = 413


class ImportCountsOut(Schema):
    read: int
    created: int
    updated: int
    unchanged: int
    failed: int


class ImportErrorOut(Schema):
    line: int
    column: str
    reason: str


class ImportReportOut(Schema):
    run_id: int
    kind: str
    file_name: str
    encoding: str
    counts: ImportCountsOut
    errors: list[ImportErrorOut]
    errors_truncated: bool
    seconds: float
    rows_per_second: float


def _safe_name(name: str) -> str:
    base = Path(name or "upload").name
    return re.sub(r"[^A-Za-z0-9._-]+", "_", base)[:100] or "upload"


@imports_router.post("/{kind}", response=ImportReportOut)
def import_upload(
    request: HttpRequest,
    kind: str,
    file: File[UploadedFile],
    field: Query[list[str]] | None = None,
    currency: str = "",
) -> dict[str, object]:
    """Import one file. `kind`: shopify-orders, shopify-products, shopify-customers,
    zendesk-tickets, shipments, returns, reviews or tickets. `field=order_number=360001`
    (repeatable) names Zendesk custom fields."""
    authorize(request, "imports.run")
    if kind not in IMPORT_KINDS:
        raise NotFound(f"Unknown import kind {kind!r}; choose one of {', '.join(IMPORT_KINDS)}.")
    limit = int(getattr(settings, "SIGNALDESK_IMPORT_MAX_UPLOAD_BYTES", DEFAULT_MAX_UPLOAD))
    if file.size is not None and file.size > limit:
        raise TooLarge(f"The upload is {file.size} bytes; the limit is {limit}.")
    options: dict[str, str] = {"currency": currency} if currency else {}
    for pair in field or []:
        name, sep, value = pair.partition("=")
        if not sep or not name or not value:
            raise ValidationError(f"field takes NAME=ID, got {pair!r}")
        options[f"field.{name.strip()}"] = value.strip()
    with tempfile.TemporaryDirectory(prefix="signaldesk-import-") as folder:
        path = Path(folder) / _safe_name(file.name or "")
        with path.open("wb") as out:
            for piece in file.chunks(1 << 20):
                out.write(piece)
        report = run_import(
            kind=kind, path=path, actor=Actor.of_user(request.user), options=options
        )
    return report.as_dict()
