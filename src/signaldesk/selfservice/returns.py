"""The return/exchange flow: which lines of an order can be returned today (returns.yaml via
eligibility.py), the size offered in exchange for sizing returns, and starting the return (an
RMA number and the facts for the printable return document)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from django.db import transaction
from django.db.models import Sum
from django.utils import timezone

from signaldesk.commerce.models import Order, OrderLine, Return, ReturnStatus, Variant
from signaldesk.core.audit import Actor, audit_record
from signaldesk.core.errors import ValidationError
from signaldesk.selfservice.eligibility import (
    LineEligibility,
    LineFacts,
    ReturnReason,
    ReturnsPolicy,
    line_eligibility,
    returns_policy,
)
from signaldesk.selfservice.models import SelfServiceSession
from signaldesk.selfservice.selectors import order_with_details
from signaldesk.selfservice.services import session_answered, session_step
from signaldesk.selfservice.sizes import neighbour_size


@dataclass(frozen=True)
class ExchangeOffer:
    direction: str  # larger / smaller
    size: str
    sku: str


@dataclass(frozen=True)
class ReturnLine:
    line_no: int
    name: str
    sku: str
    size: str
    colour: str
    quantity: int
    price: Decimal
    eligibility: LineEligibility
    exchanges: tuple[ExchangeOffer, ...]  # sizes in stock-keeping units of the same product

    def exchange(self, direction: str) -> ExchangeOffer | None:
        return next((e for e in self.exchanges if e.direction == direction), None)

    @property
    def larger(self) -> str:
        offer = self.exchange("larger")
        return offer.size if offer else ""

    @property
    def smaller(self) -> str:
        offer = self.exchange("smaller")
        return offer.size if offer else ""


def _delivered_on(order: Order, line: OrderLine) -> dt.date | None:
    """The delivery date of the shipment that carried the line (by SKU), else of the order's
    only delivered shipment."""
    shipments = list(order.shipments.all())
    carrying = [s for s in shipments if any(i.sku == line.sku for i in s.items.all())]
    candidates = carrying or shipments
    dates = [timezone.localtime(s.delivered_at).date() for s in candidates if s.delivered_at]
    return max(dates) if dates and len(dates) == len(candidates) else None


def _exchanges(line: OrderLine, siblings: list[Variant]) -> tuple[ExchangeOffer, ...]:
    variant = line.variant
    if variant is None or not variant.size:
        return ()
    same_colour = [v for v in siblings if v.colour == variant.colour and v.size]
    sizes = [v.size for v in same_colour]
    offers: list[ExchangeOffer] = []
    for direction in ("larger", "smaller"):
        size = neighbour_size(variant.size, sizes, direction=direction)
        match = next((v for v in same_colour if v.size == size), None)
        if size and match is not None:
            offers.append(ExchangeOffer(direction=direction, size=size, sku=match.sku))
    return tuple(offers)


def return_lines(
    order: Order, *, today: dt.date | None = None, policy: ReturnsPolicy | None = None
) -> list[ReturnLine]:
    """Every line of the order with its eligibility today and the exchange sizes on offer."""
    today = today or timezone.localdate()
    policy = policy or returns_policy()
    detailed = order_with_details(order)
    returned = {
        row["sku"]: row["n"]
        for row in Return.objects.filter(order=detailed)
        .exclude(status=ReturnStatus.REJECTED)
        .order_by()
        .values("sku")
        .annotate(n=Sum("quantity"))
    }
    lines = list(detailed.lines.all())
    product_ids = {ln.variant.product_id for ln in lines if ln.variant is not None}
    siblings: dict[int, list[Variant]] = {}
    for v in Variant.objects.filter(product_id__in=product_ids).order_by("pk"):
        siblings.setdefault(v.product_id, []).append(v)
    out: list[ReturnLine] = []
    for line in lines:
        variant = line.variant
        product = variant.product if variant is not None else None
        facts = LineFacts(
            line_no=line.line_no,
            sku=line.sku,
            name=line.name,
            quantity=line.quantity,
            returned_quantity=int(returned.get(line.sku, 0)),
            delivered_on=_delivered_on(detailed, line),
            category=product.category.name if product and product.category else "",
            product_type=product.product_type if product else "",
            tags=tuple(str(t) for t in (product.tags if product else ()) or ()),
        )
        out.append(
            ReturnLine(
                line_no=line.line_no,
                name=line.name,
                sku=line.sku,
                size=variant.size if variant else "",
                colour=variant.colour if variant else "",
                quantity=line.quantity,
                price=line.price,
                eligibility=line_eligibility(facts, policy, today=today),
                exchanges=_exchanges(line, siblings.get(product.pk, []) if product else []),
            )
        )
    return out


def refund_estimate(line: ReturnLine, reason: ReturnReason, policy: ReturnsPolicy) -> Decimal:
    amount = line.price * line.quantity
    if not reason.free_label:
        amount -= policy.return_fee
    return max(amount, Decimal("0.00"))


def _rma_for(order: Order, line_no: int) -> str:
    base = f"RMA-{order.number.lstrip('#')}-{line_no}"
    taken = set(Return.objects.filter(rma__startswith=base).values_list("rma", flat=True))
    if base not in taken:
        return base
    n = 2
    while f"{base}-{n}" in taken:
        n += 1
    return f"{base}-{n}"


@dataclass(frozen=True)
class ReturnStarted:
    outcome: str  # created / handover / refused
    message: str
    return_request: Return | None = None
    reason: ReturnReason | None = None
    line: ReturnLine | None = None


@transaction.atomic
def return_start(
    *,
    session: SelfServiceSession,
    order: Order,
    line_no: int,
    reason_code: str,
    condition_code: str,
    exchange: bool,
    note: str,
    actor: Actor,
    today: dt.date | None = None,
) -> ReturnStarted:
    """Start a return of one line: eligibility is checked again here (never trust the form), the
    stated condition decides whether it can be finished online, and an approved Return with an
    RMA number is created (with the exchange SKU when an exchange was chosen)."""
    policy = returns_policy()
    reason = policy.reason(reason_code)
    condition = policy.condition(condition_code)
    line = next((ln for ln in return_lines(order, today=today) if ln.line_no == line_no), None)
    if line is None:
        raise ValidationError("That item is not on this order.", code="line")
    session_step(
        session=session,
        step="return_reason",
        data={"line_no": line_no, "reason": reason.code, "condition": condition.code},
    )
    if not line.eligibility.eligible:
        return ReturnStarted("refused", line.eligibility.message, reason=reason, line=line)
    if condition.outcome == "not_eligible":
        message = "Items that were worn or used, or whose tags were removed, cannot be returned."
        return ReturnStarted("refused", message, reason=reason, line=line)
    if condition.outcome == "handover":
        message = "A colleague will sort this out with you: damaged and faulty items are checked."
        return ReturnStarted("handover", message, reason=reason, line=line)
    offer = line.exchange(reason.exchange) if exchange and reason.exchange else None
    now = timezone.now()
    created = Return.objects.create(
        rma=_rma_for(order, line.line_no),
        order=order,
        sku=line.sku,
        variant_id=OrderLine.objects.filter(order=order, line_no=line_no)
        .values_list("variant_id", flat=True)
        .first(),
        quantity=line.quantity,
        reason_code=reason.code,
        reason_text=(note.strip()[:2000] or reason.label),
        status=ReturnStatus.APPROVED,
        requested_at=now,
        refund_amount=Decimal("0.00") if offer else refund_estimate(line, reason, policy),
        currency=order.currency,
        exchange_sku=offer.sku if offer else "",
    )
    audit_record(
        actor=actor,
        action="selfservice.return_started",
        obj=created,
        after={
            "rma": created.rma,
            "order": order.pk,
            "sku": line.sku,
            "reason": reason.code,
            "exchange_sku": created.exchange_sku,
        },
    )
    session_answered(session=session, step="rma_issued", data={"rma": created.rma})
    SelfServiceSession.objects.filter(pk=session.pk).update(return_request=created)
    return ReturnStarted("created", "Your return is registered.", created, reason, line)
