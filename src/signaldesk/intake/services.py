"""Taking in one customer message from any channel: normalise, find the customer, pick the ticket,
store the message once. Rules: docs/intake.md."""

from __future__ import annotations

import dataclasses
import datetime as dt
import logging
import re
from dataclasses import dataclass
from functools import partial

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone

from signaldesk.commerce.models import Customer, Order
from signaldesk.core.audit import Actor
from signaldesk.core.errors import Conflict, ValidationError
from signaldesk.intake.content import (
    MAX_HTML_BYTES,
    MAX_TEXT_BYTES,
    html_to_text,
    order_number_candidates,
    order_numbers_in,
    sanitize_html,
    subject_from,
)
from signaldesk.intake.identity import (
    IdentityClaims,
    customer_resolve,
    normalise_email,
    normalise_handle,
    normalise_marketplace_id,
    normalise_phone,
)
from signaldesk.intake.threads import Route, thread_decide
from signaldesk.proactive.reference import reference_in_subject, reference_parse
from signaldesk.proactive.services import proactive_reply_link
from signaldesk.tickets.models import Channel, Message, Ticket
from signaldesk.tickets.selectors import message_by_idempotency_key
from signaldesk.tickets.services import (
    message_inbound_create,
    ticket_create,
    ticket_order_link,
    ticket_reopen,
    ticket_thread_attach,
    ticket_thread_create,
)

logger = logging.getLogger(__name__)

MAX_ATTACHMENT_BYTES = 25 * 1024 * 1024
MAX_ATTACHMENTS = 50
_ATTEMPTS = 3
_CONTENT_TYPE_RE = re.compile(r"^[\w.+-]+/[\w.+-]+$")
_SHA256_RE = re.compile(r"^[0-9a-f]{64}$")


@dataclass(frozen=True)
class InboundAttachment:
    """Metadata only; the file itself stays where the channel put it (url)."""

    filename: str
    content_type: str
    size: int
    url: str = ""
    sha256: str = ""


@dataclass(frozen=True)
class InboundMessage:
    channel: str
    identity: IdentityClaims
    text: str = ""
    html: str = ""
    subject: str = ""
    external_thread_id: str = ""
    external_message_id: str = ""
    idempotency_key: str | None = None
    attachments: tuple[InboundAttachment, ...] = ()
    sent_at: dt.datetime | None = None
    campaign_ref: str = ""  # a proactive campaign's reply reference (proactive/reference.py)


@dataclass(frozen=True)
class IngestResult:
    message_id: int
    ticket_id: int
    customer_id: int | None
    created: bool  # False: a duplicate delivery, nothing was written
    ticket_created: bool = False
    ticket_reopened: bool = False
    customer_created: bool = False
    follow_up_of: int | None = None
    merged_customer_ids: tuple[int, ...] = ()


class _DuplicateDelivery(Exception):
    def __init__(self, message: Message) -> None:
        super().__init__(message.pk)
        self.message = message


def after_message_ingested(ticket_id: int, message_id: int) -> None:
    """Runs after the transaction that stored a new inbound message has committed: queues triage
    (entities, enrichment, language, sentiment, risk, reason) for the ticket. In the embedded mode
    the task runs in-process right away; in production a Celery worker picks it up. It is not
    called for duplicate deliveries."""
    from signaldesk.triage.tasks import triage_ticket_task

    triage_ticket_task.delay(ticket_id)


def message_ingest(*, inbound: InboundMessage, actor: Actor) -> IngestResult:
    """Store one inbound message once and thread it onto the right ticket.

    Each attempt is one transaction. A duplicate idempotency key returns the stored message
    (created=False). When a concurrent request wins a unique constraint (identity, thread key,
    idempotency key) the attempt rolls back and is retried; after three attempts: Conflict."""
    clean = inbound_normalised(inbound)
    for attempt in range(1, _ATTEMPTS + 1):
        if clean.idempotency_key:
            existing = message_by_idempotency_key(key=clean.idempotency_key)
            if existing is not None:
                return _duplicate_result(existing)
        try:
            return _ingest_once(inbound=clean, actor=actor)
        except _DuplicateDelivery as duplicate:
            return _duplicate_result(duplicate.message)
        except IntegrityError:
            logger.info("intake.retry", extra={"attempt": attempt, "channel": clean.channel})
    raise Conflict("The message collided with concurrent writes; retry it.", code="busy")


def _duplicate_result(message: Message) -> IngestResult:
    return IngestResult(
        message_id=message.pk,
        ticket_id=message.ticket_id,
        customer_id=message.author_customer_id,
        created=False,
    )


