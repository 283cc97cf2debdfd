"""tickets_bulk_apply: one transaction, one audit event per ticket, all or nothing."""

from __future__ import annotations

import pytest

from signaldesk.core.audit import Actor
from signaldesk.core.errors import ValidationError
from signaldesk.core.models import AuditEvent
from signaldesk.testing.factories import TicketFactory, UserFactory
from signaldesk.tickets.bulk import MAX_BULK_IDS, tickets_bulk_apply
from signaldesk.tickets.models import Ticket

pytestmark = pytest.mark.django_db


def test_assign_status_priority_tag(system_actor: Actor) -> None:
    agent = UserFactory(role="agent")
    ids = [TicketFactory(status="open").pk for _ in range(3)]
    tickets_bulk_apply(ticket_ids=ids, action="assign", value=agent.pk, actor=system_actor)
    tickets_bulk_apply(ticket_ids=ids, action="set_status", value="pending", actor=system_actor)
    tickets_bulk_apply(ticket_ids=ids, action="set_priority", value="low", actor=system_actor)
    result = tickets_bulk_apply(ticket_ids=ids, action="tag", value="Recall", actor=system_actor)
    assert result.ticket_ids == sorted(ids)
    rows = list(
        Ticket.objects.filter(pk__in=ids)
        .order_by("pk")
        .values_list("assignee_id", "status", "priority", "tags")
    )
    assert rows == [(agent.pk, "pending", "low", ["recall"])] * 3
    per_ticket = AuditEvent.objects.filter(
        object_type="tickets.ticket", object_id__in=[str(i) for i in ids]
    )
    assert sorted(per_ticket.values_list("action", flat=True)) == sorted(
        ["ticket.assigned", "ticket.status_changed", "ticket.priority_changed", "ticket.tagged"] * 3
    )
    assert AuditEvent.objects.filter(action="tickets.bulk_applied").count() == 4


def test_invalid_value_rolls_back_everything(system_actor: Actor) -> None:
    ids = [TicketFactory(status="open", priority="normal").pk for _ in range(2)]
    with pytest.raises(ValidationError) as error:
        tickets_bulk_apply(ticket_ids=ids, action="set_priority", value="huge", actor=system_actor)
    assert error.value.code == "invalid_priority"
    assert list(Ticket.objects.filter(pk__in=ids).values_list("priority", flat=True)) == [
        "normal",
        "normal",
    ]


def test_limits(system_actor: Actor) -> None:
    with pytest.raises(ValidationError) as too_many:
        tickets_bulk_apply(
            ticket_ids=range(1, MAX_BULK_IDS + 2), action="tag", value="x", actor=system_actor
        )
    assert too_many.value.code == "too_many"
    with pytest.raises(ValidationError) as unknown:
        tickets_bulk_apply(ticket_ids=[1], action="delete", value=None, actor=system_actor)
    assert unknown.value.code == "invalid_action"
