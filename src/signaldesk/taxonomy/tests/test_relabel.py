import pytest
from django.utils import timezone

from signaldesk.core.audit import Actor
from signaldesk.core.errors import Conflict, NotFound, ValidationError
from signaldesk.core.models import AuditEvent
from signaldesk.taxonomy.audit import tag_audit
from signaldesk.taxonomy.mappings import (
    tag_mapping_approve,
    tag_mapping_reject,
    tag_mappings_propose,
)
from signaldesk.taxonomy.models import RelabelBatch, RelabelItem, TagMapping
from signaldesk.taxonomy.relabel import relabel_batch_revert, tag_mappings_apply
from signaldesk.taxonomy.selectors import active_taxonomy
from signaldesk.tickets.models import Ticket

pytestmark = pytest.mark.django_db

FIELDS = ("id", "contact_reason", "reason_confidence", "reason_source", "taxonomy_version")


def state() -> list[tuple[object, ...]]:
    return list(Ticket.objects.order_by("id").values_list(*FIELDS))


def approve(tag: str, actor: Actor, reason_id: str | None = None) -> TagMapping:
    mapping = TagMapping.objects.get(tag=tag)
    return tag_mapping_approve(mapping_id=mapping.pk, actor=actor, reason_id=reason_id)


def make_ticket(tags: list[str], **fields: object) -> Ticket:
    now = timezone.now()
    return Ticket.objects.create(tags=tags, created_at=now, updated_at=now, **fields)


def test_apply_then_revert_restores_exact_before_values(
    planted: dict[str, list[Ticket]], system_actor: Actor
) -> None:
    version = active_taxonomy().version
    tag_mappings_propose(report=tag_audit(), actor=system_actor)
    agent_set = make_ticket(["wismo"], contact_reason="refund_status", reason_source="agent")
    modelled = make_ticket(
        ["late-delivery", "shipping"],
        contact_reason="other",
        reason_confidence=0.41,
        reason_source="model",
        taxonomy_version="2025.01.1",
    )
    for tag in ("wismo", "order-query", "late-delivery", "shipping"):
        approve(tag, system_actor)
    before = state()

    result = tag_mappings_apply(actor=system_actor)

    assert (result.tickets_changed, result.by_reason) == (
        21,
        {"delivery_delay": 5, "lost_parcel": 6, "order_status": 10},
    )
    agent_set.refresh_from_db()
    modelled.refresh_from_db()
    assert (agent_set.contact_reason, agent_set.reason_source) == ("refund_status", "agent")
    # two mapped tags: the highest confidence wins (late-delivery 1.0 over shipping 0.684)
    assert (
        modelled.contact_reason,
        modelled.reason_confidence,
        modelled.reason_source,
        modelled.taxonomy_version,
    ) == ("delivery_delay", 1.0, "tag_mapping", version)
    wismo_ticket = Ticket.objects.get(pk=planted["order-query"][0].pk)
    assert (wismo_ticket.contact_reason, wismo_ticket.reason_confidence) == ("order_status", 0.844)
    batch = RelabelBatch.objects.get(pk=result.batch_id)
    assert (batch.ticket_count, batch.taxonomy_version) == (21, version)
    item = RelabelItem.objects.get(batch=batch, ticket=modelled)
    assert (item.before_reason, item.before_confidence, item.before_source, item.tag) == (
        "other",
        0.41,
        "model",
        "late-delivery",
    )
    applied = AuditEvent.objects.get(action="taxonomy.relabel_applied")
    assert applied.after == {
        "tickets": 21,
        "by_reason": {"delivery_delay": 5, "lost_parcel": 6, "order_status": 10},
    }

    # applying again changes nothing and makes no batch
    again = tag_mappings_apply(actor=system_actor)
    assert (again.batch_id, again.tickets_changed) == (None, 0)
    assert RelabelBatch.objects.count() == 1

    reverted = relabel_batch_revert(batch_id=batch.pk, actor=system_actor)
    assert (reverted.restored, reverted.skipped) == (21, 0)
    assert state() == before
    event = AuditEvent.objects.get(action="taxonomy.relabel_reverted", object_id=str(batch.pk))
    assert event.after == {"restored": 21, "skipped": 0}
    with pytest.raises(Conflict):
        relabel_batch_revert(batch_id=batch.pk, actor=system_actor)


def test_revert_leaves_tickets_changed_since_alone(
    planted: dict[str, list[Ticket]], system_actor: Actor
) -> None:
    tag_mappings_propose(report=tag_audit(), actor=system_actor)
    approve("wismo", system_actor)
    result = tag_mappings_apply(actor=system_actor)
    corrected = planted["wismo"][0]
    Ticket.objects.filter(pk=corrected.pk).update(
        contact_reason="cancellation", reason_source="agent"
    )
    reverted = relabel_batch_revert(batch_id=result.batch_id or 0, actor=system_actor)
    assert (reverted.restored, reverted.skipped) == (4, 1)
    corrected.refresh_from_db()
    assert (corrected.contact_reason, corrected.reason_source) == ("cancellation", "agent")


def test_older_batches_revert_after_newer_ones(
    planted: dict[str, list[Ticket]], system_actor: Actor
) -> None:
    tag_mappings_propose(report=tag_audit(), actor=system_actor)
    approve("wismo", system_actor)
    first = tag_mappings_apply(actor=system_actor)
    approve("shipping", system_actor)
    second = tag_mappings_apply(actor=system_actor)
    with pytest.raises(Conflict) as exc_info:
        relabel_batch_revert(batch_id=first.batch_id or 0, actor=system_actor)
    assert exc_info.value.detail == f"Revert the newer relabel batches first: {second.batch_id}."
    with pytest.raises(NotFound):
        relabel_batch_revert(batch_id=999999, actor=system_actor)


def test_ties_go_to_the_alphabetically_first_tag(system_actor: Actor) -> None:
    active_taxonomy()
    now = timezone.now()
    for tag, reason in (("zz-tag", "fit"), ("aa-tag", "sizing")):
        TagMapping.objects.create(
            tag=tag, reason_id=reason, confidence=0.9, created_at=now, updated_at=now
        )
        approve(tag, system_actor)
    ticket = make_ticket(["zz-tag", "aa-tag"])
    tag_mappings_apply(actor=system_actor)
    ticket.refresh_from_db()
    assert (ticket.contact_reason, ticket.reason_confidence) == ("sizing", 0.9)


def test_approve_and_reject_rules(planted: dict[str, list[Ticket]], system_actor: Actor) -> None:
    tag_mappings_propose(report=tag_audit(), actor=system_actor)
    general = TagMapping.objects.get(tag="general")
    with pytest.raises(ValidationError) as exc_info:
        tag_mapping_approve(mapping_id=general.pk, actor=system_actor)
    assert exc_info.value.detail == (
        "Tag 'general' has no proposed reason; approve it with a reason_id."
    )
    with pytest.raises(NotFound):
        approve("shipping", system_actor, reason_id="teleportation")
    overridden = approve("shipping", system_actor, reason_id="delivery_delay")
    assert (overridden.status, overridden.reason_id) == ("approved", "delivery_delay")
    rejected = tag_mapping_reject(mapping_id=overridden.pk, actor=system_actor)
    assert (rejected.status, rejected.approved_at) == ("rejected", None)
    assert list(
        AuditEvent.objects.filter(object_id=str(overridden.pk))
        .order_by("id")
        .values_list("action", flat=True)
    ) == ["taxonomy.mapping_approved", "taxonomy.mapping_rejected"]