@transaction.atomic
def _ingest_once(*, inbound: InboundMessage, actor: Actor) -> IngestResult:
    now = timezone.now()
    at = min(inbound.sent_at or now, now)
    window = dt.timedelta(days=settings.SIGNALDESK_REOPEN_WINDOW_DAYS)
    body_html = sanitize_html(inbound.html) if inbound.html.strip() else ""
    body_text = inbound.text.strip() or html_to_text(body_html)
    if not body_text:
        raise ValidationError("The message has no text (the HTML was empty once sanitised).")
    orders = _orders_quoted(f"{inbound.subject}\n{body_text}")
    resolution = customer_resolve(claims=inbound.identity, quoted_orders=orders, at=at, actor=actor)
    customer = resolution.customer
    if resolution.merged_customer_ids:
        orders = _orders_quoted(f"{inbound.subject}\n{body_text}")  # owners moved in the merge
    order = _order_for_ticket(orders, customer=customer, email=inbound.identity.email)
    decision = thread_decide(
        customer=customer,
        channel=inbound.channel,
        external_thread_id=inbound.external_thread_id,
        order=order,
        at=at,
        window=window,
    )
    if decision.route == Route.NEW:
        ticket = ticket_create(
            subject=subject_from(subject=inbound.subject, text=body_text),
            channel=inbound.channel,
            customer=customer,
            order=order,
            at=at,
            actor=actor,
            follow_up_of=decision.follow_up_of,
        )
    elif decision.route == Route.REOPEN:
        assert decision.ticket is not None
        ticket = ticket_reopen(ticket=decision.ticket, at=at, actor=actor, reason=decision.reason)
    else:
        assert decision.ticket is not None
        ticket = decision.ticket
    if inbound.external_thread_id:
        # A key seen at decision time may move to a follow-up; a new key is inserted, so a
        # concurrent request that created it meanwhile makes this attempt fail and retry.
        attach = ticket_thread_attach if decision.via == "thread" else ticket_thread_create
        attach(
            ticket=ticket,
            channel=inbound.channel,
            external_thread_id=inbound.external_thread_id,
            at=at,
            actor=actor,
        )
    if order is not None and ticket.order_id is None and ticket.customer_id == customer.pk:
        ticket = ticket_order_link(ticket=ticket, order=order, actor=actor)
    message = _message_store(
        inbound,
        ticket=ticket,
        customer=customer,
        text=body_text,
        html=body_html,
        at=at,
        now=now,
        actor=actor,
    )
    if inbound.campaign_ref:
        proactive_reply_link(
            reference=inbound.campaign_ref,
            ticket=ticket,
            customer_id=customer.pk,
            at=at,
            actor=actor,
        )
    # robust: a failure in the follow-up work is logged and never fails the stored message
    transaction.on_commit(partial(after_message_ingested, ticket.pk, message.pk), robust=True)
    logger.info(
        "message.ingested",
        extra={"message_id": message.pk, "ticket_id": ticket.pk, "route": decision.route.value},
    )
    return IngestResult(
        message_id=message.pk,
        ticket_id=ticket.pk,
        customer_id=customer.pk,
        created=True,
        ticket_created=decision.route == Route.NEW,
        ticket_reopened=decision.route == Route.REOPEN,
        customer_created=resolution.created,
        follow_up_of=decision.follow_up_of.pk if decision.follow_up_of else None,
        merged_customer_ids=resolution.merged_customer_ids,
    )


def _message_store(
    inbound: InboundMessage,
    *,
    ticket: Ticket,
    customer: Customer,
    text: str,
    html: str,
    at: dt.datetime,
    now: dt.datetime,
    actor: Actor,
) -> Message:
    """Insert the message in a savepoint; a lost race on the idempotency key rolls the whole
    attempt back and answers with the message that won."""
    identity = inbound.identity
    try:
        with transaction.atomic():
            return message_inbound_create(
                ticket=ticket,
                channel=inbound.channel,
                customer=customer,
                author_label=identity.name or identity.email or identity.phone,
                body_text=text,
                body_html=html,
                attachments=[dataclasses.asdict(a) for a in inbound.attachments],
                external_id=inbound.external_message_id,
                idempotency_key=inbound.idempotency_key,
                sent_at=at,
                received_at=now,
                actor=actor,
            )
    except IntegrityError:
        if not inbound.idempotency_key:
            raise
        winner = message_by_idempotency_key(key=inbound.idempotency_key)
        if winner is None:
            raise
        raise _DuplicateDelivery(winner) from None


