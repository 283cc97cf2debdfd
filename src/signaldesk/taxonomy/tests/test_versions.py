from decimal import Decimal
from pathlib import Path

import pytest
from django.utils import timezone

from signaldesk.core.audit import Actor
from signaldesk.core.errors import NotFound, ValidationError
from signaldesk.core.models import AuditEvent
from signaldesk.taxonomy.models import ContactReason, TaxonomyVersion
from signaldesk.taxonomy.schema import TaxonomyValidationError
from signaldesk.taxonomy.selectors import active_taxonomy, reason_template, taxonomy_for_version
from signaldesk.taxonomy.services import (
    reason_update,
    taxonomy_activate,
    taxonomy_load_text,
    taxonomy_load_yaml,
)
from signaldesk.taxonomy.tests.yaml_samples import MINIMAL, variant
from signaldesk.tickets.models import Ticket

pytestmark = pytest.mark.django_db


def make_ticket(**fields: object) -> Ticket:
    now = timezone.now()
    return Ticket.objects.create(created_at=now, updated_at=now, **fields)


def test_loading_the_same_content_twice_keeps_one_version(system_actor: Actor) -> None:
    first = taxonomy_load_yaml(actor=system_actor)
    second = taxonomy_load_yaml(actor=system_actor)
    assert second.pk == first.pk
    assert TaxonomyVersion.objects.count() == 1
    assert ContactReason.objects.filter(version=first).count() == 31
    assert first.is_active is True
    assert first.label == f"{timezone.now():%Y.%m}.1"


def test_comments_and_whitespace_do_not_make_a_new_version(system_actor: Actor) -> None:
    first = taxonomy_load_text(text=MINIMAL, source="t.yaml", actor=system_actor)
    again = taxonomy_load_text(
        text="# a comment\n" + MINIMAL.replace("  - {id: other", "  -   {id: other"),
        source="t.yaml",
        actor=system_actor,
    )
    assert again.pk == first.pk


def test_changed_content_makes_a_new_version_and_old_tickets_keep_theirs(
    system_actor: Actor, tmp_path: Path
) -> None:
    v1 = taxonomy_load_text(text=MINIMAL, source="t.yaml", actor=system_actor)
    ticket = make_ticket(contact_reason="delivery_delay", taxonomy_version=v1.label)
    path = tmp_path / "t2.yaml"
    path.write_text(variant("value_threshold: 100", "value_threshold: 250"))
    v2 = taxonomy_load_yaml(path=path, actor=system_actor)
    ticket.refresh_from_db()
    assert (v2.label, v2.source_name, v2.is_active) == (
        f"{timezone.now():%Y.%m}.2",
        "t2.yaml",
        True,
    )
    assert TaxonomyVersion.objects.get(pk=v1.pk).is_active is False
    assert ticket.taxonomy_version == v1.label
    old = taxonomy_for_version(v1.label).reason("delivery_delay")
    new = active_taxonomy().reason("delivery_delay")
    assert (old.escalation.value_threshold, new.escalation.value_threshold) == (
        Decimal("100"),
        Decimal("250"),
    )


def test_activation_is_audited(system_actor: Actor) -> None:
    v1 = taxonomy_load_text(text=MINIMAL, source="t.yaml", actor=system_actor)
    v2 = taxonomy_load_text(
        text=variant("priority: normal", "priority: high"), source="t.yaml", actor=system_actor
    )
    taxonomy_activate(version_id=v1.pk, actor=Actor(label="user:mia"))
    event = AuditEvent.objects.filter(action="taxonomy.version_activated").first()
    assert event is not None
    assert (event.actor_label, event.object_id, event.before, event.after) == (
        "user:mia",
        str(v1.pk),
        {"active": v2.label},
        {"active": v1.label},
    )
    assert list(TaxonomyVersion.objects.filter(is_active=True).values_list("pk", flat=True)) == [
        v1.pk
    ]


def test_reason_update_is_copy_on_write(system_actor: Actor) -> None:
    v1 = taxonomy_load_yaml(actor=system_actor)
    v2 = reason_update(
        reason_id="damaged_item",
        changes={
            "auto_action.limit": Decimal("60"),
            "escalation": {"vip": False},
            "priority": "urgent",
        },
        actor=system_actor,
    )
    assert v2.pk != v1.pk
    assert v2.parent_id == v1.pk
    assert v2.is_active is True
    before = ContactReason.objects.get(version=v1, reason_id="damaged_item")
    after = ContactReason.objects.get(version=v2, reason_id="damaged_item")
    assert (before.auto_action_limit, before.escalation_vip, before.priority) == (
        Decimal("100.00"),
        True,
        "high",
    )
    assert (after.auto_action_limit, after.escalation_vip, after.priority) == (
        Decimal("60.00"),
        False,
        "urgent",
    )
    assert ContactReason.objects.filter(version=v2).count() == 31
    template = reason_template("damaged_item")
    assert (template.auto_action.limit, template.priority) == (Decimal("60"), "urgent")
    event = AuditEvent.objects.get(action="taxonomy.reason_updated")
    assert event.before == {
        "auto_action.limit": 100,
        "escalation.vip": True,
        "priority": "high",
    }
    assert event.context == {
        "reason_id": "damaged_item",
        "base_version": v1.label,
        "version": v2.label,
    }


def test_reason_update_rejects_invalid_edits(system_actor: Actor) -> None:
    taxonomy_load_yaml(actor=system_actor)
    with pytest.raises(TaxonomyValidationError) as exc_info:
        reason_update(reason_id="sizing", changes={"review_cadence": "hourly"}, actor=system_actor)
    assert exc_info.value.detail.endswith(
        "reasons[10].review_cadence: must be one of daily, weekly, got 'hourly'"
    )
    with pytest.raises(ValidationError) as id_error:
        reason_update(reason_id="sizing", changes={"id": "size"}, actor=system_actor)
    assert id_error.value.detail == "A reason's id cannot be changed; add a new reason instead."
    with pytest.raises(NotFound):
        reason_update(reason_id="nope", changes={"name": "x"}, actor=system_actor)
    assert TaxonomyVersion.objects.count() == 1


def test_active_taxonomy_bootstraps_the_shipped_default_on_first_use() -> None:
    taxonomy = active_taxonomy()
    assert len(taxonomy.ids) == 31
    assert taxonomy.reason("order_status").name == "Where is my order"
    assert active_taxonomy() is taxonomy  # cached per version
    assert AuditEvent.objects.filter(actor_label="system:taxonomy.bootstrap").count() == 2
    rendered = taxonomy.reason("delivery_delay").response.render(
        {"customer_name": "Ana", "order_number": "#1001"}
    )
    assert rendered.startswith("Hi Ana, I'm sorry order #1001 is running late. {carrier} now")
