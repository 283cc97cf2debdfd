"""Reads for proactive campaigns: who is affected (the audience) and what came back (the report).

Audience: the orders matching every criterion that is set (not cancelled) → their customers
(a merged duplicate counts as the customer it was merged into) → one member per customer with
the affected order numbers. Customers nobody can write to (no e-mail address, or erased where
the customer model records erasure) are counted, not listed. `wrote` marks members who already
have a ticket about one of the affected orders; the others have not written yet."""

from __future__ import annotations

import csv
import datetime as dt
import io
from collections import defaultdict
from dataclasses import dataclass, field

from django.db.models import Exists, OuterRef, Q, QuerySet
from django.utils import timezone

from signaldesk.approvals.models import MoneyKind, MoneyRequest
from signaldesk.commerce.models import Customer, Order, OrderLine, Shipment, ShipmentItem
from signaldesk.privacy.models import ErasureRecord
from signaldesk.proactive.models import CampaignRecipient, ProactiveCampaign
from signaldesk.tickets.models import Ticket

# What a reply ticket's contact reason says the customer asked for (the money requests on the
# ticket count too: kind refund / replacement).
REFUND_REASONS = frozenset({"return_request", "refund_status", "cancellation"})
REPLACEMENT_REASONS = frozenset({"exchange_request", "warranty_request", "substitution"})
MERGE_DEPTH = 5


@dataclass(frozen=True)
class Criteria:
    carrier: str = ""
    region: str = ""
    shipped_from: dt.date | None = None
    shipped_to: dt.date | None = None
    skus: tuple[str, ...] = ()
    batches: tuple[str, ...] = ()
    ordered_from: dt.date | None = None
    ordered_to: dt.date | None = None

    @classmethod
    def of(cls, campaign: ProactiveCampaign) -> Criteria:
        return cls(
            carrier=campaign.carrier,
            region=campaign.region,
            shipped_from=campaign.shipped_from,
            shipped_to=campaign.shipped_to,
            skus=tuple(campaign.skus or ()),
            batches=tuple(campaign.batches or ()),
            ordered_from=campaign.ordered_from,
            ordered_to=campaign.ordered_to,
        )

    @property
    def empty(self) -> bool:
        return self == Criteria()


@dataclass(frozen=True)
class Member:
    customer_id: int
    name: str
    email: str
    order_numbers: tuple[str, ...]
    wrote: bool


@dataclass
class Audience:
    members: list[Member] = field(default_factory=list)
    orders: int = 0
    no_contact: int = 0  # customers left out: no e-mail address or erased
    orders_without_customer: int = 0

    @property
    def not_written(self) -> int:
        return sum(1 for m in self.members if not m.wrote)


def _start_of(day: dt.date) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(), tzinfo=timezone.get_current_timezone())


def affected_orders(criteria: Criteria) -> QuerySet[Order]:
    qs = Order.objects.filter(cancelled_at__isnull=True)
    if criteria.carrier or criteria.region or criteria.shipped_from or criteria.shipped_to:
        ship = Shipment.objects.filter(order_id=OuterRef("pk"))
        if criteria.carrier:
            ship = ship.filter(carrier__iexact=criteria.carrier)
        if criteria.region:
            ship = ship.filter(region__iexact=criteria.region)
        if criteria.shipped_from:
            ship = ship.filter(shipped_at__gte=_start_of(criteria.shipped_from))
        if criteria.shipped_to:
            ship = ship.filter(shipped_at__lt=_start_of(criteria.shipped_to + dt.timedelta(1)))
        qs = qs.filter(Exists(ship))
    if criteria.skus:
        lines = OrderLine.objects.filter(order_id=OuterRef("pk"), sku__in=criteria.skus)
        qs = qs.filter(Exists(lines))
    if criteria.batches:
        in_lines = OrderLine.objects.filter(
            order_id=OuterRef("pk"), batch__code__in=criteria.batches
        )
        in_shipments = ShipmentItem.objects.filter(
            shipment__order_id=OuterRef("pk"), batch__code__in=criteria.batches
        )
        qs = qs.filter(Q(Exists(in_lines)) | Q(Exists(in_shipments)))
    if criteria.ordered_from:
        qs = qs.filter(created_at__gte=_start_of(criteria.ordered_from))
    if criteria.ordered_to:
        qs = qs.filter(created_at__lt=_start_of(criteria.ordered_to + dt.timedelta(1)))
    return qs


def _survivors(ids: set[int]) -> dict[int, int]:
    """customer id → the customer it was (finally) merged into, itself when not merged."""
    target = {i: i for i in ids}
    for _ in range(MERGE_DEPTH):
        merged = dict(
            Customer.objects.filter(pk__in=set(target.values()), merged_into__isnull=False)
            .values_list("pk", "merged_into_id")
            .iterator()
        )
        if not merged:
            break
        target = {k: merged.get(v, v) for k, v in target.items()}
    return target


