"""Synthetic store for the spike-detector bench (see bench/signals_core_recall.py).

Contacts are generated at the atomic (reason, batch, day) level with negative-binomial noise on
an order-driven exposure with weekday seasonality, then each contact is assigned a carrier, a
region and a campaign (multinomial), so every segment series (reason x SKU / batch / supplier /
carrier / region / campaign) is a consistent aggregate of the same tickets. Incidents are extra
Poisson streams with a known onset, kept separately so that every alert can be attributed.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from signaldesk.signals.stats.hierarchy import SegmentKey
from signaldesk.signals.stats.spikes import SeriesPanel

REASONS = {
    "delivery_delay": 0.020,
    "damaged_item": 0.006,
    "sizing": 0.012,
    "wrong_item": 0.004,
    "discount_code": 0.005,
    "quality": 0.006,
}
ORDER_WEEK = np.array([1.0, 1.1, 1.05, 1.0, 0.95, 0.7, 0.6])
CONTACT_WEEK = np.array([1.5, 1.1, 1.0, 0.95, 0.9, 0.7, 0.6])
N_SKU, N_SUPPLIER, N_CARRIER, N_REGION, N_CAMPAIGN = 180, 15, 5, 8, 10
DIMS = ("batch", "sku", "supplier", "carrier", "region", "campaign")


@dataclass(frozen=True)
class Incident:
    name: str
    reason: str
    dim: str
    value: int
    factor: float
    onset: int
    days: int


INCIDENTS = (
    Incident("bad batch (damaged)", "damaged_item", "batch", 17, 10.0, 70, 10),
    Incident("size chart error", "sizing", "sku", 42, 4.0, 85, 14),
    Incident("small batch defect", "damaged_item", "batch", 201, 8.0, 90, 7),
    Incident("carrier outage", "delivery_delay", "carrier", 2, 3.0, 95, 5),
    Incident("promo code bug", "discount_code", "campaign", 4, 8.0, 100, 3),
    Incident("supplier quality drift", "quality", "supplier", 6, 2.5, 105, 10),
    Incident("warehouse pick errors", "wrong_item", "region", 3, 3.0, 110, 7),
)


@dataclass(frozen=True, eq=False)
class Store:
    panel: SeriesPanel
    parents: dict[SegmentKey, SegmentKey]
    extra: np.ndarray  # (n_incidents, S, T) incident contacts per segment and day
    incidents: tuple[Incident, ...]


def simulate_store(seed: int = 7, days: int = 120, alpha: float = 0.12) -> Store:
    rng = np.random.default_rng(seed)
    t = np.arange(days)
    wd = t % 7
    sku_supplier = rng.integers(0, N_SUPPLIER, N_SKU)
    batch_sku = np.concatenate([np.arange(N_SKU), np.arange(100)])  # 280 batches
    n_batch = batch_sku.size
    split = rng.uniform(0.3, 0.7, 100)
    batch_share = np.ones(n_batch)
    batch_share[:100], batch_share[N_SKU:] = split, 1.0 - split
    sku_orders = rng.lognormal(3.5, 0.9, N_SKU)  # ~9,000 orders/day
    trend = np.exp(0.002 * t) * (1.0 + 0.1 * np.sin(2 * np.pi * t / 45))
    orders = rng.gamma(30.0, (sku_orders[batch_sku] * batch_share)[:, None] / 30.0 * trend)
    orders = np.round(orders * ORDER_WEEK[wd][None, :])  # (B, T)
    carrier_p = rng.dirichlet(np.full(N_CARRIER, 4.0))
    region_p = rng.dirichlet(np.full(N_REGION, 4.0))
    camp_p = np.tile(np.append(rng.dirichlet(np.full(N_CAMPAIGN, 3.0)) * 0.4, 0.6), (days, 1))
    flash = slice(78, 83)  # campaign 3 flash sale: exposure x3, contact rate unchanged
    camp_p[flash, 3] *= 3.0
    camp_p[flash] /= camp_p[flash].sum(axis=1, keepdims=True)
    dims_n = {"carrier": N_CARRIER, "region": N_REGION, "campaign": N_CAMPAIGN + 1}
    probs = {"carrier": carrier_p, "region": region_p}
    n_r = len(REASONS)
    n_streams = 1 + len(INCIDENTS)
    acc = {d: np.zeros((n_streams, n_r, dims_n[d], days)) for d in dims_n}
    acc_batch = np.zeros((n_streams, n_r, n_batch, days))

    def distribute(stream: int, r: int, counts: np.ndarray, fixed: tuple[str, int] | None) -> None:
        acc_batch[stream, r] += counts
        per_day = counts.sum(axis=0).astype(np.int64)
        for d in dims_n:
            if fixed is not None and fixed[0] == d:
                acc[d][stream, r, fixed[1]] += per_day
            elif d == "campaign":
                for day in range(days):
                    acc[d][stream, r, :, day] += rng.multinomial(per_day[day], camp_p[day])
            else:
                acc[d][stream, r] += rng.multinomial(per_day, probs[d]).T

    mus = []
    for r, base_rate in enumerate(REASONS.values()):
        quality = rng.lognormal(0.0, 0.5, N_SKU)[batch_sku]
        mu = orders * base_rate * quality[:, None] * CONTACT_WEEK[wd][None, :]
        mus.append(mu)
        distribute(0, r, rng.poisson(rng.gamma(1.0 / alpha, alpha * mu)), None)
    reason_idx = {name: i for i, name in enumerate(REASONS)}
    for k, inc in enumerate(INCIDENTS, start=1):
        r = reason_idx[inc.reason]
        active = (t >= inc.onset) & (t < inc.onset + inc.days)
        mult = np.zeros_like(mus[r])
        if inc.dim in ("batch", "sku", "supplier"):
            owner = {
                "batch": np.arange(n_batch),
                "sku": batch_sku,
                "supplier": sku_supplier[batch_sku],
            }[inc.dim]
            mult[(owner == inc.value)[:, None] & active[None, :]] = inc.factor - 1.0
            distribute(k, r, rng.poisson(mus[r] * mult), None)
        else:
            share = camp_p[:, inc.value] if inc.dim == "campaign" else probs[inc.dim][inc.value]
            mult[:, active] = (inc.factor - 1.0) * np.broadcast_to(share, (days,))[active]
            distribute(k, r, rng.poisson(mus[r] * mult), (inc.dim, inc.value))

    keys: list[SegmentKey] = []
    rows: list[np.ndarray] = []  # (n_streams, T) counts per segment
    expo: list[np.ndarray] = []
    parents: dict[SegmentKey, SegmentKey] = {}
    total_orders = orders.sum(axis=0)
    groups = {
        "batch": (np.arange(n_batch), n_batch),
        "sku": (batch_sku, N_SKU),
        "supplier": (sku_supplier[batch_sku], N_SUPPLIER),
    }
    for r, reason in enumerate(REASONS):
        keys.append(SegmentKey.of(reason=reason))
        rows.append(acc_batch[:, r].sum(axis=1))
        expo.append(total_orders)
        for dim, (owner, n) in groups.items():
            onehot = (owner[None, :] == np.arange(n)[:, None]).astype(np.float64)
            seg = np.einsum("gb,sbt->sgt", onehot, acc_batch[:, r])
            seg_orders = onehot @ orders
            for g in range(n):
                key = SegmentKey.of(reason=reason, **{dim: f"{dim[:2].upper()}{g}"})
                keys.append(key)
                rows.append(seg[:, g])
                expo.append(seg_orders[g])
                if dim == "batch":
                    sku = int(batch_sku[g])
                    parents[key] = SegmentKey.of(reason=reason, sku=f"SK{sku}")
                if dim == "sku":
                    parents[key] = SegmentKey.of(reason=reason, supplier=f"SU{sku_supplier[g]}")
        for dim in dims_n:
            n = dims_n[dim] - (1 if dim == "campaign" else 0)
            share = camp_p[:, :n].T if dim == "campaign" else probs[dim][:, None]
            for g in range(n):
                keys.append(SegmentKey.of(reason=reason, **{dim: f"{dim[:2].upper()}{g}"}))
                rows.append(acc[dim][:, r, g])
                expo.append(np.round(total_orders * share[g]))
    stacked = np.stack(rows, axis=1)  # (n_streams, S, T)
    panel = SeriesPanel.build(keys, stacked.sum(axis=0), np.stack(expo), wd)
    return Store(panel, parents, stacked[1:], INCIDENTS)


def incident_key(inc: Incident) -> SegmentKey:
    return SegmentKey.of(reason=inc.reason, **{inc.dim: f"{inc.dim[:2].upper()}{inc.value}"})


def null_panel(n_series: int, days: int = 120, seed: int = 1, alpha: float = 0.1) -> SeriesPanel:
    """Large panel of independent NB series for the timing run."""
    rng = np.random.default_rng(seed)
    wd = np.arange(days) % 7
    exposure = np.round(
        rng.lognormal(3.0, 1.2, (n_series, 1)).astype(np.float32) * ORDER_WEEK[wd][None, :]
    )
    mu = exposure * rng.lognormal(np.log(0.01), 0.6, (n_series, 1)) * CONTACT_WEEK[wd][None, :]
    counts = rng.poisson(rng.gamma(1.0 / alpha, alpha * mu))
    return SeriesPanel.build([f"s{i}" for i in range(n_series)], counts, exposure, wd)
