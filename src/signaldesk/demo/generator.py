"""Orchestration: one pass over the days, streaming every file. Rows whose time lies in the
future (returns, reviews, tickets) wait in a heap and are written when the day reaches them, so
each file is in time order and only a few weeks of pending events are ever held in memory."""

from __future__ import annotations

import heapq
import itertools
import random
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from signaldesk.demo.aftercare import Aftercare
from signaldesk.demo.catalog import Catalog, build_catalog, variant_title
from signaldesk.demo.clock import DAY, Clock
from signaldesk.demo.config import DemoConfig
from signaldesk.demo.customers import Customers, build_customers, loyalty_tier
from signaldesk.demo.fulfilment import Fulfiller
from signaldesk.demo.incidents import base_campaigns, build_incidents, ground_truth
from signaldesk.demo.model import Contact, Order
from signaldesk.demo.orders import OrderMaker
from signaldesk.demo.tickets import TicketRenderer, groups
from signaldesk.demo.writers import GROUND_TRUTH_FILE, Outputs

CUSTOMER_ID_BASE = 7_400_000_000
ORDER_ID_BASE = 5_810_000_000_000


@dataclass
class Summary:
    out_dir: Path
    seconds: float
    counts: dict[str, int] = field(default_factory=dict)
    orders: int = 0
    tickets: int = 0

    @property
    def contact_rate(self) -> float:
        return self.tickets / self.orders if self.orders else 0.0


def _fmt(x: float) -> str:
    return f"{x:.2f}"


def generate(
    cfg: DemoConfig, out_dir: Path, progress: Callable[[int, int], None] | None = None
) -> Summary:
    started = time.perf_counter()
    seed = cfg.seed
    clock = Clock(cfg.start, cfg.days)
    catalog = build_catalog(random.Random(seed * 7 + 1), new_product_day=int(cfg.days * 0.5))
    n_customers = max(300, int(cfg.days * cfg.orders_per_day * 0.42))
    customers = build_customers(np.random.default_rng(seed), n_customers)
    incidents = build_incidents(catalog, cfg.days, seed, cfg.start)
    heap: list[tuple[int, int, str, Any]] = []
    seq = itertools.count()

    def emit(t: int, kind: str, payload: object) -> None:
        heapq.heappush(heap, (t, next(seq), kind, payload))

    maker = OrderMaker(
        rng=random.Random(seed * 7 + 2),
        catalog=catalog,
        customers=customers,
        incidents=incidents,
        campaigns=[*base_campaigns(cfg.days), incidents.promo],
        clock=clock,
        orders_per_day=cfg.orders_per_day,
    )
    fulfiller = Fulfiller(rng=random.Random(seed * 7 + 3), clock=clock, incidents=incidents)
    after = Aftercare(
        rng=random.Random(seed * 7 + 4),
        clock=clock,
        catalog=catalog,
        incidents=incidents,
        scale=cfg.contact_scale,
        emit=emit,
    )
    renderer = TicketRenderer(
        rng=random.Random(seed * 7 + 5), clock=clock, catalog=catalog, customers=customers
    )
    contacted: set[int] = set()
    pick_rng = random.Random(seed * 7 + 6)
    summary = Summary(out_dir=out_dir, seconds=0.0)

    with Outputs(out_dir) as out:
        _write_products(out, catalog, random.Random(seed * 7 + 7))
        review_seq = itertools.count(1)

        def flush(bound: int) -> None:
            while heap and heap[0][0] < bound:
                _, _, kind, payload = heapq.heappop(heap)
                if kind == "return":
                    out["returns.csv"].row(payload)
                elif kind == "review":
                    row = list(payload)
                    row[6] = customers.email(row[6])
                    out["reviews.csv"].row([f"REV-{next(review_seq):07d}", *row])
                else:
                    _write_ticket(out, renderer, payload, emit, contacted)

        for day in range(cfg.days):
            flush(day * DAY)
            orders = maker.day_orders(day)
            for order in orders:
                after.before_shipping(order)
                fulfiller.ship(order)
                after.after_shipping(order)
                _write_order(out, order, clock, catalog, customers)
            summary.orders += len(orders)
            after.non_order_contacts(
                day, len(orders), lambda: int(customers.size * pick_rng.random() ** 1.2)
            )
            if progress is not None:
                progress(day + 1, cfg.days)
        flush(clock.end)
        _write_customers(out, customers, contacted)
        out.zendesk.finish(renderer.users(), groups())
        truth = {
            "generator": cfg.as_dict(),
            "period": {"start": cfg.start.isoformat(), "end": clock.date_str(clock.end - 1)},
            "store": {"name": "Hearth & Thread", "currency": "EUR", "timezone": "Europe/Amsterdam"},
            "incidents": ground_truth(incidents, cfg.start, cfg.days),
        }
        out.write_json(GROUND_TRUTH_FILE, truth)
        summary.counts = {name: f.rows for name, f in out.csv.items()}
        summary.counts["zendesk_tickets.json"] = out.zendesk.rows
    summary.tickets = summary.counts["zendesk_tickets.json"] + summary.counts["tickets.csv"]
    summary.seconds = time.perf_counter() - started
    return summary


def _write_ticket(
    out: Outputs,
    renderer: TicketRenderer,
    contact: Contact,
    emit: Callable[[int, str, object], None],
    contacted: set[int],
) -> None:
    r = renderer.render(contact)
    contacted.add(contact.customer)
    if r.zendesk is not None:
        out.zendesk.ticket(r.zendesk)
    elif r.row is not None:
        out["tickets.csv"].row(r.row)
    out["ticket_labels.csv"].row([r.source, r.ticket_id, contact.reason, r.language])
    if r.followup is not None:
        emit(r.followup.t, "contact", r.followup)


