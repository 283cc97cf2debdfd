from decimal import Decimal

import pytest
from django.db import IntegrityError, InternalError, OperationalError, transaction

from signaldesk.core.audit import Actor, audit_record, changed_fields
from signaldesk.core.models import AuditEvent

pytestmark = pytest.mark.django_db


def test_audit_record_stores_who_what_before_after() -> None:
    event = audit_record(
        actor=Actor(label="user:ana", user_id=None),
        action="ticket.priority_changed",
        object_type="tickets.ticket",
        object_id=42,
        before={"priority": "normal"},
        after={"priority": "urgent", "amount": Decimal("12.50")},
    )
    stored = AuditEvent.objects.get(pk=event.pk)
    assert (stored.actor_label, stored.action, stored.object_type, stored.object_id) == (
        "user:ana",
        "ticket.priority_changed",
        "tickets.ticket",
        "42",
    )
    assert stored.before == {"priority": "normal"}
    assert stored.after == {"priority": "urgent", "amount": "12.50"}


def test_audit_log_refuses_updates_at_the_database() -> None:
    event = audit_record(actor=Actor.system("test"), action="x", object_type="t", object_id=1)
    with pytest.raises((IntegrityError, InternalError, OperationalError)), transaction.atomic():
        AuditEvent.objects.filter(pk=event.pk).update(action="tampered")
    assert AuditEvent.objects.get(pk=event.pk).action == "x"


def test_audit_log_refuses_deletes_at_the_database() -> None:
    event = audit_record(actor=Actor.system("test"), action="x", object_type="t", object_id=1)
    with pytest.raises((IntegrityError, InternalError, OperationalError)), transaction.atomic():
        AuditEvent.objects.filter(pk=event.pk).delete()
    assert AuditEvent.objects.filter(pk=event.pk).count() == 1


def test_changed_fields_keeps_only_differences() -> None:
    assert changed_fields({"a": 1, "b": 2}, {"a": 1, "b": 3, "c": 4}) == {"b": 3, "c": 4}
