"""Writes: record an export, erase a customer.

`customer_erase` runs in ONE transaction: an ErasureRecord, every Personal declaration's fields
replaced (or rows deleted), theme quotes and weekly notes scrubbed, pending e-mails to the
customer stopped, the audit log's earlier values redacted under the erasure marker; the stored
attachment files are deleted after commit. Ticket rows, reasons, timestamps, amounts, orders and
SKUs are not touched, so rollups and dashboards compute the same figures afterwards."""

from __future__ import annotations

import logging
import secrets as token_source
from dataclasses import dataclass, field
from typing import Any

from django.apps import apps
from django.core.files.storage import default_storage
from django.db import models, transaction
from django.db.models import CharField, Value
from django.db.models.functions import Cast, Concat
from django.utils import timezone

from signaldesk.commerce.models import Customer
from signaldesk.core.audit import Actor, audit_record
from signaldesk.core.errors import ValidationError
from signaldesk.core.models import OutboxMessage
from signaldesk.mail.attachments import attachment_path
from signaldesk.privacy import special
from signaldesk.privacy.models import ErasureRecord
from signaldesk.privacy.redact import ERASED, scrub_json, scrub_text, secrets_pattern
from signaldesk.privacy.registry import REGISTRY, How, Personal
from signaldesk.privacy.selectors import personal_rows, selected_pks, stored_files
from signaldesk.privacy.subject import Subject, subject_build
from signaldesk.tickets.models import Message

logger = logging.getLogger(__name__)
CHUNK = 500
SCRUB_KEYS = frozenset({"filename", "email", "phone", "question", "comment"})


@dataclass(frozen=True)
class ErasureResult:
    customer_id: int
    already_erased: bool
    record_id: int
    counts: dict[str, int] = field(default_factory=dict)
    files_deleted: int = 0


def customer_export_record(*, customer: Customer, actor: Actor, via: str) -> None:
    """Audit that someone exported a customer's data (no personal data in the event)."""
    audit_record(
        actor=actor, action="privacy.customer_exported", obj=customer, context={"via": via}
    )


def _value(how: How, token: str, model: type[models.Model], name: str) -> Any:
    if how is How.TEXT:
        return ERASED
    if how is How.BLANK:
        return ""
    if how is How.NAME_TOKEN:
        return f"erased-{token}"
    if how is How.EMAIL_TOKEN:
        return f"erased-{token}@erased.invalid"
    if how is How.ROW_TOKEN:
        return Concat(Value(f"erased-{token}-"), Cast("pk", CharField()))
    if how is How.EMPTY:
        json_field = model._meta.get_field(name)
        assert isinstance(json_field, models.Field)
        return json_field.get_default()
    raise ValueError(how)


def _scrub(value: Any, how: How, pattern: Any) -> Any:
    if how is How.ATTACHMENTS:
        items = value if isinstance(value, list) else []
        return [
            {
                "filename": ERASED,
                "content_type": item.get("content_type", ""),
                "size": item.get("size", 0),
            }
            for item in items
            if isinstance(item, dict)
        ]
    if isinstance(value, str):
        return scrub_text(value, pattern)
    return scrub_json(value, pattern, SCRUB_KEYS)


def _erase_personal(decl: Personal, pks: list[int], token: str, pattern: Any) -> int:
    model = apps.get_model(decl.model)
    manager = model._default_manager
    if decl.delete:
        for start in range(0, len(pks), CHUNK):
            manager.filter(pk__in=pks[start : start + CHUNK]).delete()
        return len(pks)
    python = {n: h for n, h in decl.erase.items() if h in (How.SCRUB, How.ATTACHMENTS)}
    for start in range(0, len(pks), CHUNK):
        chunk = manager.filter(pk__in=pks[start : start + CHUNK])
        for name, how in decl.erase.items():
            if name in python:
                continue
            rows = chunk.exclude(**{name: ""}) if how is How.TEXT else chunk
            rows.update(**{name: _value(how, token, model, name)})
        if python:
            for row in chunk.values("pk", *python):
                new = {n: _scrub(row[n], h, pattern) for n, h in python.items()}
                if any(new[n] != row[n] for n in python):
                    manager.filter(pk=row["pk"]).update(**new)
    return len(pks)


