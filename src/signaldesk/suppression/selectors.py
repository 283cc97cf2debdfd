"""Reads for the suppression list."""

from __future__ import annotations

import csv
import datetime as dt
import io
from collections.abc import Iterable

from django.db.models import QuerySet

from signaldesk.suppression.models import SuppressionEntry

CSV_COLUMNS = [
    "customer_id",
    "customer_email",
    "reason",
    "source_ticket_id",
    "started_at",
    "expires_at",
]


def active_suppressions(*, now: dt.datetime) -> QuerySet[SuppressionEntry]:
    return SuppressionEntry.objects.select_related("customer").filter(
        lifted_at__isnull=True, expires_at__gt=now
    )


def suppressions_csv(entries: Iterable[SuppressionEntry]) -> str:
    """CSV of entries (header first), oldest first as given."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(CSV_COLUMNS)
    for e in entries:
        writer.writerow(
            [
                e.customer_id,
                e.customer.email,
                e.reason,
                e.source_ticket_id or "",
                e.started_at.isoformat(),
                e.expires_at.isoformat(),
            ]
        )
    return out.getvalue()
