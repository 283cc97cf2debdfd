"""Carrying out the rules' intents: the auto-reply-and-solve executor and approval requests."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest
from django.utils import timezone

from signaldesk.approvals.models import MoneyRequest
from signaldesk.core.audit import Actor
from signaldesk.core.models import AuditEvent
from signaldesk.replies.services import macros_sync_from_taxonomy
from signaldesk.testing.factories import (
    CustomerFactory,
    MessageFactory,
    OrderFactory,
    OrderLineFactory,
    ShipmentFactory,
    TicketFactory,
)
from signaldesk.tickets.models import Direction, Message, Ticket
from signaldesk.triage.models import TicketEnrichment
from signaldesk.workflow.rules.auto_actions import AUTHOR_USERNAME
from signaldesk.workflow.rules.services import DEFAULT_RULES, ruleset_save
from signaldesk.workflow.services import ticket_workflow_start

pytestmark = pytest.mark.django_db
ACTOR = Actor.system("test")
REPLY = (
    "Hi Ana, order #10023 is delivered. You can follow it with DHL here: "
    "https://www.dhl.com/track?tracking-id=JJD0001234567."
)
MONEY_RULES = """\
rules:
  - id: damaged_auto
    order: 1
    when: {field: reason, op: eq, value: damaged_item}
    then:
      - suggest_macro: damaged_item_replace
      - auto_action: auto_resolve
"""
APPROVAL_RULES = """\
rules:
  - id: refund_needs_approval
    order: 1
    when: {field: refund_amount, op: gte, value: 1}
    then:
      - require_approval: refund asked
