"""The append-only audit log allows exactly one UPDATE: a privacy erasure's redaction (same row
identity, a marker naming an existing ErasureRecord, once). DELETE stays refused."""

from __future__ import annotations

import pytest
from django.db import DatabaseError, transaction
from django.utils import timezone

from signaldesk.core.audit import Actor, audit_record
from signaldesk.core.models import AuditEvent
from signaldesk.privacy.models import ErasureRecord
from signaldesk.testing.factories import CustomerFactory

pytestmark = pytest.mark.django_db


def event() -> AuditEvent:
    return audit_record(
        actor=Actor.system("test"), action="customer.created", object_type="commerce.customer",
        object_id=1, after={"name": "Jane Roe"},
    )  # fmt: skip


def record() -> ErasureRecord:
    return ErasureRecord.objects.create(
        customer=CustomerFactory(), token="t1", erased_at=timezone.now(), reason="r",
        actor_label="system:test",
    )  # fmt: skip


def refused(pk: int, **changes: object) -> bool:
    try:
        with transaction.atomic():
            AuditEvent.objects.filter(pk=pk).update(**changes)
    except DatabaseError as exc:
        return "append-only" in str(exc)
    return False


def test_plain_updates_and_deletes_are_refused() -> None:
    e = event()
    with pytest.raises(DatabaseError), transaction.atomic():
        AuditEvent.objects.filter(pk=e.pk).delete()
    assert refused(e.pk, after={"name": "x"}) is True
    assert refused(e.pk, after={"name": "x"}, context={"privacy_erasure": 999999}) is True


def test_redaction_under_an_existing_erasure_record_is_allowed_once() -> None:
    e, r = event(), record()
    marker = {"privacy_erasure": r.pk}
    assert refused(e.pk, after={"name": "[erased]"}, action="x", context=marker) is True
    assert refused(e.pk, after={"name": "[erased]"}, object_id="2", context=marker) is True
    assert refused(e.pk, after={"name": "[erased]"}, context=marker) is False
    assert refused(e.pk, after={"name": "again"}, context=marker) is True
    with pytest.raises(DatabaseError), transaction.atomic():
        AuditEvent.objects.filter(pk=e.pk).delete()
    e.refresh_from_db()
    assert (e.action, e.after, e.context) == ("customer.created", {"name": "[erased]"}, marker)
