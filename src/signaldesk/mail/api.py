"""POST /api/v1/mail/inbound: a mail provider (or relay script) posts one raw RFC 5322 message.

Authentication, one of:
- `Authorization: Bearer <token>` of a token with the `intake` scope (role staff), or
- HMAC: `X-SignalDesk-Timestamp: <unix seconds>` and `X-SignalDesk-Signature: sha256=<hex>` of
  HMAC-SHA256(SIGNALDESK_MAIL_INBOUND_SECRET, "<timestamp>." + raw body), at most 5 minutes old.
Console sessions are not accepted. Every call counts against the `inbound_webhook` rate limit
(per client address) before anything else. 201 stored, 200 already received (same Message-ID),
413 too large, 422 refused (MIME parts/nesting, no sender, invalid), 401/403, 429."""

from __future__ import annotations

import hashlib
import hmac
import time

from django.conf import settings
from django.http import HttpRequest
from django.utils import timezone
from ninja import Router, Schema, Status

from signaldesk.accounts.api_auth import authorize
from signaldesk.accounts.selectors import api_token_for_key
from signaldesk.core.audit import Actor
from signaldesk.core.errors import SignalDeskError
from signaldesk.core.ratelimit import client_ip, rate_limit_check
from signaldesk.mail.parse import MailRefused
from signaldesk.mail.services import mail_receive

mail_router = Router(tags=["mail"])

MAX_CLOCK_SKEW_SECONDS = 300


class Unauthenticated(SignalDeskError):
    code = "unauthenticated"
    status = 401


class Refused(SignalDeskError):
    code = "refused"
    status = 422


class TooLarge(SignalDeskError):
    code = "too_large"
    status = 413


class MailReceiptOut(Schema):
    kind: str
    message_id: str
    mail_id: int
    ticket_id: int | None
    ticket_message_id: int | None
    created: bool
    ticket_created: bool
    attachments_rejected: list[dict[str, object]]


def inbound_signature(*, secret: str, timestamp: str, body: bytes) -> str:
    digest = hmac.new(secret.encode(), timestamp.encode() + b"." + body, hashlib.sha256)
    return f"sha256={digest.hexdigest()}"


def _raw_body(request: HttpRequest) -> bytes:
    """The body, read from the stream with a cap (never more than the limit + 1 byte)."""
    limit = int(settings.SIGNALDESK_MAIL_MAX_MESSAGE_BYTES)
    declared = int(request.META.get("CONTENT_LENGTH") or 0)
    if declared > limit:
        raise TooLarge(f"The message is {declared} bytes; the limit is {limit}.")
    raw = request.read(limit + 1)
    if len(raw) > limit:
        raise TooLarge(f"The message is larger than the limit of {limit} bytes.")
    return raw


def _token_caller(request: HttpRequest, header: str) -> Actor:
    token = api_token_for_key(header[7:].strip())
    if token is None:
        raise Unauthenticated("Authentication required.")
    request.user = token.user
    request.api_token = token  # type: ignore[attr-defined]
    authorize(request, "messages.ingest")
    return Actor.of_user(token.user)


def _signed_caller(request: HttpRequest, raw: bytes) -> Actor:
    secret = str(settings.SIGNALDESK_MAIL_INBOUND_SECRET)
    timestamp = request.headers.get("X-SignalDesk-Timestamp", "")
    signature = request.headers.get("X-SignalDesk-Signature", "")
    if not (secret and timestamp.isdigit() and signature):
        raise Unauthenticated("Authentication required.")
    if abs(time.time() - int(timestamp)) > MAX_CLOCK_SKEW_SECONDS:
        raise Unauthenticated("The signature timestamp is too old or in the future.")
    expected = inbound_signature(secret=secret, timestamp=timestamp, body=raw)
    if not hmac.compare_digest(expected, signature):
        raise Unauthenticated("Authentication required.")
    return Actor.system("mail.http")


@mail_router.post("/inbound", response={200: MailReceiptOut, 201: MailReceiptOut})
def mail_inbound(request: HttpRequest) -> Status[MailReceiptOut]:
    rate_limit_check(scope="inbound_webhook", key=client_ip(request), now=timezone.now())
    header = request.headers.get("Authorization", "")
    if header.lower().startswith("bearer "):
        actor = _token_caller(request, header)  # before reading the body
        raw = _raw_body(request)
    elif settings.SIGNALDESK_MAIL_INBOUND_SECRET and request.headers.get("X-SignalDesk-Signature"):
        raw = _raw_body(request)
        actor = _signed_caller(request, raw)
    else:
        raise Unauthenticated("Authentication required.")
    try:
        receipt = mail_receive(raw=raw, source="http", actor=actor)
    except MailRefused as refused:
        if refused.code == "too_large":
            raise TooLarge(refused.reason) from None
        raise Refused(refused.reason, code=refused.code) from None
    out = MailReceiptOut(
        kind=receipt.kind,
        message_id=receipt.message_id,
        mail_id=receipt.mail_id,
        ticket_id=receipt.ticket_id,
        ticket_message_id=receipt.ticket_message_id,
        created=receipt.created,
        ticket_created=receipt.ticket_created,
        attachments_rejected=list(receipt.attachments_rejected),
    )
    return Status(201 if receipt.created else 200, out)
