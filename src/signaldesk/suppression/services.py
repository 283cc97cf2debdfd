"""Keeping the suppression list in step with tickets, and telling the marketing system.

`suppression_sync_for_ticket` is called when workflow starts on a ticket, when its status
changes (workflow/sla.py's status hook) and when a money request is created or decided. It adds,
extends or lifts that ticket's entry. Every change writes a signed webhook to the outbox
(core/outbox.py) when SIGNALDESK_SUPPRESSION_WEBHOOK_URL is set."""

from __future__ import annotations

import datetime as dt
import functools
import json
import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml
from django.db import transaction

from signaldesk.approvals.models import MoneyRequest, MoneyStatus
from signaldesk.core.audit import Actor, audit_record
from signaldesk.core.models import OutboxMessage
from signaldesk.core.outbox import hmac_signature, outbox_enqueue
from signaldesk.suppression.models import LiftReason, SuppressionEntry
from signaldesk.tickets.models import OPEN_STATUSES, Ticket

CONFIG_PATH = Path(__file__).with_name("config.yaml")
ACTOR = Actor.system("suppression")
SIGNATURE_HEADER = "X-SignalDesk-Signature"
TIMESTAMP_HEADER = "X-SignalDesk-Timestamp"


@dataclass(frozen=True)
class SuppressionConfig:
    priorities: frozenset[str]
    reasons: frozenset[str]
    pending_money_request: bool
    ttl: dt.timedelta


@functools.cache
def suppression_config() -> SuppressionConfig:
    doc = yaml.safe_load(CONFIG_PATH.read_text(encoding="utf-8"))
    return SuppressionConfig(
        priorities=frozenset(doc.get("priorities", [])),
        reasons=frozenset(doc.get("reasons", [])),
        pending_money_request=bool(doc.get("pending_money_request", True)),
        ttl=dt.timedelta(days=int(doc.get("ttl_days", 14))),
    )


def suppression_reason(ticket: Ticket) -> str | None:
    """Why this ticket suppresses its customer, or None."""
    if ticket.status not in OPEN_STATUSES or ticket.customer_id is None:
        return None
    config = suppression_config()
    if ticket.priority in config.priorities:
        return f"open {ticket.priority} priority issue"
    if ticket.contact_reason in config.reasons:
        return f"open issue: {ticket.contact_reason}"
    if config.pending_money_request and (
        MoneyRequest.objects.filter(ticket_id=ticket.pk, status=MoneyStatus.PENDING).exists()
    ):
        return "pending money request"
    return None


def entry_payload(entry: SuppressionEntry) -> dict[str, Any]:
    customer = entry.customer
    return {
        "id": entry.pk,
        "customer_id": entry.customer_id,
        "customer_email": customer.email,
        "reason": entry.reason,
        "source_ticket_id": entry.source_ticket_id,
        "started_at": entry.started_at.isoformat(),
        "expires_at": entry.expires_at.isoformat(),
        "lifted_at": entry.lifted_at.isoformat() if entry.lifted_at else None,
        "lift_reason": entry.lift_reason,
    }


def _notify(entry: SuppressionEntry, event: str, now: dt.datetime) -> None:
    """Signed webhook via the outbox; off when no URL is configured."""
    url = os.environ.get("SIGNALDESK_SUPPRESSION_WEBHOOK_URL", "")
    if not url:
        return
    secret = os.environ.get("SIGNALDESK_SUPPRESSION_WEBHOOK_SECRET", "")
    body = json.dumps(
        {"event": f"suppression.{event}", "occurred_at": now.isoformat(), **entry_payload(entry)},
        sort_keys=True,
    )
    timestamp = str(int(now.timestamp()))
    headers = {TIMESTAMP_HEADER: timestamp, "X-SignalDesk-Event": f"suppression.{event}"}
    if secret:
        headers[SIGNATURE_HEADER] = hmac_signature(secret=secret, timestamp=timestamp, body=body)
    outbox_enqueue(
        kind=OutboxMessage.Kind.WEBHOOK,
        target=url,
        body=body,
        headers=headers,
        dedupe_key=f"suppression:{entry.pk}:{event}:{now.isoformat()}",
        now=now,
    )


def _record(entry: SuppressionEntry, event: str, now: dt.datetime) -> None:
    audit_record(actor=ACTOR, action=f"suppression.{event}", obj=entry, after=entry_payload(entry))
    _notify(entry, event, now)


def _lift(entry: SuppressionEntry, reason: str, now: dt.datetime) -> None:
    entry.lifted_at = now
    entry.lift_reason = reason
    entry.updated_at = now
    entry.save(update_fields=["lifted_at", "lift_reason", "updated_at"])
    _record(entry, "expired" if reason == LiftReason.EXPIRED else "lifted", now)


@transaction.atomic
def suppression_sync_for_ticket(*, ticket_id: int, now: dt.datetime) -> str | None:
    """Add, extend or lift the ticket's entry; returns the change made ("added", "extended",
    "lifted") or None."""
    ticket = Ticket.objects.select_related("customer").filter(pk=ticket_id).first()
    if ticket is None:
        return None
    entry = (
        SuppressionEntry.objects.select_for_update()
        .select_related("customer")
        .filter(source_ticket_id=ticket_id, lifted_at__isnull=True)
        .first()
    )
    reason = suppression_reason(ticket)
    if reason is None:
        if entry is None:
            return None
        _lift(entry, LiftReason.RESOLVED, now)
        return "lifted"
    expires_at = now + suppression_config().ttl
    if entry is not None and entry.customer_id == ticket.customer_id:
        entry.reason = reason
        entry.expires_at = max(entry.expires_at, expires_at)
        entry.updated_at = now
        entry.save(update_fields=["reason", "expires_at", "updated_at"])
        _record(entry, "extended", now)
        return "extended"
    if entry is not None:  # the ticket moved to another customer
        _lift(entry, LiftReason.RESOLVED, now)
    assert ticket.customer is not None
    entry = SuppressionEntry.objects.create(
        customer=ticket.customer,
        reason=reason,
        source_ticket=ticket,
        started_at=now,
        expires_at=expires_at,
        updated_at=now,
    )
    _record(entry, "added", now)
    return "added"


def suppression_expire(*, now: dt.datetime) -> int:
    """Lift every active entry whose expiry has passed; returns how many."""
    expired = 0
    due = SuppressionEntry.objects.filter(lifted_at__isnull=True, expires_at__lte=now)
    for entry_id in list(due.order_by("id").values_list("id", flat=True)):
        with transaction.atomic():
            entry = (
                SuppressionEntry.objects.select_for_update()
                .select_related("customer")
                .filter(pk=entry_id, lifted_at__isnull=True)
                .first()
            )
            if entry is not None:
                _lift(entry, LiftReason.EXPIRED, now)
                expired += 1
    return expired