def _contactable(customers: QuerySet[Customer]) -> QuerySet[Customer]:
    # customers whose personal data was erased (privacy) are never notified
    erased = ErasureRecord.objects.values("customer_id")
    return customers.exclude(email="").exclude(pk__in=erased)


def campaign_audience(criteria: Criteria) -> Audience:
    """Every affected customer once, ordered by customer id. Empty criteria select nobody."""
    audience = Audience()
    if criteria.empty:
        return audience
    orders = affected_orders(criteria)
    by_customer: dict[int, list[str]] = defaultdict(list)
    for number, customer_id in orders.order_by("pk").values_list("number", "customer_id"):
        audience.orders += 1
        if customer_id is None:
            audience.orders_without_customer += 1
        else:
            by_customer[customer_id].append(number)
    survivors = _survivors(set(by_customer))
    merged: dict[int, list[str]] = defaultdict(list)
    for customer_id, numbers in by_customer.items():
        merged[survivors[customer_id]].extend(numbers)
    wrote = set(
        Ticket.objects.filter(order__in=orders, customer_id__isnull=False).values_list(
            "customer_id", flat=True
        )
    )
    everyone = Customer.objects.filter(pk__in=list(merged))
    reachable = _contactable(everyone).order_by("pk").values_list("pk", "name", "email")
    for pk, name, email in reachable:
        audience.members.append(
            Member(pk, name, email, tuple(sorted(merged[pk])), wrote=pk in wrote)
        )
    audience.no_contact = len(merged) - len(audience.members)
    return audience


@dataclass(frozen=True)
class RecipientRow:
    recipient: CampaignRecipient
    reason: str
    asked_refund: bool
    asked_replacement: bool


@dataclass
class CampaignReport:
    rows: list[RecipientRow]

    @property
    def notified(self) -> int:
        return sum(1 for r in self.rows if r.recipient.notified_at is not None)

    @property
    def replied(self) -> int:
        return sum(1 for r in self.rows if r.recipient.replied_at is not None)

    @property
    def asked_refund(self) -> int:
        return sum(1 for r in self.rows if r.asked_refund)

    @property
    def asked_replacement(self) -> int:
        return sum(1 for r in self.rows if r.asked_replacement)

    def counts(self) -> dict[str, int]:
        return {
            "recipients": len(self.rows),
            "notified": self.notified,
            "replied": self.replied,
            "asked_refund": self.asked_refund,
            "asked_replacement": self.asked_replacement,
        }


def campaign_report(*, campaign: ProactiveCampaign) -> CampaignReport:
    """Who was told, who answered, and who asked for a refund or a replacement (from the reply
    ticket's contact reason and its money requests). Three queries, whatever the size."""
    recipients = list(
        CampaignRecipient.objects.filter(campaign=campaign).select_related("ticket").order_by("pk")
    )
    ticket_ids = [r.ticket_id for r in recipients if r.ticket_id is not None]
    kinds: dict[int, set[str]] = defaultdict(set)
    for ticket_id, kind in MoneyRequest.objects.filter(ticket_id__in=ticket_ids).values_list(
        "ticket_id", "kind"
    ):
        kinds[ticket_id].add(kind)
    rows = []
    for r in recipients:
        reason = r.ticket.contact_reason if r.ticket is not None else ""
        asked = kinds.get(r.ticket_id or 0, set())
        rows.append(
            RecipientRow(
                recipient=r,
                reason=reason,
                asked_refund=reason in REFUND_REASONS or MoneyKind.REFUND in asked,
                asked_replacement=reason in REPLACEMENT_REASONS or MoneyKind.REPLACEMENT in asked,
            )
        )
    return CampaignReport(rows)


CSV_HEADER = (
    "customer_id", "email", "orders", "notified_at", "replied_at", "ticket_id", "contact_reason",
    "asked_refund", "asked_replacement", "reference",
)  # fmt: skip


def _iso(value: dt.datetime | None) -> str:
    return value.isoformat() if value is not None else ""


def _cell(value: object) -> object:
    """Text that a spreadsheet would run as a formula is prefixed with a quote."""
    text = str(value)
    return f"'{text}" if text[:1] in ("=", "+", "-", "@") else value


def campaign_csv(report: CampaignReport) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(CSV_HEADER)
    for row in report.rows:
        r = row.recipient
        writer.writerow(
            [
                r.customer_id,
                _cell(r.email),
                _cell(" ".join(r.order_numbers)),
                _iso(r.notified_at),
                _iso(r.replied_at),
                r.ticket_id or "",
                row.reason,
                int(row.asked_refund),
                int(row.asked_replacement),
                r.reference,
            ]
        )
    return out.getvalue()


def campaign_get(*, campaign_id: int) -> ProactiveCampaign | None:
    return ProactiveCampaign.objects.filter(pk=campaign_id).first()


def campaigns_list() -> QuerySet[ProactiveCampaign]:
    return ProactiveCampaign.objects.all()
