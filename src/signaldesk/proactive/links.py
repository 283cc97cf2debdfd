"""The console link that opens a new campaign prefilled from a spike alert's dimensions
("notify affected customers"), for signals pages to show. Only the query string is built here;
the form validates everything again."""

from __future__ import annotations

import datetime as dt
from urllib.parse import urlencode

from django.urls import reverse

# SpikeAlert.dimension → (campaign kind, form field)
DIMENSION_FIELDS = {
    "carrier": ("carrier_delay", "carrier"),
    "region": ("carrier_delay", "region"),
    "sku": ("faulty_batch", "skus"),
    "batch": ("faulty_batch", "batches"),
    "batch_code": ("faulty_batch", "batches"),
}


def campaign_prefill_url(
    *,
    dimension: str,
    value: str,
    onset: dt.date | None = None,
    until: dt.date | None = None,
    alert_id: int | None = None,
    name: str = "",
) -> str:
    """/proactive/new/?… for an alert on `dimension`=`value` (carrier_region values are
    "CARRIER|REGION"). Shipment dates bound carrier delays, order dates the rest."""
    params: dict[str, str] = {}
    kind = "other"
    if dimension == "carrier_region" and "|" in value:
        carrier, region = value.split("|", 1)
        kind = "carrier_delay"
        params.update(carrier=carrier, region=region)
    elif dimension in DIMENSION_FIELDS:
        kind, field = DIMENSION_FIELDS[dimension]
        params[field] = value
    params["kind"] = kind
    prefix = "shipped" if kind == "carrier_delay" else "ordered"
    if onset is not None:
        params[f"{prefix}_from"] = onset.isoformat()
    if until is not None:
        params[f"{prefix}_to"] = until.isoformat()
    if alert_id is not None:
        params["alert"] = str(alert_id)
    if name:
        params["name"] = name
    return f"{reverse('proactive:new')}?{urlencode(params)}"
