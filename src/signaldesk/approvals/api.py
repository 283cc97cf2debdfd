"""POST /api/v1/approvals (request money), GET /api/v1/approvals?status=pending,
POST /api/v1/approvals/{id}/decide (approvals.decide; never one's own request)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.http import HttpRequest
from ninja import Field, Query, Router, Schema, Status

from signaldesk.accounts.api_auth import api_auth, authorize
from signaldesk.approvals.models import MoneyRequest
from signaldesk.approvals.selectors import money_requests
from signaldesk.approvals.services import money_request_create, money_request_decide
from signaldesk.core.audit import Actor
from signaldesk.core.errors import NotFound
from signaldesk.core.pagination import DEFAULT_LIMIT, keyset_page
from signaldesk.tickets.models import Ticket

approvals_router = Router(auth=api_auth, tags=["approvals"])


class MoneyRequestIn(Schema):
    ticket_id: int
    kind: str
    amount: Decimal
    currency: str | None = None
    reason: str


class DecisionIn(Schema):
    approve: bool
    reason: str


class MoneyRequestFilters(Schema):
    status: str | None = None
    cursor: str | None = Field(None, description="`next` of the previous page.")
    limit: int = DEFAULT_LIMIT


class MoneyRequestOut(Schema):
    id: int
    ticket_id: int
    kind: str
    amount: Decimal
    currency: str
    reason: str
    status: str
    route: str
    policy_rule: str
    policy_notes: list[str]
    requested_by: str | None
    requested_at: dt.datetime
    decided_by: str | None
    decided_at: dt.datetime | None
    decision_reason: str
    cost_amount: Decimal

    @staticmethod
    def of(r: MoneyRequest) -> MoneyRequestOut:
        return MoneyRequestOut(
            id=r.pk,
            ticket_id=r.ticket_id,
            kind=r.kind,
            amount=r.amount,
            currency=r.currency,
            reason=r.reason,
            status=r.status,
            route=r.route,
            policy_rule=r.policy_rule,
            policy_notes=[str(n) for n in r.policy_notes],
            requested_by=r.requested_by.get_username() if r.requested_by else None,
            requested_at=r.requested_at,
            decided_by=r.decided_by.get_username() if r.decided_by else None,
            decided_at=r.decided_at,
            decision_reason=r.decision_reason,
            cost_amount=r.cost_amount,
        )


class MoneyRequestPage(Schema):
    items: list[MoneyRequestOut]
    next: str | None


def _request(request_id: int) -> MoneyRequest:
    found = money_requests().filter(pk=request_id).first()
    if found is None:
        raise NotFound(f"Money request {request_id} does not exist.")
    return found


@approvals_router.post("", response={201: MoneyRequestOut})
def create_money_request(request: HttpRequest, payload: MoneyRequestIn) -> Status[MoneyRequestOut]:
    authorize(request, "tickets.write")
    ticket = Ticket.objects.select_related("customer", "order").filter(pk=payload.ticket_id).first()
    if ticket is None:
        raise NotFound(f"Ticket {payload.ticket_id} does not exist.")
    created = money_request_create(
        ticket=ticket,
        kind=payload.kind,
        amount=payload.amount,
        currency=payload.currency,
        reason=payload.reason,
        actor=Actor.of_user(request.user),
    )
    return Status(201, MoneyRequestOut.of(_request(created.pk)))


@approvals_router.get("", response=MoneyRequestPage)
def list_money_requests(
    request: HttpRequest, filters: Query[MoneyRequestFilters]
) -> MoneyRequestPage:
    authorize(request, "tickets.read")
    rows, next_cursor = keyset_page(
        money_requests(status=filters.status), cursor=filters.cursor, limit=filters.limit
    )
    return MoneyRequestPage(items=[MoneyRequestOut.of(r) for r in rows], next=next_cursor)


@approvals_router.post("/{request_id}/decide", response=MoneyRequestOut)
def decide_money_request(
    request: HttpRequest, request_id: int, payload: DecisionIn
) -> MoneyRequestOut:
    authorize(request, "approvals.decide")
    decided = money_request_decide(
        request=_request(request_id),
        approve=payload.approve,
        reason=payload.reason,
        actor=Actor.of_user(request.user),
    )
    return MoneyRequestOut.of(_request(decided.pk))
