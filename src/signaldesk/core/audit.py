"""Writing the audit log. Every service that changes data records what changed here."""

from __future__ import annotations

import datetime as dt
import decimal
import uuid
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.db import models
from django.utils import timezone

from signaldesk.core.models import AuditEvent


@dataclass(frozen=True)
class Actor:
    """Who made a change: a user, or a named system component (job, importer, rule)."""

    label: str
    user_id: int | None = None

    @classmethod
    def system(cls, component: str) -> Actor:
        return cls(label=f"system:{component}")

    @classmethod
    def of_user(cls, user: AbstractBaseUser | AnonymousUser | None) -> Actor:
        if user is None or not user.is_authenticated:
            return cls(label="anonymous")
        return cls(label=f"user:{user.get_username()}", user_id=user.pk)


def to_jsonable(value: Any) -> Any:
    if isinstance(value, decimal.Decimal):
        return str(value)
    if isinstance(value, dt.datetime | dt.date | dt.time):
        return value.isoformat()
    if isinstance(value, uuid.UUID):
        return str(value)
    if isinstance(value, models.Model):
        return value.pk
    if isinstance(value, Mapping):
        return {str(k): to_jsonable(v) for k, v in value.items()}
    if isinstance(value, list | tuple | set):
        return [to_jsonable(v) for v in value]
    return value


def snapshot(instance: models.Model, fields: Iterable[str]) -> dict[str, Any]:
    """The named fields of a model instance as JSON-safe values (FKs by id)."""
    out: dict[str, Any] = {}
    for name in fields:
        field = instance._meta.get_field(name)
        attname = getattr(field, "attname", name)
        out[name] = to_jsonable(getattr(instance, attname))
    return out


def changed_fields(before: Mapping[str, Any], after: Mapping[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in after.items() if before.get(k) != v}


def audit_record(
    *,
    actor: Actor,
    action: str,
    obj: models.Model | None = None,
    object_type: str = "",
    object_id: str | int = "",
    before: Mapping[str, Any] | None = None,
    after: Mapping[str, Any] | None = None,
    context: Mapping[str, Any] | None = None,
) -> AuditEvent:
    if obj is not None:
        object_type = object_type or obj._meta.label_lower
        object_id = object_id or str(obj.pk)
    return AuditEvent.objects.create(
        occurred_at=timezone.now(),
        actor_id=actor.user_id,
        actor_label=actor.label,
        action=action,
        object_type=object_type,
        object_id=str(object_id),
        before=to_jsonable(dict(before)) if before is not None else None,
        after=to_jsonable(dict(after)) if after is not None else None,
        context=to_jsonable(dict(context or {})),
    )


def audit_record_many(events: list[AuditEvent]) -> None:
    """Bulk form for importers: one audit row per created or updated object."""
    AuditEvent.objects.bulk_create(events, batch_size=2000)


def audit_event(
    *,
    actor: Actor,
    action: str,
    object_type: str,
    object_id: str | int,
    before: Mapping[str, Any] | None = None,
    after: Mapping[str, Any] | None = None,
    context: Mapping[str, Any] | None = None,
    occurred_at: dt.datetime | None = None,
) -> AuditEvent:
    """An unsaved audit row, for audit_record_many."""
    return AuditEvent(
        occurred_at=occurred_at or timezone.now(),
        actor_id=actor.user_id,
        actor_label=actor.label,
        action=action,
        object_type=object_type,
        object_id=str(object_id),
        before=to_jsonable(dict(before)) if before is not None else None,
        after=to_jsonable(dict(after)) if after is not None else None,
        context=to_jsonable(dict(context or {})),
    )
