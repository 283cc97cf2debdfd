"""Erasure: personal data gone from every table and the search index, aggregates unchanged."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.apps import apps
from django.core.files.storage import default_storage
from django.db import models, transaction
from django.db.models.functions import Cast, Lower

from signaldesk.commerce.models import Customer, CustomerIdentity, Order
from signaldesk.core.audit import Actor
from signaldesk.core.models import AuditEvent, OutboxMessage
from signaldesk.intake.identity import IdentityClaims
from signaldesk.intake.services import InboundMessage, message_ingest
from signaldesk.privacy.models import ErasureRecord
from signaldesk.privacy.redact import ERASED
from signaldesk.privacy.selectors import customer_export, customer_is_erased
from signaldesk.privacy.services import customer_erase
from signaldesk.privacy.tests.world import FILE_SHA, JANE_EMAIL, T0, World
from signaldesk.search.selectors import search_customers, search_tickets
from signaldesk.signals.models import ContactRollup, CostRollup, ExposureRollup, Theme
from signaldesk.signals.rollups import recompute_day
from signaldesk.taxonomy.selectors import active_taxonomy
from signaldesk.tickets.models import Message, Ticket
from signaldesk.triage.learning.training import training_set

ACTOR = Actor.system("test")
TRACES = ("jane", "roe", "+4915112345678", "hamburg", "elbchaussee", "never arrived. call")


def erase(world: World) -> Any:
    return customer_erase(customer=world.jane, reason="customer request #77", actor=ACTOR)


def traces_left() -> list[str]:
    """Every text or JSON column of every project table that still holds a trace of Jane."""
    found = []
    for model in apps.get_models():
        if not model.__module__.startswith("signaldesk."):
            continue
        for f in model._meta.concrete_fields:
            if not isinstance(f, models.CharField | models.TextField | models.JSONField):
                continue
            rows = model._default_manager.annotate(
                _raw=Lower(Cast(f.name, models.TextField()))
            ).values_list("_raw", flat=True)
            for trace in TRACES:
                if rows.filter(_raw__contains=trace).exists():
                    found.append(f"{model._meta.label}.{f.name}: {trace}")
    return sorted(found)


def aggregates() -> dict[str, Any]:
    with transaction.atomic():
        for day in (T0.date(), (T0 - dt.timedelta(days=3)).date()):
            recompute_day(day)

    def rows(model: type[models.Model]) -> list[tuple[Any, ...]]:
        names = [f.name for f in model._meta.concrete_fields if f.name not in ("id", "updated_at")]
        return sorted(model._default_manager.values_list(*names))

    return {
        "contacts": rows(ContactRollup),
        "exposure": rows(ExposureRollup),
        "cost": rows(CostRollup),
        "tickets": sorted(Ticket.objects.values_list("contact_reason", "status", "created_at")),
        "orders": sorted(Order.objects.values_list("number", "total", "created_at", "customer")),
        "messages": Message.objects.count(),
    }


def test_erasure_removes_the_personal_data_everywhere(
    world: World, django_capture_on_commit_callbacks: Any
) -> None:
    other_traces_before = traces_left()
    with django_capture_on_commit_callbacks(execute=True):
        result = erase(world)
    record = ErasureRecord.objects.get(customer=world.jane)
    jane = Customer.objects.get(pk=world.jane.pk)
    assert (jane.name, jane.email, jane.phone) == (
        f"erased-{record.token}", f"erased-{record.token}@erased.invalid", "",
    )  # fmt: skip
    assert CustomerIdentity.objects.filter(customer=jane).count() == 0
    assert other_traces_before != []
    assert traces_left() == []
    assert sorted(Ticket.objects.filter(customer=jane).values_list("subject", flat=True)) == [
        ERASED, ERASED,
    ]  # fmt: skip
    assert Message.objects.get(ticket=world.ticket).attachments == [
        {"filename": ERASED, "content_type": "application/pdf", "size": 28}
    ]
    assert default_storage.exists(f"mail/{FILE_SHA[:2]}/{FILE_SHA}") is False
    assert Theme.objects.get(pk=world.theme.pk).quotes == [
        {"text": ERASED, "kind": "ticket", "id": world.ticket.pk},
        {"text": "My parcel never arrived either", "kind": "ticket", "id": world.max_ticket.pk},
    ]
    outbox = OutboxMessage.objects.get(pk=world.outbox.pk)
    assert (outbox.status, outbox.target, outbox.body) == (
        "failed", f"erased-{record.token}@erased.invalid", ERASED,
    )  # fmt: skip
    assert (result.already_erased, result.files_deleted, record.reason) == (
        False, 1, "customer request #77",
    )  # fmt: skip
    assert customer_is_erased(jane.pk) is True
    assert customer_export(jane)["erased"] is True


def test_search_finds_nothing_by_the_old_name_email_or_text(world: World) -> None:
    before = (
        [h.customer_id for h in search_customers(query="Jane Roe")],
        [h.customer_id for h in search_customers(query=JANE_EMAIL)],
        sorted(h.ticket_id for h in search_tickets(query="parcel never arrived")),
    )
    erase(world)
    after = (
        [h.customer_id for h in search_customers(query="Jane Roe")],
        [h.customer_id for h in search_customers(query=JANE_EMAIL)],
        [h.customer_id for h in search_customers(query="+4915112345678")],
        sorted(h.ticket_id for h in search_tickets(query="parcel never arrived")),
        [h.ticket_id for h in search_tickets(query="Elbchaussee")],
    )
    assert before == (
        [world.jane.pk], [world.jane.pk], sorted([world.ticket.pk, world.max_ticket.pk]),
    )  # fmt: skip
    assert after == ([], [], [], [world.max_ticket.pk], [])


def test_aggregate_metrics_are_identical_before_and_after(world: World) -> None:
    before = aggregates()
    erase(world)
    assert before["contacts"] != []
    assert aggregates() == before


def test_training_examples_of_the_customer_are_gone(world: World) -> None:
    taxonomy = active_taxonomy()
    before = sorted(e.text for e in training_set(taxonomy).examples if e.source == "history")
    erase(world)
    after = sorted(e.text for e in training_set(taxonomy).examples if e.source == "history")
    assert len(before) == 3
    assert after == ["Parcel late\n\nMy parcel never arrived either"]


def test_audit_log_keeps_events_but_not_the_personal_values(world: World) -> None:
    events = AuditEvent.objects.count()
    erase(world)
    erased = AuditEvent.objects.get(action="privacy.customer_erased")
    record = ErasureRecord.objects.get(customer=world.jane)
    assert AuditEvent.objects.count() == events + 1
    assert (erased.before, erased.after, sorted(erased.context)) == (
        None, None, ["erasure_record", "files", "rows"],
    )  # fmt: skip
    created = AuditEvent.objects.get(action="customer.created", object_id=str(world.jane.pk))
    assert (created.after, created.context["privacy_erasure"]) == (
        {"name": ERASED, "email": ERASED, "phone": ERASED}, record.pk,
    )  # fmt: skip


def test_erasing_twice_is_a_no_op_that_says_so(world: World) -> None:
    first = erase(world)
    events = AuditEvent.objects.count()
    second = erase(world)
    assert (second.already_erased, second.record_id, second.counts) == (
        True, first.record_id, first.counts,
    )  # fmt: skip
    assert AuditEvent.objects.count() == events


def test_a_reason_is_required(world: World) -> None:
    from signaldesk.core.errors import ValidationError

    with pytest.raises(ValidationError):
        customer_erase(customer=world.jane, reason="  ", actor=ACTOR)
    assert ErasureRecord.objects.count() == 0


def test_new_mail_from_the_same_address_makes_a_new_customer(world: World) -> None:
    erase(world)
    result = message_ingest(
        inbound=InboundMessage(
            channel="email",
            identity=IdentityClaims(email=JANE_EMAIL, name="Jane Roe"),
            subject="Re: Parcel for Jane Roe lost",
            text="Any news about order #50001?",
            external_thread_id="<t1@mail.example>",
            sent_at=T0 + dt.timedelta(days=1),
        ),
        actor=ACTOR,
    )
    assert result.customer_created is True
    assert result.customer_id != world.jane.pk
    assert result.ticket_id not in (world.ticket.pk, world.ticket2.pk)
    assert customer_is_erased(result.customer_id) is False
