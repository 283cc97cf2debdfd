"""What happens after an order: returns, refunds, reviews and every reason the customer has to
contact support. All of it is decided when the order is generated, so the order row can carry its
Refunded Amount; rows and contacts are queued and written when their time comes."""

from __future__ import annotations

import random
from collections.abc import Callable

from signaldesk.demo.catalog import Catalog, larger_variant, smaller_variant
from signaldesk.demo.clock import DAY, HOUR, Clock
from signaldesk.demo.fulfilment import delivered_ok
from signaldesk.demo.incidents import Incidents
from signaldesk.demo.model import Contact, Line, Order, Shipment
from signaldesk.demo.rand import between
from signaldesk.demo.text.reviews import review_text

Emit = Callable[[int, str, object], None]
"""emit(time, kind, payload): kind is 'return', 'review' or 'contact'."""

BASE_SCALE = 0.7
"""Calibrates the default contact rate to ~8 % of orders."""
HOME = frozenset({"Bedding", "Kitchen", "Lighting"})
NON_ORDER = (
    ("checkout_problem", 20),
    ("account_issue", 22),
    ("stock_availability", 25),
    ("back_in_stock", 15),
    ("preorder", 8),
    ("sizing", 25),
    ("subscription_change", 14),
    ("other", 20),
    ("discount_code", 8),
    ("product_instructions", 6),
)
REASON_TEXT = {
    "too_small": ("Too small", "came up small, need a bigger size", "way too tight"),
    "too_large": ("Too big", "too loose around the waist", "much bigger than expected"),
    "damaged": ("Arrived damaged", "cracked when I opened the box", "broken"),
    "not_as_described": ("Colour not as shown", "looks different from the photos"),
    "changed_mind": ("Changed my mind", "don't need it anymore", "ordered two sizes"),
    "wrong_item": ("Wrong item sent", "not what I ordered"),
    "quality": ("Poor quality", "seam came apart", "pilling after one wash"),
}


