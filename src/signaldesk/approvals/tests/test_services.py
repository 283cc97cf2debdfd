"""money_request_create / decide against the database: routing, permissions, costs, audit."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.contrib.auth.models import AbstractUser

from signaldesk.accounts.models import Role
from signaldesk.approvals.models import MoneyRequest, MoneyStatus
from signaldesk.approvals.selectors import approvals_pending, issue_costs
from signaldesk.approvals.services import money_request_create, money_request_decide
from signaldesk.commerce.models import Customer
from signaldesk.core.audit import Actor
from signaldesk.core.errors import Conflict, PermissionDenied
from signaldesk.core.models import AuditEvent
from signaldesk.testing.factories import (
    CustomerFactory,
    OrderFactory,
    ShipmentFactory,
    TicketFactory,
    UserFactory,
)
from signaldesk.tickets.models import Ticket, TicketStatus
from signaldesk.triage.models import TicketEnrichment

NOW = dt.datetime(2026, 3, 2, 9, 0, tzinfo=dt.UTC)
pytestmark = pytest.mark.django_db


def make_ticket(
    *, reason: str = "damaged_item", days: int | None = 10, abuse: bool = False
) -> Ticket:
    customer: Customer = CustomerFactory(abuse_flag=abuse)
    order = OrderFactory(customer=customer, currency="EUR")
    ticket: Ticket = TicketFactory(
        customer=customer,
        order=order,
        contact_reason=reason,
        status=TicketStatus.OPEN,
        created_at=NOW,
    )
    if days is not None:
        TicketEnrichment.objects.create(
            ticket=ticket, days_since_delivery=days, as_of=NOW, computed_at=NOW
        )
    return ticket


@pytest.fixture
def agent() -> AbstractUser:
    return UserFactory(username="agent-a", role=Role.AGENT)


@pytest.fixture
def lead() -> AbstractUser:
    return UserFactory(username="lead-a", role=Role.LEAD)


def create(ticket: Ticket, user: AbstractUser, amount: str, **kw: object) -> MoneyRequest:
    return money_request_create(
        ticket=ticket,
        kind=str(kw.pop("kind", "refund")),
        amount=Decimal(amount),
        reason="Arrived broken",
        actor=Actor.of_user(user),
        now=NOW,
        **kw,  # type: ignore[arg-type]
    )


def test_auto_approved_under_100_records_rule_and_cost(agent: AbstractUser) -> None:
    request = create(make_ticket(), agent, "99.99")
    assert request.status == MoneyStatus.AUTO_APPROVED
    assert request.policy_rule == "small-refund"
    assert request.cost_amount == Decimal("99.99")
    assert request.currency == "EUR"
    assert request.decided_by_id is None
    event = AuditEvent.objects.get(action="approvals.requested")
    assert event.after == {
        "status": "auto_approved",
        "amount": "99.99",
        "currency": "EUR",
        "route": "",
        "policy_rule": "small-refund",
        "cost_amount": "99.99",
    }


def test_exactly_100_waits_for_a_lead(agent: AbstractUser) -> None:
    request = create(make_ticket(), agent, "100.00")
    assert request.status == MoneyStatus.PENDING
    assert request.route == "lead"
    assert request.cost_amount == Decimal("0")
    assert request.policy_notes == ["amount is not below 100.00"]


def test_day_31_and_abuse_and_currency_are_pending(agent: AbstractUser) -> None:
    late = create(make_ticket(days=31), agent, "10.00")
    abuse = create(make_ticket(abuse=True), agent, "10.00")
    usd = create(make_ticket(), agent, "10.00", currency="usd")
    assert [late.status, abuse.status, usd.status] == ["pending", "pending", "pending"]
    assert usd.currency == "USD"


def test_days_from_the_shipment_when_no_enrichment(agent: AbstractUser) -> None:
    day_30 = make_ticket(days=None)
    ShipmentFactory(order=day_30.order, delivered_at=NOW - dt.timedelta(days=30))
    day_31 = make_ticket(days=None)
    ShipmentFactory(order=day_31.order, delivered_at=NOW - dt.timedelta(days=31))
    assert create(day_30, agent, "20.00").status == MoneyStatus.AUTO_APPROVED
    assert create(day_31, agent, "20.00").status == MoneyStatus.PENDING


def test_reason_limit_is_stricter_than_policy(agent: AbstractUser) -> None:
    request = create(make_ticket(reason="missing_item"), agent, "60.00")
    assert request.status == MoneyStatus.PENDING
    assert request.policy_notes == ["amount exceeds the reason's auto-action limit 50"]


def test_large_amount_goes_to_finance_team(agent: AbstractUser) -> None:
    ticket = make_ticket()
    request = create(ticket, agent, "250.00")
    ticket.refresh_from_db()
    assert request.route == "finance"
    assert ticket.owner_team is not None
    assert ticket.owner_team.slug == "finance"


def test_agent_cannot_decide(agent: AbstractUser) -> None:
    request = create(make_ticket(), agent, "150.00")
    other_agent = UserFactory(username="agent-b", role=Role.AGENT)
    with pytest.raises(PermissionDenied):
        money_request_decide(
            request=request, approve=True, reason="ok", actor=Actor.of_user(other_agent)
        )


def test_lead_cannot_approve_own_request(lead: AbstractUser) -> None:
    request = create(make_ticket(), lead, "150.00")
    with pytest.raises(PermissionDenied) as raised:
        money_request_decide(request=request, approve=True, reason="ok", actor=Actor.of_user(lead))
    assert raised.value.code == "self_approval"


def test_lead_approves_and_cost_counts(agent: AbstractUser, lead: AbstractUser) -> None:
    ticket = make_ticket()
    request = create(ticket, agent, "150.00")
    decided = money_request_decide(
        request=request, approve=True, reason="Good customer", actor=Actor.of_user(lead), now=NOW
    )
    assert decided.status == MoneyStatus.APPROVED
    assert decided.decided_by_id == lead.pk
    assert decided.decided_at == NOW
    assert decided.decision_reason == "Good customer"
    assert issue_costs(ticket_ids=[ticket.pk, 999999]) == {
        ticket.pk: Decimal("150.00"),
        999999: Decimal("0.00"),
    }
    assert AuditEvent.objects.filter(action="approvals.approved").count() == 1
    with pytest.raises(Conflict):
        money_request_decide(
            request=request, approve=False, reason="again", actor=Actor.of_user(lead)
        )


def test_denied_costs_nothing_and_queue_is_oldest_first(
    agent: AbstractUser, lead: AbstractUser
) -> None:
    ticket = make_ticket()
    first = create(ticket, agent, "150.00")
    second = money_request_create(
        ticket=ticket,
        kind="compensation",
        amount=Decimal("5.00"),
        reason="Goodwill",
        actor=Actor.of_user(agent),
        now=NOW + dt.timedelta(minutes=1),
    )
    assert list(approvals_pending()) == [first, second]
    money_request_decide(request=first, approve=False, reason="No", actor=Actor.of_user(lead))
    assert list(approvals_pending()) == [second]
    assert issue_costs(ticket_ids=[ticket.pk]) == {ticket.pk: Decimal("0.00")}
