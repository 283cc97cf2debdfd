"""Writes for money requests. Nothing that moves money happens without either a policy rule that
allows it (recorded in `policy_rule`) or a human decision by someone with approvals.decide who
did not ask for it. Every write is one transaction and one audit event."""

from __future__ import annotations

import datetime as dt
import logging
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone

from signaldesk.accounts.models import Team
from signaldesk.accounts.permissions import role_allows
from signaldesk.accounts.selectors import user_role
from signaldesk.approvals.models import MoneyKind, MoneyRequest, MoneyStatus
from signaldesk.approvals.policy import Facts, evaluate, money_policy
from signaldesk.commerce.models import Shipment
from signaldesk.core.audit import Actor, audit_record, snapshot
from signaldesk.core.errors import Conflict, NotFound, PermissionDenied, ValidationError
from signaldesk.suppression.services import suppression_sync_for_ticket
from signaldesk.taxonomy.selectors import reason_template
from signaldesk.tickets import actions
from signaldesk.tickets.models import Ticket
from signaldesk.triage.models import TicketEnrichment

logger = logging.getLogger(__name__)

AUDIT_FIELDS = ["status", "amount", "currency", "route", "policy_rule", "cost_amount"]
DECISION_FIELDS = [*AUDIT_FIELDS, "decided_by", "decision_reason"]


def _days_since_delivery(ticket: Ticket, now: dt.datetime) -> int | None:
    enrichment = TicketEnrichment.objects.filter(ticket_id=ticket.pk).only("days_since_delivery")
    days = enrichment.values_list("days_since_delivery", flat=True).first()
    if days is not None:
        return int(days)
    if ticket.order_id is None:
        return None
    delivered = (
        Shipment.objects.filter(order_id=ticket.order_id, delivered_at__isnull=False)
        .order_by("-delivered_at")
        .values_list("delivered_at", flat=True)
        .first()
    )
    return None if delivered is None else (now.date() - delivered.date()).days


def _reason_auto(ticket: Ticket) -> tuple[bool, Decimal | None]:
    if not ticket.contact_reason:
        return False, None
    try:
        template = reason_template(ticket.contact_reason)
    except NotFound:
        return False, None
    return template.auto_action.allowed, template.auto_action.limit


def money_request_facts(
    *, ticket: Ticket, kind: str, amount: Decimal, currency: str, now: dt.datetime
) -> Facts:
    allowed, limit = _reason_auto(ticket)
    customer = ticket.customer
    return Facts(
        kind=kind,
        amount=amount,
        currency=currency,
        days_since_delivery=_days_since_delivery(ticket, now),
        abuse_flagged=bool(customer is not None and customer.abuse_flag),
        reason_auto_allowed=allowed,
        reason_limit=limit,
    )


def _clean_amount(amount: Decimal) -> Decimal:
    if not isinstance(amount, Decimal) or not amount.is_finite() or amount <= 0:
        raise ValidationError("The amount must be a positive decimal.", code="invalid_amount")
    if amount != amount.quantize(Decimal("0.01")):
        raise ValidationError("The amount has more than two decimals.", code="invalid_amount")
    return amount