"""


def order_status_ticket(*, shipment: bool = True, **ticket: Any) -> Ticket:
    """A confident English "where is my order" for an order delivered on time."""
    customer = CustomerFactory(name="Ana Lopez", email="ana@example.com")
    order = OrderFactory(customer=customer, number="#10023", total=Decimal("59.90"))
    OrderLineFactory(order=order, name="Linen dress / M", price=Decimal("59.90"))
    if shipment:
        ShipmentFactory(
            order=order, carrier="DHL", tracking_number="JJD0001234567", status="delivered",
            promised_at=dt.date(2026, 11, 20),
        )  # fmt: skip
    made: Ticket = TicketFactory(
        customer=customer, order=order, contact_reason="order_status", reason_confidence=0.95,
        language="en", subject="Where is my order?", **ticket,
    )  # fmt: skip
    MessageFactory(ticket=made, body_text="Hello, where is my order #10023?")
    enrich(made, shipment_status="delivered", days_late=0, order_value=Decimal("59.90"))
    return made


def enrich(ticket: Ticket, **fields: Any) -> None:
    now = timezone.now()
    TicketEnrichment.objects.create(
        ticket=ticket, order=ticket.order, as_of=now, computed_at=now, **fields
    )


def activate(yaml_text: str) -> None:
    ruleset_save(yaml_text=yaml_text, actor=ACTOR, now=timezone.now())
    macros_sync_from_taxonomy(actor=ACTOR)


def outbound(ticket: Ticket) -> list[str]:
    rows = Message.objects.filter(ticket=ticket, direction=Direction.OUTBOUND).order_by("id")
    return list(rows.values_list("body_text", flat=True))


def test_auto_action_replies_with_the_macro_solves_and_never_sends_twice() -> None:
    activate(DEFAULT_RULES.read_text())
    ticket = order_status_ticket()
    ticket_workflow_start(ticket_id=ticket.pk, now=timezone.now())
    ticket_workflow_start(ticket_id=ticket.pk, now=timezone.now())  # re-triage: no second send
    ticket.refresh_from_db()
    assert outbound(ticket) == [REPLY]
    assert (ticket.status, ticket.workflow_state) == ("solved", "solved")
    run = ticket.custom_fields["auto_action_run"]
    assert (run["status"], run["rules"], run["ruleset_version"], run["macro"]) == (
        "sent",
        ["order_status_in_transit"],
        1,
        "order_status_tracking",
    )
    event = AuditEvent.objects.get(action="workflow.auto_action_executed")
    assert (event.actor_label, event.context["rules"], event.context["ruleset_version"]) == (
        "system:rules:order_status_in_transit",
        ["order_status_in_transit"],
        1,
    )
    message = Message.objects.get(ticket=ticket, direction=Direction.OUTBOUND)
    assert message.author_user.username == AUTHOR_USERNAME
    assert message.author_user.is_active is False
    assert ticket.guardrail_reports.get().sent is True
    assert ticket.macro_uses.get().macro.slug == "order_status_tracking"


def test_a_guardrail_block_leaves_the_macro_as_a_suggestion() -> None:
    activate(DEFAULT_RULES.read_text())
    ticket = order_status_ticket(shipment=False)  # no shipment: status and link are unknown
    ticket_workflow_start(ticket_id=ticket.pk, now=timezone.now())
    ticket.refresh_from_db()
    assert outbound(ticket) == []
    assert (ticket.status, ticket.custom_fields["suggested_macro"]) == (
        "new",
        "order_status_tracking",
    )
    run = ticket.custom_fields["auto_action_run"]
    assert (run["status"], run["note"]) == (
        "suggested",
        "guardrails block the draft: missing_variable",
    )
    assert AuditEvent.objects.filter(action="workflow.auto_action_declined").count() == 1


def test_no_auto_reply_when_the_last_message_is_already_an_answer() -> None:
    activate(DEFAULT_RULES.read_text())
    ticket = order_status_ticket(status="open")
    MessageFactory(ticket=ticket, direction=Direction.OUTBOUND, author_customer=None)
    ticket_workflow_start(ticket_id=ticket.pk, now=timezone.now())
    ticket.refresh_from_db()
    assert (
        ticket.custom_fields["auto_action_run"]["note"] == "the last message is already an answer"
    )
    assert ticket.status == "open"


@pytest.mark.parametrize(
    ("refund", "note", "requests"),
    [
        (Decimal("150.00"), "amount 150.00 is over the auto-action limit 100", []),
        (
            Decimal("60.00"),
            "guardrails block the draft: missing_variable, promise",
            ["auto_approved"],
        ),
    ],
)
def test_a_money_auto_action_respects_the_limit_and_goes_through_approvals(
    refund: Decimal, note: str, requests: list[str]
) -> None:
    activate(MONEY_RULES)
    customer = CustomerFactory(name="Ana Lopez")
    ticket = TicketFactory(customer=customer, contact_reason="damaged_item", language="en")
    MessageFactory(ticket=ticket, body_text="My vase arrived broken.")
    enrich(ticket, refund_amount=refund, days_since_delivery=2)
    ticket_workflow_start(ticket_id=ticket.pk, now=timezone.now())
    ticket.refresh_from_db()
    assert ticket.custom_fields["auto_action_run"]["note"] == note
    assert list(MoneyRequest.objects.values_list("status", flat=True)) == requests
    assert outbound(ticket) == []


@pytest.mark.parametrize(
    ("amount", "status", "route"),
    [
        (Decimal("99.99"), "auto_approved", ""),
        (Decimal("100.00"), "pending", "lead"),
        (Decimal("250.00"), "pending", "finance"),
    ],
)
def test_approval_required_creates_one_request_at_the_policy_boundary(
    amount: Decimal, status: str, route: str
) -> None:
    activate(APPROVAL_RULES)
    ticket = TicketFactory(contact_reason="damaged_item", ticket_type="refund")
    enrich(ticket, refund_amount=amount, order_value=Decimal("300.00"), days_since_delivery=5)
    ticket_workflow_start(ticket_id=ticket.pk, now=timezone.now())
    ticket_workflow_start(ticket_id=ticket.pk, now=timezone.now())
    request = MoneyRequest.objects.get()
    assert (request.kind, request.amount, request.status, request.route) == (
        "refund",
        amount,
        status,
        route,
    )
    assert request.reason == "refund asked (rules refund_needs_approval, rule set v1)"
    ticket.refresh_from_db()
    assert ticket.custom_fields["approval_request"]["id"] == request.pk
    event = AuditEvent.objects.get(action="workflow.approval_requested")
    assert (event.context["rules"], event.context["ruleset_version"]) == (
        ["refund_needs_approval"],
        1,
    )


def test_the_default_damaged_item_rule_asks_for_the_order_total() -> None:
    activate(DEFAULT_RULES.read_text())
    ticket = TicketFactory(contact_reason="damaged_item", ticket_type="replacement")
    enrich(ticket, order_value=Decimal("120.00"))
    ticket_workflow_start(ticket_id=ticket.pk, now=timezone.now())
    request = MoneyRequest.objects.get()
    assert (request.kind, request.amount, request.status, request.route) == (
        "replacement",
        Decimal("120.00"),
        "pending",
        "lead",
    )


def test_approval_required_without_an_amount_creates_nothing() -> None:
    activate(
        APPROVAL_RULES.replace(
            "{field: refund_amount, op: gte, value: 1}",
            "{field: reason, op: eq, value: damaged_item}",
        )
    )
    ticket = TicketFactory(contact_reason="damaged_item")
    enrich(ticket)
    ticket_workflow_start(ticket_id=ticket.pk, now=timezone.now())
    ticket.refresh_from_db()
    assert MoneyRequest.objects.count() == 0
    assert "approval_request" not in ticket.custom_fields
    assert ticket.custom_fields["approval_required"]["reasons"] == ["refund asked"]