def _files_to_delete(subject: Subject) -> list[str]:
    """Stored attachment paths of the subject's messages that no other message references
    (files are content-addressed: the same file sent by another customer stays)."""
    paths: list[str] = []
    for item in stored_files(subject):
        sha = item["sha256"]
        shared = (
            Message.objects.exclude(pk__in=subject.message_ids)
            .annotate(raw=Cast("attachments", models.TextField()))
            .filter(raw__contains=sha)
            .exists()
        )
        if not shared:
            paths.append(attachment_path(sha))
    return sorted(set(paths))


def _delete_files(paths: list[str]) -> None:
    for path in paths:
        try:
            if default_storage.exists(path):
                default_storage.delete(path)
        except OSError:  # logged; the export's file list shows what was stored
            logger.exception("privacy.file_delete_failed", extra={"path": path})


@transaction.atomic
def customer_erase(*, customer: Customer, reason: str, actor: Actor) -> ErasureResult:
    """Erase a customer's personal data everywhere (see the module docstring). Idempotent:
    a second call changes nothing and returns already_erased=True."""
    reason = reason.strip()
    if not reason:
        raise ValidationError("A reason is required to erase a customer's data.")
    customer = Customer.objects.select_for_update().get(pk=customer.pk)
    existing = ErasureRecord.objects.filter(customer_id=customer.pk).first()
    if existing is not None:
        return ErasureResult(
            customer_id=customer.pk,
            already_erased=True,
            record_id=existing.pk,
            counts=dict(existing.counts),
            files_deleted=existing.files_deleted,
        )
    subject = subject_build(customer)
    selected = selected_pks(subject)  # before any change: selections use the old addresses
    paths = _files_to_delete(subject)
    pattern = secrets_pattern(subject.secrets)
    token = token_source.token_hex(6)
    record = ErasureRecord.objects.create(
        customer=customer,
        token=token,
        erased_at=timezone.now(),
        reason=reason,
        actor_id=actor.user_id,
        actor_label=actor.label,
    )
    outbox_label = OutboxMessage._meta.label_lower
    OutboxMessage.objects.filter(
        pk__in=selected.get(outbox_label, []), status=OutboxMessage.Status.PENDING
    ).update(status=OutboxMessage.Status.FAILED, last_error="recipient erased (privacy)")
    counts: dict[str, int] = {}
    for decl in REGISTRY:
        if isinstance(decl, Personal) and (decl.erase or decl.delete):
            label = apps.get_model(decl.model)._meta.label_lower
            counts[decl.model] = _erase_personal(decl, selected[label], token, pattern)
    counts["signals.Theme"], quotes = special.themes_erase(subject)
    counts["insights.WeeklyNote"] = special.notes_erase(quotes)
    counts["core.AuditEvent"] = special.audit_redact(selected, pattern, record.pk)
    counts = {k: v for k, v in counts.items() if v}
    ErasureRecord.objects.filter(pk=record.pk).update(counts=counts, files_deleted=len(paths))
    audit_record(
        actor=actor,
        action="privacy.customer_erased",
        obj=customer,
        context={"erasure_record": record.pk, "rows": sum(counts.values()), "files": len(paths)},
    )
    transaction.on_commit(lambda: _delete_files(paths))
    return ErasureResult(
        customer_id=customer.pk,
        already_erased=False,
        record_id=record.pk,
        counts=counts,
        files_deleted=len(paths),
    )


def erasure_rows(subject: Subject) -> dict[str, int]:
    """How many rows each Personal declaration selects (for a dry run)."""
    return {d.model: personal_rows(d, subject).count() for d in REGISTRY if isinstance(d, Personal)}


def customer_erasure_preview(*, customer: Customer) -> dict[str, int]:
    return {k: v for k, v in erasure_rows(subject_build(customer)).items() if v}