def _orders_quoted(text: str) -> list[Order]:
    """Existing orders quoted in the text, first mention first."""
    digits = order_numbers_in(text)[:10]
    if not digits:
        return []
    spellings = {s: d for d in digits for s in order_number_candidates(d)}
    found = Order.objects.select_related("customer").filter(number__in=list(spellings))
    by_digits: dict[str, Order] = {}
    for order in found:
        by_digits.setdefault(spellings[order.number], order)
    return [by_digits[d] for d in digits if d in by_digits]


def _order_for_ticket(orders: list[Order], *, customer: Customer, email: str) -> Order | None:
    """The first quoted order that is this customer's (or a guest order placed with the
    sender's email). Someone else's order is never linked."""
    for order in orders:
        if order.customer_id == customer.pk:
            return order
        if order.customer_id is None and email and order.email.strip().lower() == email:
            return order
    return None


def inbound_normalised(inbound: InboundMessage) -> InboundMessage:
    """Validate and normalise an inbound message (also for callers that bypass the API schema).
    Raises ValidationError naming the offending field."""
    if inbound.channel not in Channel.values:
        raise ValidationError(f"channel: unknown channel {inbound.channel!r}.")
    raw = inbound.identity
    normalisers = {
        "email": normalise_email,
        "phone": normalise_phone,
        "social_handle": normalise_handle,
        "marketplace_id": normalise_marketplace_id,
    }
    values: dict[str, str] = {}
    for field, normalise in normalisers.items():
        value = getattr(raw, field).strip()
        try:
            values[field] = normalise(value) if value else ""
        except ValueError as exc:
            raise ValidationError(f"customer.{field}: {exc}") from None
    claims = IdentityClaims(name=raw.name.strip()[:200], **values)
    if not claims.pairs():
        raise ValidationError(
            "customer: give at least one of email, phone, social_handle, marketplace_id."
        )
    if len(inbound.text.encode()) > MAX_TEXT_BYTES:
        raise ValidationError(f"text: longer than {MAX_TEXT_BYTES} bytes.")
    if len(inbound.html.encode()) > MAX_HTML_BYTES:
        raise ValidationError(f"html: longer than {MAX_HTML_BYTES} bytes.")
    if not inbound.text.strip() and not inbound.html.strip():
        raise ValidationError("text: give text or html.")
    if len(inbound.attachments) > MAX_ATTACHMENTS:
        raise ValidationError(f"attachments: at most {MAX_ATTACHMENTS}.")
    for index, attachment in enumerate(inbound.attachments):
        problem = attachment_problem(attachment)
        if problem:
            raise ValidationError(f"attachments.{index}: {problem}")
    if inbound.sent_at is not None and timezone.is_naive(inbound.sent_at):
        raise ValidationError("sent_at: needs a time zone.")
    for field in ("external_thread_id", "external_message_id", "idempotency_key"):
        if len(getattr(inbound, field) or "") > 255:
            raise ValidationError(f"{field}: at most 255 characters.")
    key = (inbound.idempotency_key or "").strip() or None
    reference = _campaign_reference(inbound)
    # replies to one campaign notice share a thread, so a second reply lands on the same ticket
    thread = inbound.external_thread_id or (f"proactive:{reference}" if reference else "")
    return dataclasses.replace(
        inbound,
        identity=claims,
        idempotency_key=key,
        campaign_ref=reference,
        external_thread_id=thread,
    )


def _campaign_reference(inbound: InboundMessage) -> str:
    """The campaign reference named explicitly (API metadata) or in the subject, else ""."""
    if inbound.campaign_ref.strip():
        parsed = reference_parse(inbound.campaign_ref)
        if parsed is None:
            raise ValidationError("metadata.campaign_ref: expected PC-<campaign>-<token>.")
        return str(parsed)
    found = reference_in_subject(inbound.subject)
    return str(found) if found is not None else ""


def attachment_problem(attachment: InboundAttachment) -> str:
    """Why attachment metadata is unacceptable, or "" when it is fine."""
    if not attachment.filename.strip() or len(attachment.filename) > 255:
        return "filename must be 1–255 characters."
    if not _CONTENT_TYPE_RE.match(attachment.content_type):
        return "content_type must look like type/subtype."
    if not 0 <= attachment.size <= MAX_ATTACHMENT_BYTES:
        return f"size must be between 0 and {MAX_ATTACHMENT_BYTES} bytes."
    if attachment.url and not attachment.url.startswith(("https://", "http://")):
        return "url must be http(s)."
    if attachment.sha256 and not _SHA256_RE.match(attachment.sha256):
        return "sha256 must be 64 lower-case hex digits."
    return ""