@transaction.atomic
def money_request_create(
    *,
    ticket: Ticket,
    kind: str,
    amount: Decimal,
    reason: str,
    actor: Actor,
    currency: str | None = None,
    now: dt.datetime | None = None,
) -> MoneyRequest:
    """Record a request; auto-approve it when a policy rule allows, else leave it pending for a
    lead (or finance, at or above the finance threshold, who then own the ticket)."""
    now = now or timezone.now()
    if kind not in MoneyKind.values:
        raise ValidationError(f"Unknown kind {kind!r}.", code="invalid_kind")
    amount = _clean_amount(amount)
    if not reason.strip():
        raise ValidationError("Give a reason for the request.", code="reason_required")
    policy = money_policy()
    order_currency = ticket.order.currency if ticket.order_id and ticket.order else None
    currency = (currency or order_currency or policy.store_currency).upper()
    facts = money_request_facts(ticket=ticket, kind=kind, amount=amount, currency=currency, now=now)
    verdict = evaluate(facts, policy)
    request = MoneyRequest(
        ticket=ticket,
        kind=kind,
        amount=amount,
        currency=currency,
        reason=reason.strip(),
        requested_by_id=actor.user_id,
        requested_at=now,
        policy_notes=list(verdict.notes),
    )
    if verdict.rule is not None:
        request.status = MoneyStatus.AUTO_APPROVED
        request.policy_rule = verdict.rule
        request.decided_at = now
        request.decision_reason = f"policy rule {verdict.rule}"
        request.cost_amount = amount
    else:
        request.status = MoneyStatus.PENDING
        request.route = "finance" if amount >= policy.finance_from else "lead"
    request.save()
    if request.route == "finance":
        team, _ = Team.objects.get_or_create(
            slug=policy.finance_team, defaults={"name": policy.finance_team.title()}
        )
        actions.ticket_set_team(ticket=ticket, team=team, actor=actor)
    audit_record(
        actor=actor,
        action="approvals.requested",
        obj=request,
        after=snapshot(request, AUDIT_FIELDS),
        context={"ticket_id": ticket.pk, "kind": kind, "notes": list(verdict.notes)},
    )
    suppression_sync_for_ticket(ticket_id=ticket.pk, now=now)
    logger.info("approvals.requested", extra={"request_id": request.pk, "status": request.status})
    return request


def _decider(actor: Actor) -> int:
    user = get_user_model().objects.filter(pk=actor.user_id).first() if actor.user_id else None
    if user is None or not role_allows(user_role(user), "approvals.decide"):
        raise PermissionDenied("Your role may not use approvals.decide.")
    return int(user.pk)


@transaction.atomic
def money_request_decide(
    *,
    request: MoneyRequest,
    approve: bool,
    reason: str,
    actor: Actor,
    now: dt.datetime | None = None,
) -> MoneyRequest:
    """Approve or deny a pending request: approvals.decide required, never one's own request."""
    now = now or timezone.now()
    user_id = _decider(actor)
    locked = MoneyRequest.objects.select_for_update().get(pk=request.pk)
    if locked.requested_by_id == user_id:
        raise PermissionDenied("You cannot decide your own request.", code="self_approval")
    if locked.status != MoneyStatus.PENDING:
        raise Conflict(f"The request is already {locked.status}.", code="already_decided")
    if not reason.strip():
        raise ValidationError("Give a reason for the decision.", code="reason_required")
    before = snapshot(locked, DECISION_FIELDS)
    locked.status = MoneyStatus.APPROVED if approve else MoneyStatus.DENIED
    locked.decided_by_id = user_id
    locked.decided_at = now
    locked.decision_reason = reason.strip()
    locked.cost_amount = locked.amount if approve else Decimal("0")
    locked.save()
    audit_record(
        actor=actor,
        action="approvals.approved" if approve else "approvals.denied",
        obj=locked,
        before=before,
        after=snapshot(locked, DECISION_FIELDS),
        context={"ticket_id": locked.ticket_id},
    )
    suppression_sync_for_ticket(ticket_id=locked.ticket_id, now=now)
    return locked


@transaction.atomic
def money_request_mark_executed(
    *, request: MoneyRequest, actor: Actor, now: dt.datetime | None = None
) -> MoneyRequest:
    """Record that the approved refund/replacement was carried out (by a person or an action)."""
    locked = MoneyRequest.objects.select_for_update().get(pk=request.pk)
    if locked.status not in (MoneyStatus.APPROVED, MoneyStatus.AUTO_APPROVED):
        raise Conflict(f"Only approved requests can be executed, not {locked.status}.")
    before = snapshot(locked, AUDIT_FIELDS)
    locked.status = MoneyStatus.EXECUTED
    locked.executed_at = now or timezone.now()
    locked.save(update_fields=["status", "executed_at"])
    audit_record(
        actor=actor,
        action="approvals.executed",
        obj=locked,
        before=before,
        after=snapshot(locked, AUDIT_FIELDS),
    )
    return locked
