"""Reads for self-service: finding a customer's order (number AND email, one uniform answer when
either is wrong), the live status of its shipments, sessions, and the deflection rate per flow."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from urllib.parse import quote

from django.db.models import Count, Prefetch
from django.utils import timezone

from signaldesk.commerce.models import CustomerIdentity, Order, OrderLine, Shipment, ShipmentStatus
from signaldesk.core.errors import NotFound
from signaldesk.intake.identity import normalise_email
from signaldesk.selfservice.models import Flow, Outcome, SelfServiceSession
from signaldesk.triage.enrichment.load import order_spellings
from signaldesk.triage.text.entities import extract_entities

ORDER_NOT_FOUND = "We could not find an order with that order number and email address."
# Working days after the promised date after which the carrier is asked to investigate
# (knowledge article delivery.md says 5).
INVESTIGATE_AFTER_BUSINESS_DAYS = 5
TRACKING_URLS = {
    "dhl": "https://www.dhl.com/en/express/tracking.html?AWB={n}",
    "dpd": "https://tracking.dpd.de/status/en_US/parcel/{n}",
    "ups": "https://www.ups.com/track?tracknum={n}",
    "postnl": "https://postnl.nl/tracktrace/?B={n}",
    "gls": "https://gls-group.com/track/{n}",
}


class OrderNotFound(NotFound):
    code = "order_not_found"


def order_number_spellings(raw: str) -> tuple[str, ...]:
    """Stored spellings of an order number written any way ("#10023", "order no. 10023",
    "10023 ", "Bestellung 10023"): the intake entity extractor finds the number, enrichment's
    order_spellings gives the stored forms."""
    text = raw.strip()[:80]
    if not text:
        return ()
    found = extract_entities(f"order {text}").order_numbers
    value = found[0].value if found else text.lstrip("#").strip()
    return order_spellings(value)


def _email_or_blank(raw: str) -> str:
    try:
        return normalise_email(raw)
    except ValueError:
        return ""


def order_for_customer(*, number: str, email: str) -> Order:
    """The order with this number whose email (the order's, its customer's, or one of the
    customer's email identities) is `email`. Wrong number and wrong email raise the same
    OrderNotFound, so the answer never tells whether an order exists."""
    spellings = order_number_spellings(number)
    address = _email_or_blank(email)
    order = (
        Order.objects.select_related("customer").filter(number__in=spellings).order_by("pk").first()
        if spellings and address
        else None
    )
    if order is None or not _email_matches(order, address):
        raise OrderNotFound(ORDER_NOT_FOUND)
    return order


def _email_matches(order: Order, address: str) -> bool:
    if order.email.strip().lower() == address:
        return True
    customer = order.customer
    if customer is None:
        return False
    if customer.email.strip().lower() == address:
        return True
    return CustomerIdentity.objects.filter(customer=customer, kind="email", value=address).exists()


def order_with_details(order: Order) -> Order:
    """The same order with lines (variants, products), shipments and returns prefetched."""
    return (
        Order.objects.filter(pk=order.pk)
        .select_related("customer")
        .prefetch_related(
            Prefetch(
                "lines",
                queryset=OrderLine.objects.select_related("variant__product__category").order_by(
                    "line_no"
                ),
            ),
            Prefetch("shipments", queryset=Shipment.objects.order_by("shipped_at", "pk")),
            "shipments__items",
            "returns",
        )
        .get()
    )


@dataclass(frozen=True)
class ShipmentView:
    carrier: str
    tracking_number: str
    tracking_url: str
    status: str
    status_label: str
    shipped_on: dt.date | None
    promised_on: dt.date | None
    delivered_on: dt.date | None
    days_late: int  # calendar days past the promised date (0 when on time or delivered on time)
    investigate: bool  # late enough (or lost) to open an investigation with the carrier
    items: tuple[str, ...] = ()


@dataclass(frozen=True)
class OrderStatusView:
    number: str
    placed_on: dt.date
    headline: str
    advice: str
    cancelled: bool
    shipments: tuple[ShipmentView, ...] = ()
    late: bool = False
    investigate: bool = False
    lines: tuple[str, ...] = field(default_factory=tuple)

    @property
    def handover_reason(self) -> str:
        """The contact reason a "still need help" from this page is about."""
        if any(s.status == ShipmentStatus.LOST for s in self.shipments):
            return "lost_parcel"
        if self.late or self.investigate:
            return "delivery_delay"
        return "order_status"


def business_days_between(start: dt.date, end: dt.date) -> int:
    """Mon–Fri days after `start` up to and including `end` (0 when end <= start)."""
    days = 0
    current = start
    while current < end:
        current += dt.timedelta(days=1)
        if current.weekday() < 5:
            days += 1
    return days


def _local(value: dt.datetime | None) -> dt.date | None:
    return timezone.localtime(value).date() if value is not None else None


def shipment_view(shipment: Shipment, *, today: dt.date) -> ShipmentView:
    delivered = _local(shipment.delivered_at)
    promised = shipment.promised_at
    reference = delivered or today
    days_late = (reference - promised).days if promised and reference > promised else 0
    open_parcel = delivered is None and shipment.status != ShipmentStatus.RETURNED
    investigate = shipment.status == ShipmentStatus.LOST or (
        open_parcel
        and promised is not None
        and business_days_between(promised, today) >= INVESTIGATE_AFTER_BUSINESS_DAYS
    )
    template = TRACKING_URLS.get(shipment.carrier.strip().lower(), "")
    return ShipmentView(
        carrier=shipment.carrier,
        tracking_number=shipment.tracking_number,
        tracking_url=template.format(n=quote(shipment.tracking_number)) if template else "",
        status=shipment.status,
        status_label=shipment.get_status_display(),
        shipped_on=_local(shipment.shipped_at),
        promised_on=promised,
        delivered_on=delivered,
        days_late=days_late,
        investigate=investigate,
        items=tuple(f"{i.quantity} × {i.sku}" for i in shipment.items.all()),
    )


def order_status_view(order: Order, *, today: dt.date | None = None) -> OrderStatusView:
    """Live status of an order for the customer: each shipment with carrier, tracking, promised
    date, and what to do when it is late."""
    today = today or timezone.localdate()
    detailed = order_with_details(order)
    shipments = tuple(shipment_view(s, today=today) for s in detailed.shipments.all())
    lines = tuple(f"{ln.quantity} × {ln.name}" for ln in detailed.lines.all())
    placed = _local(detailed.created_at) or today
    late = any(s.days_late > 0 and s.delivered_on is None for s in shipments)
    investigate = any(s.investigate for s in shipments)
    if detailed.cancelled_at is not None:
        headline, advice = "This order was cancelled.", "Any payment is refunded automatically."
    elif not shipments:
        headline = "We are preparing your order."
        advice = "You get an email with the tracking link as soon as it ships."
    elif any(s.status == ShipmentStatus.RETURNED for s in shipments):
        headline = "Your parcel is on its way back to us."
        advice = (
            "The carrier could not deliver it. Choose 'Still need help' and we resend it or "
            "refund you."
        )
    elif any(s.status == ShipmentStatus.FAILED_DELIVERY for s in shipments):
        headline = "The carrier could not deliver your parcel."
        advice = (
            "Check the tracking link for where to pick it up or to choose a new delivery day. "
            "Choose 'Still need help' if that does not work."
        )
    elif all(s.delivered_on is not None for s in shipments):
        headline = "Your order has been delivered."
        advice = "Something wrong with it? You can start a return from this page."
    elif any(s.status == ShipmentStatus.LOST for s in shipments):
        headline = "The carrier reports your parcel as lost."
        advice = (
            "We replace or refund it once the carrier's investigation is closed. Choose 'Still "
            "need help' and we start that now."
        )
    elif investigate:
        headline = "Your parcel is late."
        advice = (
            "It is more than 5 working days past the promised date (or the carrier reports it "
            "lost). We can open an investigation with the carrier: choose 'Still need help' and "
            "we take it from here."
        )
    elif late:
        headline = "Your parcel is running late."
        advice = (
            "Carriers often update the expected date: check the tracking link. If it has not "
            "arrived 5 working days after the promised date, come back and we open an "
            "investigation with the carrier."
        )
    else:
        headline = "Your order is on its way."
        advice = "Follow it with the tracking link below."
    return OrderStatusView(
        number=detailed.number,
        placed_on=placed,
        headline=headline,
        advice=advice,
        cancelled=detailed.cancelled_at is not None,
        shipments=shipments,
        late=late,
        investigate=investigate,
        lines=lines,
    )


def session_by_token(*, token: str, flow: str | None = None) -> SelfServiceSession:
    session = (
        SelfServiceSession.objects.filter(token=token).first()
        if token and len(token) < 65
        else None
    )
    if session is None or (flow is not None and session.flow != flow):
        raise NotFound("This help session has expired; please start again.", code="no_session")
    return session


@dataclass(frozen=True)
class FlowDeflection:
    flow: str
    label: str
    started: int
    open: int
    resolved: int
    handed_over: int
    abandoned: int

    @property
    def ended(self) -> int:
        return self.resolved + self.handed_over + self.abandoned

    @property
    def deflection_rate(self) -> float | None:
        """Resolved without a ticket, as a share of the sessions that ended."""
        return round(self.resolved / self.ended, 4) if self.ended else None

    @property
    def handover_rate(self) -> float | None:
        return round(self.handed_over / self.ended, 4) if self.ended else None


def deflection_by_flow(*, since: dt.datetime, until: dt.datetime) -> list[FlowDeflection]:
    """Sessions started in [since, until) per flow and how they ended: one grouped query."""
    counts = {
        (row["flow"], row["outcome"]): row["n"]
        for row in SelfServiceSession.objects.filter(started_at__gte=since, started_at__lt=until)
        .order_by()
        .values("flow", "outcome")
        .annotate(n=Count("id"))
    }
    out: list[FlowDeflection] = []
    for flow in Flow:
        per = {o: counts.get((flow.value, o.value), 0) for o in Outcome}
        out.append(
            FlowDeflection(
                flow=flow.value,
                label=str(flow.label),
                started=sum(per.values()),
                open=per[Outcome.OPEN],
                resolved=per[Outcome.RESOLVED],
                handed_over=per[Outcome.HANDED_OVER],
                abandoned=per[Outcome.ABANDONED],
            )
        )
    return out
