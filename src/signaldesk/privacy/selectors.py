"""Reads: was a customer erased, and everything about a customer as one JSON document.

`customer_export_chunks` yields the document in pieces (one registry section at a time, rows
streamed from the database with `.iterator()`), so neither the CLI nor the API holds unrelated
data or the whole document in memory."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from typing import Any

import orjson
from django.apps import apps
from django.db.models import Model, QuerySet
from django.utils import timezone

from signaldesk.commerce.models import Customer
from signaldesk.core.audit import to_jsonable
from signaldesk.mail.attachments import attachment_path
from signaldesk.privacy import special
from signaldesk.privacy.models import ErasureRecord
from signaldesk.privacy.registry import REGISTRY, Personal, Special
from signaldesk.privacy.subject import Subject, subject_build
from signaldesk.tickets.models import Message

EXPORT_FORMAT = "signaldesk.customer-export/1"
CHUNK = 500


def customer_is_erased(customer_id: int | None) -> bool:
    """True once the customer's personal data was erased: skip surveys, marketing, notices."""
    if customer_id is None:
        return False
    return ErasureRecord.objects.filter(customer_id=customer_id).exists()


def customers_erased(customer_ids: Iterable[int]) -> set[int]:
    ids = [pk for pk in customer_ids if pk is not None]
    if not ids:
        return set()
    return set(
        ErasureRecord.objects.filter(customer_id__in=ids).values_list("customer_id", flat=True)
    )


def personal_rows(decl: Personal, subject: Subject) -> QuerySet[Model]:
    model = apps.get_model(decl.model)
    return model._default_manager.filter(decl.rows(subject)).order_by("pk")


def selected_pks(subject: Subject) -> dict[str, list[int]]:
    """label_lower → ids of the subject's rows, for every Personal declaration."""
    out: dict[str, list[int]] = {}
    for decl in REGISTRY:
        if isinstance(decl, Personal):
            label = apps.get_model(decl.model)._meta.label_lower
            out[label] = [
                int(pk) for pk in personal_rows(decl, subject).values_list("pk", flat=True)
            ]
    return out


def stored_files(subject: Subject) -> list[dict[str, Any]]:
    """Attachment files stored for the subject's messages (content-addressed under MEDIA_ROOT)."""
    files: list[dict[str, Any]] = []
    rows = Message.objects.filter(pk__in=subject.message_ids).order_by("pk")
    for pk, attachments in rows.values_list("pk", "attachments").iterator(chunk_size=CHUNK):
        for item in attachments or []:
            sha = str(item.get("sha256", "")) if isinstance(item, dict) else ""
            if sha:
                files.append(
                    {
                        "message_id": pk,
                        "filename": item.get("filename", ""),
                        "content_type": item.get("content_type", ""),
                        "size": item.get("size", 0),
                        "sha256": sha,
                        "path": attachment_path(sha),
                    }
                )
    return files


def _rows(decl: Personal, subject: Subject) -> Iterator[dict[str, Any]]:
    for row in personal_rows(decl, subject).values().iterator(chunk_size=CHUNK):
        yield to_jsonable(row)


def _array(rows: Iterable[dict[str, Any]]) -> Iterator[bytes]:
    yield b"["
    first = True
    for row in rows:
        yield (b"" if first else b",") + orjson.dumps(row)
        first = False
    yield b"]"


def _sections(subject: Subject) -> Iterator[tuple[str, Iterable[dict[str, Any]]]]:
    """(model label, rows) in registry order; Exempt models have no section."""
    quotes = [q["text"] for t in special.themes_export(subject) for q in t["quotes"]]
    specials: dict[str, Callable[[], Iterable[dict[str, Any]]]] = {
        "signals.Theme": lambda: special.themes_export(subject),
        "insights.WeeklyNote": lambda: special.notes_export(quotes),
        "core.AuditEvent": lambda: special.audit_export(selected_pks(subject)),
    }
    for decl in REGISTRY:
        if isinstance(decl, Personal):
            yield decl.model, _rows(decl, subject)
        elif isinstance(decl, Special):
            yield decl.model, specials[decl.model]()


def customer_export_chunks(customer: Customer) -> Iterator[bytes]:
    """The export document as bytes pieces: {"format", "customer_id", "generated_at",
    "erased", "sections": {model: [rows]}, "files": [...]}. Keys in registry order."""
    subject = subject_build(customer)
    head = {
        "format": EXPORT_FORMAT,
        "customer_id": customer.pk,
        "merged_customer_ids": [pk for pk in subject.customer_ids if pk != customer.pk],
        "generated_at": to_jsonable(timezone.now()),
        "erased": customer_is_erased(customer.pk),
    }
    yield orjson.dumps(head)[:-1] + b',"sections":{'
    for index, (name, rows) in enumerate(_sections(subject)):
        yield (b"," if index else b"") + orjson.dumps(name) + b":"
        yield from _array(rows)
    yield b'},"files":' + orjson.dumps(stored_files(subject)) + b"}"


def customer_export(customer: Customer) -> dict[str, Any]:
    """The whole document as a dict (tests, small callers)."""
    result: dict[str, Any] = orjson.loads(b"".join(customer_export_chunks(customer)))
    return result
