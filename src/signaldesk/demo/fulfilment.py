"""Shipments: warehouse, carrier, tracking numbers, batches, promised and actual delivery, and the
status each shipment has on the export date."""

from __future__ import annotations

import itertools
import random

from signaldesk.demo.catalog import batch_code
from signaldesk.demo.clock import DAY, HOUR, Clock
from signaldesk.demo.incidents import Incidents
from signaldesk.demo.model import Line, Order, Shipment
from signaldesk.demo.rand import between, pick

HOME_WAREHOUSE = "LEJ1-Leipzig"
REGION_WAREHOUSE = {
    "North": "AMS1-Amsterdam",
    "West": "AMS1-Amsterdam",
    "East": "LEJ1-Leipzig",
    "South": "MAD1-Madrid",
    "Islands": "MAD1-Madrid",
}
REGION_CARRIERS = {
    "North": (("PostNL", "DHL", "GLS"), (40, 35, 25)),
    "East": (("DHL", "DPD", "GLS"), (50, 35, 15)),
    "South": (("GLS", "DPD", "UPS"), (45, 30, 25)),
    "West": (("DPD", "PostNL", "DHL"), (40, 30, 30)),
    "Islands": (("DHL", "GLS", "UPS"), (50, 30, 20)),
}
CARRIER_CUM = {r: (c, list(itertools.accumulate(w))) for r, (c, w) in REGION_CARRIERS.items()}
TRANSIT_CUM = list(itertools.accumulate((46, 40, 9, 3, 2)))
PROMISE_DAYS = {"Standard": 3, "Express": 2, "Pickup point": 3}
_MULT = 2_654_435_761


class Fulfiller:
    def __init__(self, *, rng: random.Random, clock: Clock, incidents: Incidents) -> None:
        self.rng = rng
        self.clock = clock
        self.incidents = incidents
        self.seq = dict.fromkeys(("DHL", "DPD", "UPS", "PostNL", "GLS"), 0)
        self._ymd: dict[int, tuple[int, int, int]] = {}

    def tracking(self, carrier: str) -> str:
        n = self.seq[carrier] = self.seq[carrier] + 1
        if carrier == "DHL":
            return f"00340434{(n * _MULT + 17) % 10**12:012d}"
        if carrier == "DPD":
            return f"0150{(n * _MULT + 29) % 10**10:010d}"
        if carrier == "UPS":
            return f"1Z9W68E2{(n * 7) % 100:02d}{(n * _MULT + 3) % 10**8:08d}"
        if carrier == "PostNL":
            return f"3SHTTN{(n * _MULT + 11) % 10**9:09d}"
        return f"6{(n * _MULT + 5) % 10**10:010d}"

    def _business_days(self, day: int, n: int) -> int:
        while n > 0:
            day += 1
            if self.clock.weekday(day * DAY) < 5:
                n -= 1
        return day

    def ship(self, order: Order) -> None:
        """Split into shipments (home goods leave from Leipzig) and decide their fate."""
        if order.method == "In store" or order.cancelled:
            return
        groups: dict[str, list[Line]] = {}
        regional = REGION_WAREHOUSE[order.region]
        for line in order.lines:
            wh = (
                regional
                if line.variant.sku[:3] in ("DRS", "JNS", "KNT", "OUT", "SHO")
                else (HOME_WAREHOUSE)
            )
            groups.setdefault(wh, []).append(line)
        for wh, lines in groups.items():
            order.shipments.append(self._shipment(order, wh, lines))

    def _shipment(self, order: Order, warehouse: str, lines: list[Line]) -> Shipment:
        rng, clock = self.rng, self.clock
        region = order.region
        if order.method == "Express":
            carrier = "UPS" if region in ("South", "Islands", "West") else "DHL"
        else:
            names, cum = CARRIER_CUM[region]
            carrier = pick(rng, names, cum)
        shipped = order.t + between(rng, 2 * HOUR, 28 * HOUR)
        if clock.weekday(shipped) == 6:
            shipped = (shipped // DAY + 1) * DAY + 9 * HOUR + between(rng, 0, 6 * HOUR)
        ship_day = shipped // DAY
        order_day = order.t // DAY
        promised = self._business_days(
            order_day, PROMISE_DAYS[order.method] + (2 if region == "Islands" else 0)
        )
        transit = (
            1
            if order.method == "Express" and rng.random() < 0.85
            else (1 + pick(rng, range(5), TRANSIT_CUM))
        )
        if region == "Islands":
            transit += between(rng, 0, 3)
        if self.incidents.carrier_delayed(carrier, region, ship_day):
            transit += between(rng, 4, 9)
        deliver_day = ship_day + transit
        if clock.weekday(deliver_day * DAY) == 6:
            deliver_day += 1
        delivered: int | None = deliver_day * DAY + between(rng, 9 * HOUR, 19 * HOUR)
        ymd = self._ymd.get(ship_day)
        if ymd is None:
            d = clock.date(shipped)
            ymd = self._ymd[ship_day] = (d.year, d.month, d.day)
        for line in lines:
            sku = line.variant.sku
            if self.incidents.damaged_batch_active(sku, ship_day):
                line.batch = self.incidents.damaged_batch
            else:
                line.batch = batch_code(sku, ymd)
        problem = ""
        r = rng.random()
        if r < 0.0025:
            problem, delivered = "lost", None
        elif r < 0.0055:
            problem = "damaged"
        elif r < 0.0205:
            problem = "failed_delivery"
        s = Shipment(
            tracking=self.tracking(carrier),
            carrier=carrier,
            method=order.method,
            warehouse=warehouse,
            region=region,
            status="",
            shipped=shipped,
            promised_day=promised,
            delivered=delivered,
            lines=lines,
            problem=problem,
        )
        if problem == "failed_delivery" and delivered is not None and rng.random() < 0.6:
            s.delivered = delivered + between(rng, 1, 3) * DAY
            s.problem = "failed_then_delivered"
        s.late = s.delivered is None or s.delivered // DAY > promised
        s.status = self.status_at_end(s)
        return s

    def status_at_end(self, s: Shipment) -> str:
        end = self.clock.end
        if s.shipped is None or s.shipped >= end:
            return "pending"
        promised_end = (s.promised_day + 1) * DAY
        if s.problem == "lost":
            if end >= promised_end + 7 * DAY:
                return "lost"
            return "delayed" if end > promised_end else "in_transit"
        assert s.delivered is not None
        if s.delivered > end:
            if end > promised_end:
                return "delayed"
            return "out_for_delivery" if s.delivered - end < 10 * HOUR else "in_transit"
        if s.problem == "damaged":
            return "damaged"
        if s.problem == "failed_delivery":
            return "returned" if end - s.delivered > 7 * DAY else "failed_delivery"
        return "delivered"


def delivered_ok(s: Shipment, end: int) -> bool:
    """The customer has the parcel in hand before the export date."""
    return (
        s.delivered is not None
        and s.delivered < end
        and s.problem in ("", "damaged", "failed_then_delivered")
    )
