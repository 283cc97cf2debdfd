"""Orders per day: volume with weekday seasonality and campaign uplift, customers, sources,
campaign attribution, discount codes and line items."""

from __future__ import annotations

import itertools
import random

from signaldesk.demo.catalog import Catalog
from signaldesk.demo.clock import DAY, Clock
from signaldesk.demo.customers import Customers
from signaldesk.demo.incidents import Campaign, Incidents
from signaldesk.demo.model import Line, Order
from signaldesk.demo.rand import between, pick

WEEKDAY_FACTOR = (1.08, 1.03, 1.0, 0.98, 0.93, 0.88, 1.1)
HOUR_WEIGHTS = (
    1,
    0.6,
    0.4,
    0.3,
    0.3,
    0.5,
    1,
    2,
    3,
    4,
    4.5,
    5,
    5.5,
    5,
    4.5,
    4.5,
    4.5,
    5,
    6,
    7,
    8,
    7.5,
    5,
    2.5,
)
HOUR_CUM = list(itertools.accumulate(HOUR_WEIGHTS))
SOURCES = ("web", "mobile_app", "marketplace", "pos")
SOURCE_CUM = list(itertools.accumulate((0.52, 0.30, 0.10, 0.08)))
LINES_CUM = list(itertools.accumulate((45, 28, 15, 8, 4)))
QTY_CUM = list(itertools.accumulate((90, 8, 2)))
METHODS = (("Standard", 4.95), ("Express", 9.95), ("Pickup point", 2.95))
METHOD_CUM = list(itertools.accumulate((70, 15, 15)))
WELCOME = ("WELCOME10", 0.10)
SIZE_INDEX = tuple(range(12))


class OrderMaker:
    def __init__(
        self,
        *,
        rng: random.Random,
        catalog: Catalog,
        customers: Customers,
        incidents: Incidents,
        campaigns: list[Campaign],
        clock: Clock,
        orders_per_day: int,
    ) -> None:
        self.rng = rng
        self.catalog = catalog
        self.customers = customers
        self.incidents = incidents
        self.campaigns = campaigns
        self.clock = clock
        self.orders_per_day = orders_per_day
        self.next_number = 10001
        launch = incidents.small_product.launch_day
        self.launch_day = launch
        self.pre = [p for p in catalog.products if p.launch_day == 0]
        self.pre_cum = list(itertools.accumulate(p.popularity for p in self.pre))
        self.post = list(catalog.products)
        self.post_cum = list(itertools.accumulate(p.popularity for p in self.post))
        self.size_cum = {
            p.index: list(itertools.accumulate(p.size_weights)) for p in catalog.products
        }

    def campaign_on(self, day: int) -> Campaign | None:
        for c in self.campaigns:
            if c.start_day <= day < c.end_day:
                return c
        return None

    def day_orders(self, day: int) -> list[Order]:
        rng = self.rng
        campaign = self.campaign_on(day)
        factor = WEEKDAY_FACTOR[self.clock.weekday(day * DAY)]
        if campaign is not None:
            factor *= campaign.uplift
        n = max(0, round(self.orders_per_day * factor * rng.gauss(1.0, 0.06)))
        times = sorted(day * DAY + self._time_of_day() for _ in range(n))
        return [self._order(t, day, campaign) for t in times]

    def _time_of_day(self) -> int:
        rng = self.rng
        hour = pick(rng, range(24), HOUR_CUM)
        return hour * 3600 + between(rng, 0, 3600)

    def _customer(self) -> int:
        n = self.customers.size
        return min(n - 1, int(n * self.rng.random() ** 1.4))

    def _order(self, t: int, day: int, campaign: Campaign | None) -> Order:
        rng = self.rng
        cust = self._customer()
        source = pick(rng, SOURCES, SOURCE_CUM)
        slug, code, pct = "", "", 0.0
        if campaign is not None and rng.random() < 0.38:
            slug = campaign.slug
            if campaign.code:
                ok = 0.03 if self.incidents.promo_broken(source, day) else 0.78
                if rng.random() < ok:
                    code, pct = campaign.code, campaign.pct
        elif rng.random() < 0.06:
            slug = "newsletter"
        if not code and self.customers.orders[cust] == 0 and rng.random() < 0.15:
            code, pct = WELCOME
        lines = self._lines(day)
        if source == "pos":
            method, fee = "In store", 0.0
        else:
            method, fee = METHODS[pick(rng, range(3), METHOD_CUM)]
        order = Order(
            number=self.next_number,
            customer=cust,
            t=t,
            source=source,
            campaign=slug,
            code=code,
            pct=pct,
            lines=lines,
            method=method,
            shipping_fee=fee,
            region=self.customers.address(cust)[3],
        )
        order.price()
        if method == "Standard" and order.subtotal >= 75:
            order.shipping_fee = 0.0
            order.price()
        self.next_number += 1
        return order

    def _lines(self, day: int) -> list[Line]:
        rng = self.rng
        k = pick(rng, range(1, 6), LINES_CUM)
        if day >= self.launch_day:
            products = [pick(rng, self.post, self.post_cum) for _ in range(k)]
        else:
            products = [pick(rng, self.pre, self.pre_cum) for _ in range(k)]
        lines: list[Line] = []
        seen: set[str] = set()
        for p in products:
            size_i = pick(rng, SIZE_INDEX, self.size_cum[p.index])
            colour_i = between(rng, 0, len(p.colours))
            v = p.variants[colour_i * len(p.sizes) + size_i]
            if v.sku in seen:
                continue
            seen.add(v.sku)
            qty = 1 if p.category.apparel else pick(rng, (1, 2, 3), QTY_CUM)
            if p.category.apparel and rng.random() < 0.04:
                qty = 2
            lines.append(Line(v, qty, v.price))
        return lines
