"""What a reply on one ticket may state: the facts (variable -> value + source) and the
GroundingContext the guardrails check against, built from the ticket, its customer, its order
(lines, shipments, returns, refunds), the triage enrichment, the workflow state and the
knowledge base. A fixed number of queries per ticket."""

from __future__ import annotations

import datetime as dt
import functools
import os
import re
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser

from signaldesk.commerce.models import (
    Customer,
    CustomerIdentity,
    Order,
    RefundStatus,
    ReturnStatus,
    Shipment,
)
from signaldesk.core.errors import NotFound
from signaldesk.knowledge.selectors import knowledge_index
from signaldesk.replies.drafting.render import Fact
from signaldesk.replies.guardrails.types import (
    DEFAULT_POLICY_FILE,
    ActionAllowance,
    GroundingContext,
    GuardrailPolicy,
)
from signaldesk.taxonomy.selectors import reason_template
from signaldesk.tickets.models import Ticket

CURRENCY_SYMBOLS = {"EUR": "€", "GBP": "£", "USD": "$"}
DEFAULT_TRACKING_URLS = {
    "dhl": "https://www.dhl.com/track?tracking-id={tracking_number}",
    "ups": "https://www.ups.com/track?tracknum={tracking_number}",
    "dpd": "https://tracking.dpd.de/status/en_US/parcel/{tracking_number}",
    "fedex": "https://www.fedex.com/fedextrack/?trknbr={tracking_number}",
    "royal mail": "https://www.royalmail.com/track-your-item#/tracking-results/{tracking_number}",
    "postnl": "https://jouw.postnl.nl/track-and-trace/{tracking_number}",
    "gls": "https://gls-group.com/track/{tracking_number}",
}
# Taxonomy auto-actions -> the kinds of promise they allow (within the reason's money limit).
AUTO_ACTION_KINDS: dict[str, tuple[str, ...]] = {
    "reship_or_refund": ("replacement", "refund"),
    "refund_or_replace": ("refund", "replacement"),
    "replace_item": ("replacement",),
    "send_replacement": ("replacement",),
    "send_missing_item": ("replacement",),
    "create_exchange": ("replacement",),
    "issue_replacement_code": ("discount",),
}
APPROVED_WORKFLOW_STATES: dict[str, tuple[str, ...]] = {
    "approved": ("refund", "credit", "replacement"),
    "refunded": ("refund",),
    "credited": ("credit",),
    "shipped": ("replacement",),
    "exchanged": ("replacement",),
}


@dataclass(frozen=True)
class TicketGrounding:
    reason_id: str
    facts: dict[str, Fact]
    context: GroundingContext
    order: Order | None


@functools.cache
def _policy_from(path: str) -> GuardrailPolicy:
    return GuardrailPolicy.from_yaml(Path(path))


def guardrail_policy() -> GuardrailPolicy:
    """The policy from SIGNALDESK_GUARDRAILS_FILE (env or settings), else the shipped YAML."""
    path = os.environ.get("SIGNALDESK_GUARDRAILS_FILE") or getattr(
        settings, "SIGNALDESK_GUARDRAILS_FILE", ""
    )
    return _policy_from(str(path or DEFAULT_POLICY_FILE))


def money_text(amount: Decimal, currency: str) -> str:
    symbol = CURRENCY_SYMBOLS.get(currency.upper())
    return f"{symbol}{amount:.2f}" if symbol else f"{amount:.2f} {currency.upper()}"


def date_text(value: dt.date) -> str:
    return f"{value.day} {value.strftime('%B')} {value.year}"


def digits(number: str) -> str:
    return re.sub(r"\D", "", number)


def tracking_link(carrier: str, tracking_number: str) -> str:
    urls = getattr(settings, "SIGNALDESK_TRACKING_URLS", DEFAULT_TRACKING_URLS)
    template = urls.get(carrier.strip().lower(), "")
    return template.format(tracking_number=tracking_number) if template else ""


