"""Transactional outbox: webhooks and emails written with the change they report, sent later.

- `outbox_enqueue(...)` inserts an OutboxMessage inside the caller's transaction (so a rolled-back
  change never notifies anyone) and asks for a delivery run once that transaction commits.
- `outbox_deliver_due(now=...)` sends the due messages, oldest first. A failure schedules the next
  attempt with exponential backoff (1 s, 2 s, 4 s, … capped at 10 min); after
  SIGNALDESK_OUTBOX_MAX_ATTEMPTS attempts the message is marked failed (visible in the admin).
  Order per target is kept: while an older message to a target is waiting, newer ones wait too.
- The task `core.outbox_deliver` (core/tasks.py) runs it every 30 s (config/schedule.py).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import logging
import urllib.error
import urllib.request
from collections.abc import Mapping
from dataclasses import dataclass

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.db import transaction

from signaldesk.core.models import OutboxMessage

logger = logging.getLogger(__name__)

BACKOFF_START = dt.timedelta(seconds=1)
BACKOFF_CAP = dt.timedelta(minutes=10)
DEFAULT_MAX_ATTEMPTS = 12
TIMEOUT_SECONDS = 10.0
BATCH = 500
#: Key in an e-mail's headers that carries its HTML alternative (never sent as a header).
EMAIL_HTML_KEY = "_html"


def max_attempts() -> int:
    return int(getattr(settings, "SIGNALDESK_OUTBOX_MAX_ATTEMPTS", DEFAULT_MAX_ATTEMPTS))


def backoff_after(attempts: int) -> dt.timedelta:
    """Wait before the next attempt, after `attempts` failed ones: 1 s, 2 s, 4 s … ≤ 10 min."""
    seconds = BACKOFF_START.total_seconds() * 2 ** max(attempts - 1, 0)
    return min(dt.timedelta(seconds=seconds), BACKOFF_CAP)


def hmac_signature(*, secret: str, timestamp: str, body: str) -> str:
    """`sha256=<hex>` of HMAC-SHA256 over "<timestamp>.<body>"."""
    digest = hmac.new(secret.encode(), f"{timestamp}.{body}".encode(), hashlib.sha256)
    return f"sha256={digest.hexdigest()}"


def outbox_enqueue(
    *,
    kind: str,
    target: str,
    body: str,
    dedupe_key: str,
    now: dt.datetime,
    headers: Mapping[str, str] | None = None,
) -> OutboxMessage:
    """Store one message in the current transaction; a second call with the same dedupe key
    returns the stored message unchanged. Delivery is triggered when the transaction commits."""
    if kind not in OutboxMessage.Kind.values:
        raise ValueError(f"unknown outbox kind {kind!r}")
    message, created = OutboxMessage.objects.get_or_create(
        dedupe_key=dedupe_key,
        defaults={
            "kind": kind,
            "target": target,
            "headers": dict(headers or {}),
            "body": body,
            "created_at": now,
            "next_attempt_at": now,
        },
    )
    if created:
        from signaldesk.core.jobs import enqueue_on_commit
        from signaldesk.core.tasks import outbox_deliver_task

        enqueue_on_commit(outbox_deliver_task)
    return message


def _send_email(message: OutboxMessage) -> None:
    """One e-mail to `target`. Headers are sent as given (Message-ID, In-Reply-To, References,
    …); "Subject", "From" and "Reply-To" fill those fields; EMAIL_HTML_KEY is not a header but
    the HTML alternative of the plain-text body."""
    headers = {str(key): str(value) for key, value in message.headers.items()}
    subject = headers.pop("Subject", "SignalDesk")
    sender = headers.pop("From", "") or None
    html = headers.pop(EMAIL_HTML_KEY, "")
    reply_to = [a.strip() for a in headers.pop("Reply-To", "").split(",") if a.strip()]
    email = EmailMultiAlternatives(
        subject=subject,
        body=message.body,
        from_email=sender,
        to=[message.target],
        reply_to=reply_to,
        headers=headers,
    )
    if html:
        email.attach_alternative(html, "text/html")
    email.send(fail_silently=False)


def _send(message: OutboxMessage) -> None:
    """Raise on any failure (connection, timeout, non-2xx)."""
    if message.kind == OutboxMessage.Kind.EMAIL:
        _send_email(message)
        return
    if not message.target.startswith(("http://", "https://")):
        raise ValueError("webhook targets must be http(s) URLs")
    request = urllib.request.Request(  # noqa: S310 - scheme checked above
        message.target,
        data=message.body.encode(),
        headers={"Content-Type": "application/json", **message.headers},
        method="POST",
    )
    with urllib.request.urlopen(request, timeout=TIMEOUT_SECONDS) as response:  # noqa: S310
        status = int(response.status)
    if not 200 <= status < 300:
        raise urllib.error.URLError(f"HTTP {status}")


@dataclass
class DeliveryReport:
    delivered: int = 0
    retried: int = 0
    failed: int = 0


def _attempt(message_id: int, now: dt.datetime, report: DeliveryReport) -> bool:
    """One attempt for one message under a row lock (exactly once across workers)."""
    with transaction.atomic():
        message = (
            OutboxMessage.objects.select_for_update(skip_locked=True)
            .filter(pk=message_id, status=OutboxMessage.Status.PENDING)
            .first()
        )
        if message is None:
            return False
        message.attempts += 1
        try:
            _send(message)
        except Exception as exc:  # any failure is retried
            message.last_error = f"{type(exc).__name__}: {exc}"[:2000]
            if message.attempts >= max_attempts():
                message.status = OutboxMessage.Status.FAILED
                report.failed += 1
                logger.error("outbox.failed", extra={"message_id": message.pk})
            else:
                message.next_attempt_at = now + backoff_after(message.attempts)
                report.retried += 1
            message.save(update_fields=["attempts", "last_error", "status", "next_attempt_at"])
            return False
        message.status = OutboxMessage.Status.DELIVERED
        message.delivered_at = now
        message.last_error = ""
        message.save(update_fields=["attempts", "last_error", "status", "delivered_at"])
        report.delivered += 1
        return True


def outbox_deliver_due(*, now: dt.datetime) -> DeliveryReport:
    """Send every due pending message, oldest first, keeping the order per target."""
    report = DeliveryReport()
    blocked: set[str] = set()
    pending = OutboxMessage.objects.filter(status=OutboxMessage.Status.PENDING).order_by("id")
    for message_id, target, due_at in pending.values_list("id", "target", "next_attempt_at")[
        :BATCH
    ]:
        if target in blocked:
            continue
        if due_at > now or not _attempt(message_id, now, report):
            blocked.add(target)
    return report
