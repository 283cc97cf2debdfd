"""ticket_transition on the database, the console view and partial, and the API."""

from __future__ import annotations

import json
from collections.abc import Callable

import pytest
from django.test import Client

from signaldesk.core.audit import Actor
from signaldesk.core.errors import ValidationError
from signaldesk.core.models import AuditEvent
from signaldesk.testing.factories import TicketFactory, UserFactory
from signaldesk.tickets.models import Ticket, TicketStatus
from signaldesk.workflow.config import ticket_types
from signaldesk.workflow.models import SlaClock
from signaldesk.workflow.selectors import allowed_transitions
from signaldesk.workflow.services import ticket_transition
from signaldesk.workflow.tests.test_machines import VALID, sample_fields

pytestmark = pytest.mark.django_db
ACTOR = Actor.system("test")


@pytest.mark.parametrize(("type_id", "from_state", "to_state"), VALID)
def test_every_valid_transition_moves_state_status_and_fields(
    type_id: str, from_state: str, to_state: str
) -> None:
    workflow = ticket_types().workflows[type_id]
    ticket = TicketFactory(
        ticket_type=type_id,
        workflow_state=from_state,
        status=workflow.states[from_state].status,
    )
    given = sample_fields(workflow, to_state)
    moved = ticket_transition(ticket=ticket, to_state=to_state, fields=given, actor=ACTOR)
    moved.refresh_from_db()
    assert (moved.workflow_state, moved.status) == (to_state, workflow.states[to_state].status)
    assert moved.custom_fields.get("workflow", {}) == {
        k: ("12.50" if workflow.fields[k].kind == "amount" else v) for k, v in given.items()
    }


def test_return_walk_with_audit_and_stored_fields() -> None:
    ticket = TicketFactory(ticket_type="return", status=TicketStatus.NEW, custom_fields={"x": 1})
    ticket = ticket_transition(
        ticket=ticket, to_state="awaiting_item", fields={"rma": "RMA-77"}, actor=ACTOR
    )
    assert (ticket.workflow_state, ticket.status) == ("awaiting_item", TicketStatus.PENDING)
    event = AuditEvent.objects.filter(action="ticket.workflow_transitioned").get()
    assert event.before == {"workflow_state": "", "status": "new", "fields": {}}
    assert event.after == {
        "workflow_state": "awaiting_item",
        "status": "pending",
        "fields": {"rma": "RMA-77"},
    }
    assert event.context == {"ticket_type": "return", "from": "requested", "to": "awaiting_item"}
    assert AuditEvent.objects.filter(action="ticket.status_changed").count() == 1
    assert SlaClock.objects.filter(ticket=ticket, paused_at__isnull=False).count() == 2
    ticket = ticket_transition(ticket=ticket, to_state="item_received", fields={}, actor=ACTOR)
    ticket = ticket_transition(
        ticket=ticket,
        to_state="refunded",
        fields={"refund_amount": "39.9", "approval_ref": "APR-1"},
        actor=ACTOR,
    )
    ticket.refresh_from_db()
    assert ticket.custom_fields == {
        "x": 1,
        "workflow": {"rma": "RMA-77", "refund_amount": "39.90", "approval_ref": "APR-1"},
    }
    assert (ticket.status, ticket.solved_at is not None) == (TicketStatus.SOLVED, True)


def test_invalid_move_and_missing_field_leave_the_ticket_alone() -> None:
    ticket = TicketFactory(ticket_type="complaint", status=TicketStatus.OPEN)
    with pytest.raises(ValidationError, match=r"allowed: missing_data, investigating\.$"):
        ticket_transition(ticket=ticket, to_state="resolved", fields={}, actor=ACTOR)
    ticket_transition(ticket=ticket, to_state="investigating", fields={}, actor=ACTOR)
    with pytest.raises(ValidationError) as info:
        ticket_transition(ticket=ticket, to_state="resolved", fields={}, actor=ACTOR)
    assert (
        info.value.detail == "Resolution note (resolution_note) is required to move to 'resolved'."
    )
    ticket.refresh_from_db()
    assert (ticket.workflow_state, ticket.status) == ("investigating", TicketStatus.OPEN)


def test_allowed_transitions_selector() -> None:
    ticket = TicketFactory(
        ticket_type="return",
        workflow_state="item_received",
        custom_fields={"workflow": {"approval_ref": "APR-9"}},
    )
    view = allowed_transitions(ticket)
    assert (view.type_name, view.state, view.state_label) == (
        "Return",
        "item_received",
        "Item received",
    )
    assert [(o.state, o.status) for o in view.transitions] == [
        ("refunded", "solved"),
        ("exchanged", "solved"),
        ("rejected", "solved"),
    ]
    assert [(f.id, f.kind, f.value) for f in view.transitions[0].fields] == [
        ("refund_amount", "amount", ""),
        ("approval_ref", "reference", "APR-9"),
    ]


@pytest.fixture
def agent_client(db: None) -> Client:
    client = Client()
    client.force_login(UserFactory(username="wf-agent", role="agent"))
    return client


def test_console_partial_and_view(agent_client: Client) -> None:
    ticket = TicketFactory(ticket_type="return", status=TicketStatus.OPEN)
    page = agent_client.get(f"/tickets/{ticket.pk}/").content.decode()
    assert 'data-testid="workflow-state">Requested<' in page
    assert f'action="/workflow/tickets/{ticket.pk}/transition/"' in page
    assert 'name="field_rma"' in page
    response = agent_client.post(
        f"/workflow/tickets/{ticket.pk}/transition/",
        {"to_state": "awaiting_item", "field_rma": "RMA-5"},
    )
    assert (response.status_code, response["Location"]) == (302, f"/tickets/{ticket.pk}/")
    ticket.refresh_from_db()
    assert ticket.workflow_state == "awaiting_item"
    response = agent_client.post(
        f"/workflow/tickets/{ticket.pk}/transition/", {"to_state": "closed"}, follow=True
    )
    assert "Cannot move a return ticket from &#x27;awaiting_item&#x27; to &#x27;closed&#x27;" in (
        response.content.decode()
    )


def test_api(api_key_for: Callable[..., str], client: Client) -> None:
    auth = {"HTTP_AUTHORIZATION": f"Bearer {api_key_for(role='agent', scopes=['read', 'write'])}"}
    ticket: Ticket = TicketFactory(ticket_type="complaint", status=TicketStatus.OPEN)
    url = f"/api/v1/workflow/tickets/{ticket.pk}"
    body = client.get(f"{url}/transitions", **auth).json()
    assert (body["state"], [t["state"] for t in body["transitions"]]) == (
        "received",
        ["missing_data", "investigating"],
    )
    bad = client.post(
        f"{url}/transition",
        json.dumps({"to_state": "closed"}),
        content_type="application/json",
        **auth,
    )
    assert (bad.status_code, bad.json()["code"]) == (422, "transition_not_allowed")
    ok = client.post(
        f"{url}/transition",
        json.dumps({"to_state": "missing_data", "fields": {"missing_info": "order number"}}),
        content_type="application/json",
        **auth,
    )
    assert (ok.status_code, ok.json()["state"], ok.json()["status"]) == (
        200,
        "missing_data",
        "pending",
    )
    assert ok.json()["fields"] == {"missing_info": "order number"}
    clocks = client.get(f"{url}/sla", **auth).json()
    assert [(c["metric"], c["paused_at"] is not None) for c in clocks] == [
        ("first_response", True),
        ("resolution", True),
    ]