def _other_lookup(customer_id: int | None):  # type: ignore[no-untyped-def]
    """(kind, value) -> True when a different customer owns the identifier (DB lookups)."""

    def owned_by_other(kind: str, value: str) -> bool:
        if kind in ("email", "phone"):
            hit = CustomerIdentity.objects.filter(kind=kind, value=value)
            direct = Customer.objects.filter(**{kind: value})
            if customer_id is not None:
                hit = hit.exclude(customer_id=customer_id)
                direct = direct.exclude(pk=customer_id)
            return hit.exists() or direct.exists()
        if kind == "order":
            orders = Order.objects.filter(number__in=[value, f"#{value}"])
            if customer_id is not None:
                orders = orders.exclude(customer_id=customer_id)
            return orders.exclude(customer__isnull=True).exists()
        if kind == "tracking":
            ships = Shipment.objects.filter(tracking_number=value)
            if customer_id is not None:
                ships = ships.exclude(order__customer_id=customer_id)
            return ships.exists()
        return False

    return owned_by_other


def _first_name(name: str) -> str:
    return name.split()[0] if name.split() else ""


def ticket_grounding(*, ticket: Ticket, agent: AbstractBaseUser | None = None) -> TicketGrounding:
    customer: Customer | None = ticket.customer
    enrichment = getattr(ticket, "enrichment", None)
    order_id = ticket.order_id or (enrichment.order_id if enrichment is not None else None)
    order = (
        Order.objects.filter(pk=order_id)
        .prefetch_related("lines", "shipments", "returns", "refunds")
        .first()
        if order_id
        else None
    )
    facts: dict[str, Fact] = {}
    amounts: set[Decimal] = set()
    dates: set[tuple[int, int]] = set()
    tracking: set[str] = set()
    approved: list[ActionAllowance] = []

    def add_date(value: dt.date | dt.datetime | None) -> None:
        if value is not None:
            dates.add((value.month, value.day))

    if customer is not None and customer.name:
        facts["customer_name"] = Fact(_first_name(customer.name), "customer.name")
    if customer is not None and customer.email:
        facts["account_email"] = Fact(customer.email, "customer.email")
    if agent is not None:
        label = getattr(agent, "get_full_name", lambda: "")() or agent.get_username()
        facts["agent_name"] = Fact(str(label), "agent.name")
    if order is not None:
        facts["order_number"] = Fact(order.number, "order.number")
        lines = list(order.lines.all())
        if lines:
            facts["items"] = Fact(", ".join(line.name for line in lines), "order.lines")
            facts["product_name"] = Fact(lines[0].name, "order.lines[0].name")
        if order.discount_code:
            facts["discount_code"] = Fact(order.discount_code, "order.discount_code")
        for value in (order.total, order.subtotal, order.shipping, order.refunded_amount,
                      order.discount_amount, *(line.price for line in lines)):  # fmt: skip
            if value:
                amounts.add(Decimal(value))
        add_date(order.created_at)
        shipments = sorted(order.shipments.all(), key=lambda s: (s.shipped_at is None, s.pk))
        for shipment in shipments:
            tracking.add(shipment.tracking_number.upper().replace(" ", ""))
            for value in (shipment.shipped_at, shipment.promised_at, shipment.delivered_at):
                add_date(value)
        if shipments:
            ship = shipments[-1]
            facts["carrier"] = Fact(ship.carrier, "shipment.carrier")
            facts["tracking_number"] = Fact(ship.tracking_number, "shipment.tracking_number")
            facts["delivery_status"] = Fact(ship.get_status_display().lower(), "shipment.status")
            link = tracking_link(ship.carrier, ship.tracking_number)
            if link:
                facts["tracking_link"] = Fact(link, "shipment.tracking_number")
            if ship.promised_at:
                facts["promised_date"] = Fact(date_text(ship.promised_at), "shipment.promised_at")
        returns = sorted(order.returns.all(), key=lambda r: r.requested_at)
        for ret in returns:
            add_date(ret.requested_at)
            add_date(ret.received_at)
            if ret.refund_amount:
                amounts.add(Decimal(ret.refund_amount))
            if ret.status in (ReturnStatus.REFUNDED,):
                approved.append(ActionAllowance("refund", Decimal(ret.refund_amount) or None))
            if ret.status in (ReturnStatus.EXCHANGED,):
                approved.append(ActionAllowance("replacement"))
        if returns:
            facts["return_status"] = Fact(returns[-1].get_status_display().lower(), "return.status")
        refunds = sorted(order.refunds.all(), key=lambda r: r.created_at)
        for refund in refunds:
            amounts.add(Decimal(refund.amount))
            add_date(refund.created_at)
            add_date(refund.processed_at)
            if refund.status in (RefundStatus.APPROVED, RefundStatus.PAID):
                approved.append(ActionAllowance("refund", Decimal(refund.amount)))
        if refunds:
            last = refunds[-1]
            facts["refund_amount"] = Fact(money_text(last.amount, last.currency), "refund.amount")
            facts["refund_status"] = Fact(last.get_status_display().lower(), "refund.status")
            if last.processed_at:
                facts["refund_date"] = Fact(date_text(last.processed_at), "refund.processed_at")
        elif returns and returns[-1].refund_amount:
            ret = returns[-1]
            facts["refund_amount"] = Fact(
                money_text(ret.refund_amount, ret.currency), "return.refund_amount"
            )
    if enrichment is not None:
        for value in (enrichment.order_value, enrichment.refund_amount):
            if value is not None:
                amounts.add(Decimal(value))
        add_date(enrichment.promised_date)
        if enrichment.tracking_number:
            tracking.add(enrichment.tracking_number.upper())
        if "promised_date" not in facts and enrichment.promised_date:
            facts["promised_date"] = Fact(
                date_text(enrichment.promised_date), "enrichment.promised_date"
            )
        if "carrier" not in facts and enrichment.carrier:
            facts["carrier"] = Fact(enrichment.carrier, "enrichment.carrier")
    workflow_kinds = APPROVED_WORKFLOW_STATES.get(ticket.workflow_state, ())
    if ticket.ticket_type in ("refund", "replacement", "return") and workflow_kinds:
        approved.extend(ActionAllowance(kind) for kind in workflow_kinds)

    reason_id = ticket.contact_reason or "other"
    auto: list[ActionAllowance] = []
    try:
        template = reason_template(reason_id)
    except NotFound:
        template = None
    if template is not None and template.auto_action.allowed:
        for kind in AUTO_ACTION_KINDS.get(template.auto_action.action, ()):
            auto.append(ActionAllowance(kind, template.auto_action.limit))

    customer_orders: set[str] = set()
    emails: set[str] = set()
    phones: set[str] = set()
    names: set[str] = set()
    if customer is not None:
        customer_orders = {digits(n) for n in customer.orders.values_list("number", flat=True)}
        for kind, value in customer.identities.values_list("kind", "value"):
            (emails if kind == "email" else phones if kind == "phone" else set()).add(value)
        if customer.email:
            emails.add(customer.email.lower())
        if customer.phone:
            phones.add(customer.phone)
        if customer.name:
            names.update({customer.name, _first_name(customer.name)})
    if order is not None:
        customer_orders.add(digits(order.number))
    index = knowledge_index()
    policy_numbers = frozenset(n for p in index.passages for n in p.numbers)
    context = GroundingContext(
        known_amounts=frozenset(amounts),
        known_dates=frozenset(dates),
        known_tracking=frozenset(tracking),
        known_orders=frozenset(customer_orders),
        policy_numbers=policy_numbers,
        passages=index.passages,
        approved_actions=tuple(approved),
        auto_allowed_actions=tuple(auto),
        order_value=Decimal(order.total) if order is not None and order.total else None,
        customer_emails=frozenset(emails),
        customer_phones=frozenset(phones),
        customer_names=frozenset(names),
        other_customer_lookup=_other_lookup(customer.pk if customer is not None else None),
        language=ticket.language or "und",
    )
    return TicketGrounding(reason_id=reason_id, facts=facts, context=context, order=order)
