import datetime as dt
from decimal import Decimal

import pytest
from django.utils import timezone

from signaldesk.signals.models import ContactRollup, CostRollup, ExposureRollup, SpikeAlert

D = dt.date


def _contacts(day: dt.date, reason: str, n: int) -> None:
    ContactRollup.objects.create(day=day, reason=reason, dimension="all", value="*", contacts=n)


@pytest.fixture
def week(db: None) -> dt.date:
    """Two weeks of rollups (16–22 Nov 2026 and the week before) and one open spike."""
    _contacts(D(2026, 11, 17), "delivery_delay", 30)
    _contacts(D(2026, 11, 18), "delivery_delay", 20)
    _contacts(D(2026, 11, 10), "delivery_delay", 40)
    _contacts(D(2026, 11, 19), "damaged_item", 10)
    _contacts(D(2026, 11, 11), "damaged_item", 10)
    _contacts(D(2026, 11, 8), "damaged_item", 99)  # two weeks before: not in the note
    for day, orders in ((D(2026, 11, 16), 1000), (D(2026, 11, 20), 1000), (D(2026, 11, 12), 2000)):
        ExposureRollup.objects.create(day=day, dimension="all", value="*", orders=orders)
    CostRollup.objects.create(
        day=D(2026, 11, 19), reason="damaged_item", sku="VASE-1", tickets=10,
        refunds=Decimal("100.40"), replacements=Decimal("49.90"), discounts=Decimal("0"),
    )  # fmt: skip
    CostRollup.objects.create(
        day=D(2026, 11, 11), reason="damaged_item", sku="VASE-1", tickets=10,
        refunds=Decimal("80.00"), replacements=Decimal("0"), discounts=Decimal("0"),
    )  # fmt: skip
    now = timezone.now()
    SpikeAlert.objects.create(
        dedup_key="k1", segment={"reason": "delivery_delay", "carrier": "DPD", "region": "East"},
        segment_label="delivery_delay × carrier=DPD × region=East", reason="delivery_delay",
        dimension="carrier_region", value="DPD|East", onset=D(2026, 11, 18),
        first_alert_day=D(2026, 11, 18), last_alert_day=D(2026, 11, 20), observed=34,
        expected=11.46, exposure=900.0, ratio=2.97, peak_ratio=3.1, p_value=0.0001,
        q_value=0.0004, severity="critical",
        explanation="34 contacts in 3 days against 11.5 expected.", created_at=now, updated_at=now,
    )  # fmt: skip
    return D(2026, 11, 16)