def _write_order(
    out: Outputs, order: Order, clock: Clock, catalog: Catalog, customers: Customers
) -> None:
    end = clock.end
    cust = order.customer
    city, province, country, _ = customers.address(cust)
    email = customers.email(cust)
    total = order.total
    shipped = [s.shipped for s in order.shipments if s.shipped is not None and s.shipped < end]
    if order.source == "pos":
        fstatus, fulfilled_at = "fulfilled", clock.shopify(order.t)
    elif order.cancelled:
        fstatus, fulfilled_at = "unfulfilled", ""
    elif shipped and len(shipped) == len(order.shipments):
        fstatus, fulfilled_at = "fulfilled", clock.shopify(max(shipped))
    else:
        fstatus, fulfilled_at = ("partial" if shipped else "unfulfilled"), ""
    refunded = order.refunded
    if refunded >= total - 0.005 and refunded > 0:
        fin = "refunded"
    else:
        fin = "partially_refunded" if refunded > 0 else "paid"
    tags = []
    if order.campaign:
        tags.append(f"utm:{order.campaign}")
    if order.cancelled:
        tags.append("cancelled")
    if customers.vip[cust]:
        tags.append("VIP")
    line_status: dict[str, str] = {}
    for s in order.shipments:
        done = s.shipped is not None and s.shipped < end
        for line in s.lines:
            line_status[line.variant.sku] = "fulfilled" if done else "pending"
        out_rows = out["shipments.csv"]
        delivered = (
            clock.iso(s.delivered)
            if s.delivered is not None and s.status in ("delivered", "damaged")
            else ""
        )
        shipped_at = clock.iso(s.shipped) if done and s.shipped is not None else ""
        promised = clock.date_str(s.promised_day * DAY)
        for line in s.lines:
            out_rows.row(
                [
                    f"#{order.number}",
                    s.tracking,
                    s.carrier,
                    s.method,
                    s.warehouse,
                    s.region,
                    s.status,
                    shipped_at,
                    promised,
                    delivered,
                    line.variant.sku,
                    line.batch,
                    line.qty,
                ]
            )
    rows = out["shopify_orders.csv"]
    for i, line in enumerate(order.lines):
        v = line.variant
        product = catalog.products[v.product]
        lstatus = "fulfilled" if order.source == "pos" else line_status.get(v.sku, "pending")
        item = [line.qty, variant_title(product, v), _fmt(line.price), v.sku, lstatus]
        if i == 0:
            rows.row(
                [
                    f"#{order.number}",
                    email,
                    fin,
                    clock.shopify(order.t + 7 + order.number % 80),
                    fstatus,
                    fulfilled_at,
                    "EUR",
                    _fmt(order.subtotal),
                    _fmt(order.shipping_fee),
                    _fmt(total - total / 1.21),
                    _fmt(total),
                    order.code,
                    _fmt(order.discount),
                    order.method,
                    clock.shopify(order.t),
                    *item,
                    city,
                    province,
                    country,
                    _fmt(refunded),
                    product.supplier,
                    ORDER_ID_BASE + order.number * 13,
                    ", ".join(tags),
                    order.source,
                ]
            )
        else:
            rows.row(
                [
                    f"#{order.number}",
                    email,
                    "",
                    "",
                    "",
                    "",
                    "",
                    "",
                    "",
                    "",
                    "",
                    "",
                    "",
                    "",
                    "",
                    *item,
                    "",
                    "",
                    "",
                    "",
                    product.supplier,
                    "",
                    "",
                    "",
                ]
            )
    if not order.cancelled:
        customers.orders[cust] += 1
        customers.spent[cust] += total - refunded


def _write_customers(out: Outputs, customers: Customers, contacted: set[int]) -> None:
    rows = out["shopify_customers.csv"]
    orders, spent = customers.orders, customers.spent
    for i in range(customers.size):
        n = int(orders[i])
        if n == 0 and i not in contacted:
            continue
        tags = [f"tier:{loyalty_tier(float(spent[i]), n)}"] if n else []
        if customers.vip[i]:
            tags.append("VIP")
        rows.row(
            [
                CUSTOMER_ID_BASE + i,
                customers.first_name(i),
                customers.last_name(i),
                customers.email(i),
                "yes" if customers.marketing[i] else "no",
                customers.phone(i),
                customers.address(i)[2],
                _fmt(float(spent[i])),
                n,
                ", ".join(tags),
            ]
        )


def _write_products(out: Outputs, catalog: Catalog, rng: random.Random) -> None:
    rows = out["shopify_products.csv"]
    for p in catalog.products:
        cat = p.category
        kind = "apparel" if cat.apparel else "home"
        tags = [kind, cat.name.lower()]
        if p.launch_day:
            tags.append("new-in")
        body = (
            f"<p>{p.title} by {p.supplier}.</p><ul><li>Category: {cat.name}</li>"
            f"<li>Care: {'machine wash 30°' if cat.apparel else 'see label'}</li></ul>"
        )
        for i, v in enumerate(p.variants):
            stock = rng.randrange(0, 120)
            if i == 0:
                rows.row(
                    [
                        p.handle,
                        p.title,
                        body,
                        p.supplier,
                        cat.name,
                        ", ".join(tags),
                        "TRUE",
                        "Size",
                        v.size,
                        "Colour",
                        v.colour,
                        v.sku,
                        _fmt(v.price),
                        stock,
                        f"https://cdn.hearthandthread.example/products/{p.handle}.jpg",
                    ]
                )
            else:
                rows.row(
                    [
                        p.handle,
                        "",
                        "",
                        "",
                        "",
                        "",
                        "",
                        "",
                        v.size,
                        "",
                        v.colour,
                        v.sku,
                        _fmt(v.price),
                        stock,
                        "",
                    ]
                )
