"""GET /api/v1/suppressions: active entries, newest first, cursor-paginated; ?format=csv for
the whole active list as CSV (oldest first)."""

from __future__ import annotations

import datetime as dt

from django.http import HttpRequest, HttpResponse
from django.utils import timezone
from ninja import Field, Query, Router, Schema

from signaldesk.accounts.api_auth import api_auth, authorize
from signaldesk.core.pagination import DEFAULT_LIMIT, keyset_page
from signaldesk.suppression.models import SuppressionEntry
from signaldesk.suppression.selectors import active_suppressions, suppressions_csv

suppressions_router = Router(auth=api_auth, tags=["suppression"])


class SuppressionFilters(Schema):
    cursor: str | None = Field(None, description="`next` of the previous page.")
    limit: int = DEFAULT_LIMIT
    format: str = Field("json", description="json (paged) or csv (all active entries)")


class SuppressionOut(Schema):
    id: int
    customer_id: int
    customer_email: str
    reason: str
    source_ticket_id: int | None
    started_at: dt.datetime
    expires_at: dt.datetime

    @staticmethod
    def of(entry: SuppressionEntry) -> SuppressionOut:
        return SuppressionOut(
            id=entry.pk,
            customer_id=entry.customer_id,
            customer_email=entry.customer.email,
            reason=entry.reason,
            source_ticket_id=entry.source_ticket_id,
            started_at=entry.started_at,
            expires_at=entry.expires_at,
        )


class SuppressionPage(Schema):
    items: list[SuppressionOut]
    next: str | None


def csv_response(now: dt.datetime) -> HttpResponse:
    body = suppressions_csv(active_suppressions(now=now).order_by("id"))
    response = HttpResponse(body, content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="suppressions.csv"'
    return response


@suppressions_router.get("", response=SuppressionPage)
def list_suppressions(
    request: HttpRequest, filters: Query[SuppressionFilters]
) -> SuppressionPage | HttpResponse:
    authorize(request, "customers.read")
    now = timezone.now()
    if filters.format == "csv":
        return csv_response(now)
    rows, next_cursor = keyset_page(
        active_suppressions(now=now), cursor=filters.cursor, limit=filters.limit
    )
    return SuppressionPage(items=[SuppressionOut.of(e) for e in rows], next=next_cursor)
