"""A realistic store-wide week of facts for the note core's tests."""

from __future__ import annotations

from signaldesk.insights.note.facts import (
    ActionFact,
    NoteFacts,
    ReasonFact,
    SpikeFact,
    ThemeFact,
)


def store_week() -> NoteFacts:
    return NoteFacts(
        audience="store",
        week_start="2026-11-16",
        week_end="2026-11-22",
        currency="EUR",
        contacts=412,
        prev_contacts=381,
        change_pct=8,
        orders=2803,
        per_1000_orders=147.0,
        cost_total=3120,
        prev_cost_total=2410,
        cost_change_pct=29,
        theme_window_days=7,
        reasons=(
            ReasonFact("delivery_delay", "Delivery delay", "operations", 120, 80, 50, 42.8, 0, 0),
            ReasonFact("damaged_item", "Damaged item", "product", 64, 60, 7, 22.8, 1875, 1390),
            ReasonFact("fit", "Fit / sizing", "merchandising", 58, 41, 41, 20.7, 640, 520),
            ReasonFact(
                "promo_code", "Promo code not working", "ecommerce", 31, 9, 244, 11.1, 605, 500
            ),
            ReasonFact("unsubscribe", "Unsubscribe", "lifecycle", 12, 14, -14, 4.3, 0, 0),
        ),
        spikes=(
            SpikeFact(
                label="Delivery delay — carrier DPD, region East",
                reason="delivery_delay",
                reason_label="Delivery delay",
                dimension="carrier_region",
                value="DPD|East",
                onset="2026-11-18",
                last_day="2026-11-22",
                observed=34,
                expected=11.5,
                ratio=3.0,
                severity="critical",
                explanation="34 contacts in 3 days against 11.5 expected (q=0.0004).",
                owner_team="operations",
                status="open",
                alert_id=7,
            ),
        ),
        themes=(
            ThemeFact(
                keywords=("box crushed", "crushed", "box", "damaged"),
                size=23,
                recent=19,
                previous=0,
                growth_pct=None,
                new=True,
                quote="The box arrived crushed and the vase inside DRS-014 is broken",
                reason="damaged_item",
                reason_label="Damaged item",
                owner_team="product",
            ),
        ),
        actions=(
            ActionFact(
                title="Switch East deliveries to GLS",
                status="in_progress",
                owner_team="operations",
                verdict="No measurable change in delivery delay contacts relative to other "
                "regions (estimate -6%, 95% CI -31% to +27%).",
                change_pct=-6,
                significant=False,
                reason="delivery_delay",
            ),
        ),
    )