class Aftercare:
    def __init__(
        self,
        *,
        rng: random.Random,
        clock: Clock,
        catalog: Catalog,
        incidents: Incidents,
        scale: float,
        emit: Emit,
    ) -> None:
        self.rng = rng
        self.clock = clock
        self.catalog = catalog
        self.inc = incidents
        self.scale = scale
        self.emit = emit

    def p(self, base: float) -> bool:
        return self.rng.random() < min(0.97, base * self.scale * BASE_SCALE)

    def contact(self, t: int, reason: str, order: Order | None, cust: int, **kw: object) -> None:
        t = self._office_shift(t)
        if t < self.clock.end:
            c = Contact(t=t, reason=reason, customer=cust, order=order, **kw)  # type: ignore[arg-type]
            c.marketplace = order is not None and order.source == "marketplace"
            self.emit(t, "contact", c)

    def _office_shift(self, t: int) -> int:
        """People write less at weekends and at night: some of those contacts move to Monday or
        the next morning (the weekday seasonality)."""
        rng, wd = self.rng, self.clock.weekday(t)
        if wd >= 5 and rng.random() < 0.4:
            return (t // DAY + 7 - wd) * DAY + between(rng, 8 * HOUR, 12 * HOUR)
        if t % DAY < 6 * HOUR and rng.random() < 0.6:
            return t // DAY * DAY + between(rng, 7 * HOUR, 10 * HOUR)
        return t

    def before_shipping(self, order: Order) -> None:
        """Contacts that can stop the order: cancellation and wrong address."""
        rng = self.rng
        if order.source != "pos" and self.p(0.004):
            t = order.t + between(rng, 600, 8 * HOUR)
            if rng.random() < 0.7:
                order.cancelled = True
                order.refunded = order.total
            self.contact(t, "cancellation", order, order.customer)
        if order.source != "pos" and self.p(0.0025):
            self.contact(
                order.t + between(rng, 900, 12 * HOUR), "wrong_address", order, order.customer
            )

    def after_shipping(self, order: Order) -> None:
        rng, end, cust = self.rng, self.clock.end, order.customer
        day = order.t // DAY
        if self.p(0.002):
            self.contact(
                order.t + between(rng, HOUR, 3 * DAY),
                "payment_issue",
                order,
                cust,
                amount=order.total,
            )
        if order.campaign == self.inc.promo.slug and not order.code:
            broken = self.inc.promo_broken(order.source, day)
            if self.p(0.22 if broken else 0.01):
                self.contact(
                    order.t + between(rng, 600, 2 * DAY),
                    "discount_code",
                    order,
                    cust,
                    code=self.inc.promo.code,
                    incident="INC-3-promo-mobile" if broken else "",
                )
        if self.p(0.0015):
            self.contact(order.t + between(rng, HOUR, 10 * DAY), "complaint", order, cust)
        if self.p(0.001):
            self.contact(
                order.t + between(rng, HOUR, 2 * DAY),
                "substitution",
                order,
                cust,
                line=order.lines[0],
            )
        if order.cancelled:
            return
        for s in order.shipments:
            self._shipment_contacts(order, s)
            if delivered_ok(s, end):
                assert s.delivered is not None
                for line in s.lines:
                    self._line(order, s, line, s.delivered)
        if order.source == "pos":
            for line in order.lines:
                if rng.random() < 0.03:
                    self._review(order, line, order.t + between(rng, DAY, 10 * DAY), "great")

    def _shipment_contacts(self, order: Order, s: Shipment) -> None:
        rng, cust = self.rng, order.customer
        promised_end = (s.promised_day + 1) * DAY
        assert s.shipped is not None
        incident = ""
        if self.inc.carrier_delayed(s.carrier, s.region, s.shipped // DAY):
            incident = "INC-2-carrier-delay"
        if s.late:
            last = s.delivered if s.delivered is not None else promised_end + 6 * DAY
            if last > promised_end + 2 * HOUR and self.p(0.45 if incident else 0.3):
                t = between(rng, promised_end + 2 * HOUR, max(promised_end + 3 * HOUR, last))
                reason = "delivery_delay" if rng.random() < 0.7 else "order_status"
                self.contact(t, reason, order, cust, shipment=s, incident=incident)
        elif self.p(0.008):
            t = between(rng, s.shipped, promised_end)
            self.contact(t, "order_status", order, cust, shipment=s)
        if s.problem == "lost" and self.p(0.85):
            t = promised_end + between(rng, 2 * DAY, 8 * DAY)
            self.contact(t, "lost_parcel", order, cust, shipment=s)
        if s.problem in ("failed_delivery", "failed_then_delivered") and self.p(0.3):
            assert s.delivered is not None
            attempt = s.delivered if s.problem == "failed_delivery" else s.delivered - DAY
            self.contact(
                attempt + between(rng, HOUR, 20 * HOUR), "failed_delivery", order, cust, shipment=s
            )
        if s.problem == "damaged" and self.p(0.75):
            assert s.delivered is not None
            self.contact(
                s.delivered + between(rng, HOUR, DAY),
                "damaged_parcel",
                order,
                cust,
                shipment=s,
                line=s.lines[0],
            )

    def _line(self, order: Order, s: Shipment, line: Line, delivered: int) -> None:
        rng, cust = self.rng, order.customer
        product = self.catalog.products[line.variant.product]
        cat = product.category
        soon = delivered + between(rng, 2 * HOUR, 3 * DAY)
        in_batch = line.batch == self.inc.damaged_batch
        if rng.random() < (0.25 if in_batch else 0.003):
            inc = "INC-1-damaged-batch" if in_batch else ""
            if self.p(0.8):
                self.contact(soon, "damaged_item", order, cust, line=line, incident=inc)
            if rng.random() < 0.55:
                self._return(order, line, delivered, "damaged")
            if rng.random() < 0.35:
                self._review(order, line, soon + between(rng, DAY, 5 * DAY), "damaged")
            return
        if rng.random() < product.quality * 0.6:
            if self.p(0.5):
                self.contact(soon, "quality_issue", order, cust, line=line)
            if rng.random() < 0.5:
                self._return(order, line, delivered, "quality")
            if rng.random() < 0.3:
                self._review(order, line, soon + 2 * DAY, "poor")
            return
        if rng.random() < 0.002:
            if self.p(0.9):
                self.contact(soon, "wrong_item", order, cust, line=line)
            if rng.random() < 0.8:
                self._return(order, line, delivered, "wrong_item")
            return
        if len(order.lines) > 1 and rng.random() < 0.0015:
            if self.p(0.9):
                self.contact(soon, "missing_item", order, cust, line=line)
            return
        if cat.apparel:
            fit_p = 0.42 if product.runs_small else 0.09
            if rng.random() < fit_p:
                small = product.runs_small or rng.random() < 0.5
                self._fit(order, line, delivered, small, product.runs_small)
                return
        if cat.name in HOME and rng.random() < 0.004 and self.p(1.0):
            self.contact(soon, "product_instructions", order, cust, line=line)
        if cat.name in ("Shoes", "Lighting") and rng.random() < 0.0015 and self.p(0.5):
            self.contact(
                delivered + between(rng, 20 * DAY, 80 * DAY),
                "warranty_request",
                order,
                cust,
                line=line,
            )
        r = rng.random()
        if r < cat.return_rate * 0.12:
            self._return(order, line, delivered, "not_as_described")
            if self.p(0.08):
                self.contact(soon, "expectation_mismatch", order, cust, line=line)
        elif r < cat.return_rate * 0.55:
            self._return(order, line, delivered, "changed_mind")
        elif rng.random() < 0.045:
            q = product.quality
            kind = "great" if rng.random() > q * 40 else "ok" if rng.random() < 0.6 else "poor"
            self._review(order, line, delivered + between(rng, 3 * DAY, 20 * DAY), kind)

    def _fit(self, order: Order, line: Line, delivered: int, small: bool, runs_small: bool) -> None:
        rng, cust = self.rng, order.customer
        other = (larger_variant if small else smaller_variant)(self.catalog, line.variant)
        inc = "INC-4-runs-small" if runs_small else ""
        exchange = other is not None and rng.random() < 0.4
        if rng.random() < 0.75:
            self._return(
                order,
                line,
                delivered,
                "too_small" if small else "too_large",
                exchange_sku=other.sku if exchange and other else "",
            )
        if self.p(0.22 if runs_small else 0.08):
            t = delivered + between(rng, 2 * HOUR, 4 * DAY)
            reason = (
                "exchange_request"
                if exchange and rng.random() < 0.35
                else ("fit" if rng.random() < 0.8 else "sizing")
            )
            self.contact(t, reason, order, cust, line=line, incident=inc)
        if rng.random() < (0.12 if runs_small else 0.03):
            kind = "small" if runs_small else "fit"
            self._review(order, line, delivered + between(rng, 2 * DAY, 12 * DAY), kind)

    def _return(
        self, order: Order, line: Line, delivered: int, reason: str, exchange_sku: str = ""
    ) -> None:
        rng, end = self.rng, self.clock.end
        req = delivered + between(rng, 6 * HOUR, 14 * DAY)
        if req >= end:
            return
        approved = req + between(rng, HOUR, DAY)
        sent = approved + between(rng, DAY, 4 * DAY)
        received = sent + between(rng, 2 * DAY, 5 * DAY)
        done = received + between(rng, DAY, 9 * DAY)
        rejected = reason == "changed_mind" and rng.random() < 0.03
        amount = round(line.price * line.qty * (1 - order.pct), 2)
        if done < end:
            status = "rejected" if rejected else "exchanged" if exchange_sku else "refunded"
        else:
            status = (
                "received"
                if received < end
                else "in_transit"
                if sent < end
                else "approved"
                if approved < end
                else "requested"
            )
        refund = amount if status == "refunded" else 0.0
        order.refunded = round(order.refunded + refund, 2)
        texts = REASON_TEXT[reason]
        row = [
            f"RMA-{order.number}-{order.lines.index(line) + 1}",
            f"#{order.number}",
            line.variant.sku,
            line.qty,
            reason,
            rng.choice(texts),
            status,
            self.clock.iso(req),
            self.clock.iso(received) if received < end else "",
            f"{0.0 if exchange_sku or status == 'rejected' else amount:.2f}",
            "EUR",
            exchange_sku,
        ]
        self.emit(req, "return", row)
        cust = order.customer
        if self.p(0.04):
            self.contact(req - between(rng, HOUR, DAY), "return_request", order, cust, line=line)
        if (
            not exchange_sku
            and received < end
            and self.p(0.12 if done - received > 6 * DAY else 0.03)
        ):
            t = received + between(rng, 2 * DAY, 10 * DAY)
            self.contact(t, "refund_status", order, cust, line=line, amount=amount)

    def _review(self, order: Order, line: Line, t: int, kind: str) -> None:
        if t >= self.clock.end:
            return
        rng = self.rng
        rating = {
            "great": rng.choice((5, 5, 4)),
            "ok": rng.choice((3, 4)),
            "poor": 2,
            "damaged": rng.choice((1, 1, 2)),
            "small": rng.choice((2, 3, 3)),
            "fit": 3,
        }[kind]
        title, body = review_text(rng, kind)
        source = rng.choice(("product_page", "post_purchase_email", "product_page", "trustpilot"))
        self.emit(
            t,
            "review",
            [
                line.variant.sku,
                rating,
                self.clock.iso(t),
                title,
                body,
                f"#{order.number}",
                order.customer,
                source,
            ],
        )

    def non_order_contacts(self, day: int, n_orders: int, pick_customer: Callable[[], int]) -> None:
        rng = self.rng
        reasons = [r for r, _ in NON_ORDER]
        weights = [w for _, w in NON_ORDER]
        n = sum(1 for _ in range(n_orders) if self.p(0.012))
        broken = self.inc.promo_broken("mobile_app", day)
        extra = sum(1 for _ in range(n_orders) if self.p(0.025)) if broken else 0
        for i in range(n + extra):
            t = day * DAY + between(rng, 0, DAY)
            if i < n:
                self.contact(t, rng.choices(reasons, weights)[0], None, pick_customer())
            else:
                self.contact(
                    t,
                    "discount_code",
                    None,
                    pick_customer(),
                    code=self.inc.promo.code,
                    incident="INC-3-promo-mobile",
                )
