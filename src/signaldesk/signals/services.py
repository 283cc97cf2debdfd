"""Writes of the signals package: rollup refresh (per day, set-based), dirty days, snoozing.

The spike scan lives in scan.py (``signals_scan``)."""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Iterable

from django.db import transaction
from django.utils import timezone

from signaldesk.core.audit import Actor, audit_record
from signaldesk.core.errors import ValidationError
from signaldesk.signals.models import AlertStatus, DirtyDay, SpikeAlert
from signaldesk.signals.rollups import recompute_day

logger = logging.getLogger(__name__)

# Days refreshed by every dirty-day run even when nobody marked them: orders, shipments and
# refunds arrive through imports that do not mark days, and they mostly touch recent days.
ALWAYS_REFRESH_DAYS = 3


def local_day(moment: dt.datetime) -> dt.date:
    return timezone.localtime(moment, timezone.get_default_timezone()).date()


def rollup_mark_dirty(*, day: dt.date) -> None:
    """Record that ``day``'s rollups are stale (idempotent; the periodic job refreshes it)."""
    DirtyDay.objects.bulk_create(
        [DirtyDay(day=day, marked_at=timezone.now())],
        update_conflicts=True,
        unique_fields=["day"],
        update_fields=["marked_at"],
    )


def rollup_mark_ticket_dirty(*, ticket_id: int) -> None:
    """Mark the day a ticket was created (its contact day) dirty; no-op for a missing ticket."""
    from signaldesk.tickets.models import Ticket

    created = Ticket.objects.filter(pk=ticket_id).values_list("created_at", flat=True).first()
    if created is not None:
        rollup_mark_dirty(day=local_day(created))


def rollup_refresh(*, days: Iterable[dt.date]) -> list[dt.date]:
    """Recompute the contact, exposure and cost rollups of exactly these days (one transaction
    per day: delete the day's rows, then INSERT ... SELECT ... GROUP BY)."""
    done = sorted(set(days))
    for day in done:
        with transaction.atomic():
            recompute_day(day)
    logger.info("signals.rollup_refresh", extra={"days": len(done)})
    return done


def rollup_refresh_dirty(*, today: dt.date | None = None) -> list[dt.date]:
    """Refresh the marked days plus the last ALWAYS_REFRESH_DAYS days; clear the marks that
    were set before the refresh started (a mark set meanwhile survives for the next run)."""
    started = timezone.now()
    today = today or local_day(started)
    marked = set(DirtyDay.objects.filter(marked_at__lte=started).values_list("day", flat=True))
    recent = {today - dt.timedelta(days=k) for k in range(ALWAYS_REFRESH_DAYS)}
    done = rollup_refresh(days=marked | recent)
    DirtyDay.objects.filter(day__in=marked, marked_at__lte=started).delete()
    return done


def alert_snooze(*, alert: SpikeAlert, until: dt.date, actor: Actor) -> SpikeAlert:
    """Snooze an alert: scans keep updating it but it (and new incidents of the same segment)
    is not re-alerted before ``until``."""
    if until < local_day(timezone.now()) and until < alert.last_alert_day:
        raise ValidationError("Snooze until a day after the alert's last alert.")
    with transaction.atomic():
        locked = SpikeAlert.objects.select_for_update().get(pk=alert.pk)
        before = {"status": locked.status, "snoozed_until": str(locked.snoozed_until or "")}
        locked.status = AlertStatus.SNOOZED
        locked.snoozed_until = until
        locked.snoozed_by_id = actor.user_id
        locked.updated_at = timezone.now()
        locked.save(update_fields=["status", "snoozed_until", "snoozed_by", "updated_at"])
        audit_record(
            actor=actor,
            action="signals.alert_snoozed",
            obj=locked,
            before=before,
            after={"status": locked.status, "snoozed_until": str(until)},
        )
    return locked


def _alert_set_status(
    *, alert: SpikeAlert, status: str, actor: Actor, action: str, **extra: object
) -> SpikeAlert:
    with transaction.atomic():
        locked = SpikeAlert.objects.select_for_update().get(pk=alert.pk)
        before = {"status": locked.status}
        locked.status = status
        for name, value in extra.items():
            setattr(locked, name, value)
        locked.updated_at = timezone.now()
        locked.save(update_fields=["status", "updated_at", *extra])
        audit_record(
            actor=actor, action=action, obj=locked, before=before, after={"status": status}
        )
    return locked


def alert_acknowledge(*, alert: SpikeAlert, actor: Actor) -> SpikeAlert:
    """A lead has seen the alert and owns the follow-up (scans keep updating it)."""
    if alert.status == AlertStatus.RESOLVED:
        raise ValidationError("A resolved alert cannot be acknowledged.")
    return _alert_set_status(
        alert=alert,
        status=AlertStatus.ACKNOWLEDGED,
        actor=actor,
        action="signals.alert_acknowledged",
        acknowledged_by_id=actor.user_id,
    )


def alert_resolve(*, alert: SpikeAlert, actor: Actor) -> SpikeAlert:
    """Close the alert; a later scan that still sees the incident re-opens it."""
    return _alert_set_status(
        alert=alert, status=AlertStatus.RESOLVED, actor=actor, action="signals.alert_resolved"
    )
