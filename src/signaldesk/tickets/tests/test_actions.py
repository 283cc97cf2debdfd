"""The console's ticket actions: one transaction each, audited."""

from __future__ import annotations

import pytest

from signaldesk.core.audit import Actor
from signaldesk.core.errors import ValidationError
from signaldesk.core.models import AuditEvent
from signaldesk.testing.factories import TicketFactory, UserFactory
from signaldesk.tickets import actions
from signaldesk.tickets.models import Direction, TicketStatus

pytestmark = pytest.mark.django_db


def test_first_reply_sets_first_response_and_opens_a_new_ticket() -> None:
    agent = UserFactory(username="ana", first_name="Ana", last_name="Diaz")
    ticket = TicketFactory(status=TicketStatus.NEW)

    message = actions.ticket_reply(
        ticket=ticket, author=agent, body="  On its way.  ", actor=Actor.of_user(agent)
    )

    ticket.refresh_from_db()
    assert (message.direction, message.body_text, message.author_label) == (
        Direction.OUTBOUND,
        "On its way.",
        "Ana Diaz",
    )
    assert ticket.first_response_at == message.created_at
    assert ticket.status == TicketStatus.OPEN


def test_empty_note_is_refused() -> None:
    agent = UserFactory(username="ana")

    with pytest.raises(ValidationError, match=r"Write something first\."):
        actions.ticket_add_note(
            ticket=TicketFactory(), author=agent, body=" \n ", actor=Actor.of_user(agent)
        )


def test_reopening_a_solved_ticket_counts_and_clears_solved_at() -> None:
    ticket = TicketFactory(status=TicketStatus.OPEN)
    actor = Actor.system("test")

    solved = actions.ticket_set_status(ticket=ticket, status=TicketStatus.SOLVED, actor=actor)
    solved_at = solved.solved_at
    reopened = actions.ticket_set_status(ticket=ticket, status=TicketStatus.OPEN, actor=actor)

    assert solved_at is not None
    assert (reopened.status, reopened.solved_at, reopened.reopened_count) == (
        TicketStatus.OPEN,
        None,
        1,
    )
    assert list(
        AuditEvent.objects.filter(action="ticket.status_changed")
        .order_by("id")
        .values_list("before", "after")
    ) == [({"status": "open"}, {"status": "solved"}), ({"status": "solved"}, {"status": "open"})]


def test_unknown_status_is_refused() -> None:
    with pytest.raises(ValidationError, match=r"Unknown status 'gone'\."):
        actions.ticket_set_status(ticket=TicketFactory(), status="gone", actor=Actor.system("t"))


def test_reason_correction_records_agent_source_and_keeps_model_guess_in_audit() -> None:
    ticket = TicketFactory(
        contact_reason="sizing",
        reason_confidence=0.41,
        reason_source="model",
        taxonomy_version="2026.1.1",
    )

    actions.ticket_set_reason(
        ticket=ticket,
        reason="fit",
        allowed=frozenset({"fit", "sizing"}),
        actor=Actor.system("t"),
        taxonomy_version="2026.11.1",
    )

    event = AuditEvent.objects.get(action="ticket.reason_corrected")
    assert event.before == {
        "contact_reason": "sizing",
        "reason_confidence": 0.41,
        "reason_source": "model",
        "taxonomy_version": "2026.1.1",
    }
    assert event.after == {
        "contact_reason": "fit",
        "reason_confidence": 1.0,
        "reason_source": "agent",
        "taxonomy_version": "2026.11.1",
    }


def test_reason_outside_the_taxonomy_is_refused() -> None:
    with pytest.raises(ValidationError, match=r"Unknown contact reason 'made_up'\."):
        actions.ticket_set_reason(
            ticket=TicketFactory(),
            reason="made_up",
            allowed=frozenset({"fit"}),
            actor=Actor.system("t"),
        )


def test_assign_and_unassign() -> None:
    agent = UserFactory(username="ana")
    ticket = TicketFactory()

    assigned = actions.ticket_assign(ticket=ticket, assignee=agent, actor=Actor.of_user(agent))
    unassigned = actions.ticket_assign(ticket=ticket, assignee=None, actor=Actor.of_user(agent))

    assert (assigned.assignee_id, unassigned.assignee_id) == (agent.pk, None)
