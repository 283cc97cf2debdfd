"""The four injected incidents, where they sit in the period, and their written ground truth."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from signaldesk.demo.catalog import Catalog, Product, Variant

CARRIER_REGION_CHOICES = (("GLS", "South"), ("DPD", "East"), ("DHL", "North"))


@dataclass(frozen=True)
class Campaign:
    slug: str
    code: str
    pct: float
    start_day: int
    end_day: int
    uplift: float


@dataclass(frozen=True)
class Incidents:
    damaged_variant: Variant
    damaged_supplier: str
    damaged_batch: str
    damaged_start: int
    damaged_end: int
    carrier: str
    region: str
    delay_start: int
    delay_end: int
    promo: Campaign
    promo_bug_end: int
    small_product: Product

    def damaged_batch_active(self, sku: str, ship_day: int) -> bool:
        return sku == self.damaged_variant.sku and self.damaged_start <= ship_day < self.damaged_end

    def carrier_delayed(self, carrier: str, region: str, ship_day: int) -> bool:
        return (
            carrier == self.carrier
            and region == self.region
            and self.delay_start <= ship_day < self.delay_end
        )

    def promo_broken(self, source: str, day: int) -> bool:
        return source == "mobile_app" and self.promo.start_day <= day < self.promo_bug_end


def build_incidents(catalog: Catalog, days: int, seed: int, start: dt.date) -> Incidents:
    kitchen = [
        p
        for p in catalog.products
        if p.category.name in ("Kitchen", "Lighting", "Bath") and p.launch_day == 0
    ]
    product = max(kitchen, key=lambda p: p.popularity)
    best = max(range(len(product.sizes)), key=lambda i: product.size_weights[i])
    variant = next(v for v in product.variants if v.size_index == best)
    d_start = int(days * 0.58)
    d_end = min(days, d_start + 10)
    onset = start + dt.timedelta(days=d_start)
    batch = f"B-{variant.sku}-{onset.year % 100:02d}{onset.month:02d}D"
    carrier, region = CARRIER_REGION_CHOICES[seed % len(CARRIER_REGION_CHOICES)]
    delay_start = int(days * 0.68)
    promo_start = int(days * 0.8)
    promo = Campaign("flash-sale", "FLASH25", 0.25, promo_start, min(days, promo_start + 7), 1.6)
    small = next(p for p in catalog.products if p.runs_small)
    return Incidents(
        damaged_variant=variant,
        damaged_supplier=product.supplier,
        damaged_batch=batch,
        damaged_start=d_start,
        damaged_end=d_end,
        carrier=carrier,
        region=region,
        delay_start=delay_start,
        delay_end=min(days, delay_start + 7),
        promo=promo,
        promo_bug_end=min(days, promo_start + 4),
        small_product=small,
    )


def base_campaigns(days: int) -> list[Campaign]:
    return [
        Campaign("summer-sale", "SUMMER20", 0.20, int(days * 0.08), int(days * 0.2), 1.35),
        Campaign("new-in", "", 0.0, int(days * 0.4), int(days * 0.46), 1.15),
    ]


def ground_truth(inc: Incidents, start: dt.date, days: int) -> list[dict[str, Any]]:
    def day(d: int) -> str:
        return (start + dt.timedelta(days=d)).isoformat()

    v = inc.damaged_variant
    small = inc.small_product
    return [
        {
            "id": "INC-1-damaged-batch",
            "kind": "damaged_batch",
            "description": (
                f"Batch {inc.damaged_batch} of {v.sku} from supplier {inc.damaged_supplier} was "
                "packed without inner protection; units shipped from it arrive cracked."
            ),
            "onset": day(inc.damaged_start),
            "end": day(inc.damaged_end - 1),
            "segment": {
                "reason": "damaged_item",
                "sku": v.sku,
                "batch": inc.damaged_batch,
                "supplier": inc.damaged_supplier,
            },
            "expected_effect": (
                "damaged_item tickets per shipped unit of the batch ~25% vs ~0.5% baseline; "
                "returns with reason damaged; 1–2 star reviews for the SKU"
            ),
            "owner_team": "operations",
        },
        {
            "id": "INC-2-carrier-delay",
            "kind": "carrier_delay",
            "description": (
                f"{inc.carrier} hub problem in region {inc.region}: shipments handed over in the "
                "window arrive 4–8 days late."
            ),
            "onset": day(inc.delay_start),
            "end": day(inc.delay_end - 1),
            "segment": {"reason": "delivery_delay", "carrier": inc.carrier, "region": inc.region},
            "expected_effect": (
                "late share of the carrier×region shipments ~85% vs ~8%; delivery_delay and "
                "order_status tickets several times baseline"
            ),
            "owner_team": "operations",
        },
        {
            "id": "INC-3-promo-mobile",
            "kind": "promo_code_failure",
            "description": (
                f"Code {inc.promo.code} of campaign {inc.promo.slug} is rejected by the mobile app "
                "for the first days of the campaign; web checkout works."
            ),
            "onset": day(inc.promo.start_day),
            "end": day(inc.promo_bug_end - 1),
            "segment": {
                "reason": "discount_code",
                "campaign": inc.promo.slug,
                "discount_code": inc.promo.code,
                "source": "mobile_app",
            },
            "expected_effect": (
                "mobile_app campaign orders without the code; discount_code tickets mentioning "
                "the code and the app"
            ),
            "owner_team": "ecommerce",
        },
        {
            "id": "INC-4-runs-small",
            "kind": "runs_small",
            "description": (
                f"New product '{small.title}' ({small.handle}) from {small.supplier}, launched "
                "mid-period, is cut about one size small."
            ),
            "onset": day(small.launch_day),
            "end": day(days - 1),
            "segment": {
                "reason": "fit",
                "product": small.handle,
                "skus": [x.sku for x in small.variants],
                "supplier": small.supplier,
            },
            "expected_effect": (
                "sizing/fit tickets, returns too_small (~35% of units), 'runs small' reviews, "
                "exchanges to one size up"
            ),
            "owner_team": "merchandising",
        },
    ]
