"""Test helper: a stored spike alert with explicit numbers (as a scan would store it)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.utils import timezone

from signaldesk.signals.models import SpikeAlert

ONSET = dt.date(2026, 10, 5)


def make_alert(**overrides: Any) -> SpikeAlert:
    now = timezone.now()
    fields: dict[str, Any] = {
        "dedup_key": "reason=damaged_item x sku=BAD@2026-10-05",
        "segment": {"reason": "damaged_item", "sku": "BAD"},
        "segment_label": "reason=damaged_item x sku=BAD",
        "reason": "damaged_item", "dimension": "sku", "value": "BAD", "onset": ONSET,
        "first_alert_day": ONSET, "last_alert_day": ONSET, "observed": 8, "expected": 1.2,
        "exposure": 5.0, "ratio": 6.67, "peak_ratio": 6.67, "p_value": 1e-6, "q_value": 1e-5,
        "severity": "warning", "explanation": "8 contacts vs 1.2 expected",
        "example_ticket_ids": [], "created_at": now, "updated_at": now,
    }  # fmt: skip
    fields.update(overrides)
    return SpikeAlert.objects.create(**fields)
