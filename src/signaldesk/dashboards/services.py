"""Writes of the dashboards package: rollup refresh per day / month and dirty-day marks.

How the rollups stay current (incrementally, never by scanning all tickets per request):
- ``dashboards_mark_ticket_dirty(ticket_id=...)``: call it after a ticket changes (reply,
  status, reason, SLA, survey answer); it marks the ticket's created day.
- periodic job ``dashboards-rollup-refresh`` (task ``dashboards.refresh_dirty``, every 10 min):
  refreshes the marked days plus the last ALWAYS_REFRESH_DAYS days (tickets created then are
  the ones still being answered and solved), then clears the marks set before it started.
- periodic job ``dashboards-repurchase-refresh`` (daily): the repurchase cells of the months
  whose 90-day windows end inside the last REPURCHASE_REFRESH_DAYS days.
- ``signaldesk dashboards refresh --all`` rebuilds everything (after a backfilled import)."""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Iterable

from django.db import transaction
from django.utils import timezone

from signaldesk.dashboards.metrics.repurchase import REPURCHASE_WINDOW, month_start
from signaldesk.dashboards.models import DashboardDirtyDay
from signaldesk.dashboards.rollups import (
    recompute_backlog_day,
    recompute_repurchase_month,
    recompute_review_day,
    recompute_service_day,
)
from signaldesk.signals.services import local_day

logger = logging.getLogger(__name__)

ALWAYS_REFRESH_DAYS = 14
REPURCHASE_REFRESH_DAYS = 45


def dashboards_mark_dirty(*, day: dt.date) -> None:
    """Record that ``day``'s dashboard rollups are stale (idempotent)."""
    DashboardDirtyDay.objects.bulk_create(
        [DashboardDirtyDay(day=day, marked_at=timezone.now())],
        update_conflicts=True,
        unique_fields=["day"],
        update_fields=["marked_at"],
    )


def dashboards_mark_ticket_dirty(*, ticket_id: int) -> None:
    """Mark the created day of a ticket (its cohort day) dirty; no-op for a missing ticket."""
    from signaldesk.tickets.models import Ticket

    created = Ticket.objects.filter(pk=ticket_id).values_list("created_at", flat=True).first()
    if created is not None:
        dashboards_mark_dirty(day=local_day(created))


def dashboards_refresh(*, days: Iterable[dt.date], now: dt.datetime | None = None) -> list[dt.date]:
    """Recompute service, handling, backlog and review rollups of exactly these days (one
    transaction per day)."""
    now = now or timezone.now()
    done = sorted(set(days))
    for day in done:
        with transaction.atomic():
            recompute_service_day(day, now=now)
            recompute_backlog_day(day)
            recompute_review_day(day)
    logger.info("dashboards.refresh", extra={"days": len(done)})
    return done


def dashboards_refresh_dirty(*, now: dt.datetime | None = None) -> list[dt.date]:
    """Refresh the marked days plus the last ALWAYS_REFRESH_DAYS days; clear the marks set
    before the refresh started (a mark set meanwhile survives for the next run)."""
    started = timezone.now()
    now = now or started
    today = local_day(now)
    marked = set(
        DashboardDirtyDay.objects.filter(marked_at__lte=started).values_list("day", flat=True)
    )
    recent = {today - dt.timedelta(days=k) for k in range(ALWAYS_REFRESH_DAYS)}
    done = dashboards_refresh(days=marked | recent, now=now)
    DashboardDirtyDay.objects.filter(day__in=marked, marked_at__lte=started).delete()
    return done


def repurchase_refresh(*, months: Iterable[dt.date], now: dt.datetime | None = None) -> int:
    """Recompute the repurchase cells of these months (first days); returns customers seen."""
    now = now or timezone.now()
    seen = 0
    for month in sorted({month_start(m) for m in months}):
        with transaction.atomic():
            seen += recompute_repurchase_month(month, now=now)
    return seen


def repurchase_refresh_recent(*, now: dt.datetime | None = None) -> int:
    """The months whose anchors' 90-day windows ended in the last REPURCHASE_REFRESH_DAYS."""
    now = now or timezone.now()
    last = local_day(now - REPURCHASE_WINDOW)
    first = last - dt.timedelta(days=REPURCHASE_REFRESH_DAYS)
    months = {month_start(first + dt.timedelta(days=k)) for k in range((last - first).days + 1)}
    return repurchase_refresh(months=months, now=now)
