"""Taking in one e-mail (from the SMTP listener, the HTTP endpoint or the CLI).

`mail_receive` parses the bytes (mail.parse), and then:
- customer mail → the ticket is found from In-Reply-To/References (Message-IDs we stored) or a
  subject tag "[#123]"/"SD-123" of the sender's own ticket; attachments are checked and stored;
  the message goes through intake.services.message_ingest (channel "email", idempotency key =
  Message-ID, thread key = the ticket's e-mail thread or the conversation's root Message-ID);
- a bounce → recorded; a permanent failure of one of our replies puts an internal note and the
  tag "email_bounced" on that ticket and marks the address as bouncing;
- an auto-reply → recorded (linked to the ticket when it answers one of ours), nothing else.
A Message-ID seen before returns the stored result (created=False) and writes nothing.
Rules in docs/email.md."""

from __future__ import annotations

import datetime as dt
import logging
from dataclasses import dataclass

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from signaldesk.core.audit import Actor, audit_record
from signaldesk.intake.content import MAX_HTML_BYTES, MAX_TEXT_BYTES
from signaldesk.intake.identity import IdentityClaims
from signaldesk.intake.services import InboundMessage, message_ingest
from signaldesk.mail.attachments import AttachmentPolicy, attachments_decide, attachments_store
from signaldesk.mail.models import BouncingAddress, MailDirection, MailMessage
from signaldesk.mail.parse import MailKind, MailLimits, MailRefused, ParsedEmail, parse_email
from signaldesk.mail.selectors import (
    mail_by_message_id,
    mail_ticket_for_ids,
    ticket_email_thread_key,
    ticket_for_subject_ref,
)
from signaldesk.tickets.actions import ticket_add_tags
from signaldesk.tickets.models import Channel, Direction, Message, Ticket
from signaldesk.tickets.services import ticket_thread_attach

logger = logging.getLogger(__name__)

BOUNCE_TAG = "email_bounced"


@dataclass(frozen=True)
class MailReceipt:
    kind: str  # customer, bounce, auto_reply
    message_id: str  # the RFC 5322 Message-ID
    mail_id: int
    ticket_id: int | None
    ticket_message_id: int | None
    created: bool  # False: this Message-ID was received before, nothing was written
    ticket_created: bool = False
    attachments_rejected: tuple[dict[str, object], ...] = ()


def mail_limits() -> MailLimits:
    return MailLimits(
        max_message_bytes=int(settings.SIGNALDESK_MAIL_MAX_MESSAGE_BYTES),
        max_parts=int(settings.SIGNALDESK_MAIL_MAX_PARTS),
        max_depth=int(settings.SIGNALDESK_MAIL_MAX_DEPTH),
    )


def _receipt(row: MailMessage, *, created: bool, ticket_created: bool = False) -> MailReceipt:
    return MailReceipt(
        kind=row.kind,
        message_id=row.message_id,
        mail_id=row.pk,
        ticket_id=row.ticket_id,
        ticket_message_id=row.ticket_message_id,
        created=created,
        ticket_created=ticket_created,
        attachments_rejected=tuple(row.attachments_rejected),
    )


def mail_receive(
    *, raw: bytes, source: str, actor: Actor, envelope_from: str | None = None
) -> MailReceipt:
    """Receive one e-mail. Raises MailRefused (over the size/part/depth limits, no sender) and
    intake's ValidationError; in both cases nothing is stored."""
    try:
        parsed = parse_email(raw, limits=mail_limits(), envelope_from=envelope_from)
        if parsed.kind == MailKind.CUSTOMER and not parsed.from_address:
            raise MailRefused("Message refused: no sender address (From).", code="no_sender")
    except MailRefused as refused:
        audit_record(
            actor=actor,
            action="mail.refused",
            object_type="mail.mailmessage",
            context={"code": refused.code, "reason": refused.reason, "bytes": len(raw),
                     "source": source},
        )  # fmt: skip
        logger.warning("mail.refused", extra={"code": refused.code, "bytes": len(raw)})
        raise
    seen = mail_by_message_id(message_id=parsed.message_id)
    if seen is not None:
        return _receipt(seen, created=False)
    if parsed.kind == MailKind.CUSTOMER:
        return _receive_customer_mail(parsed, source=source, actor=actor)
    return _record_machine_mail(parsed, source=source, actor=actor)


def _thread_key(parsed: ParsedEmail, ticket: Ticket | None) -> str:
    if ticket is not None:
        return ticket_email_thread_key(ticket=ticket) or f"ticket-{ticket.pk}"
    root = parsed.references[0] if parsed.references else parsed.in_reply_to
    return root or parsed.message_id


def _clip(text: str, limit: int) -> str:
    data = text.encode()
    return text if len(data) <= limit else data[: limit - 4].decode(errors="ignore") + "\n…"


def _receive_customer_mail(parsed: ParsedEmail, *, source: str, actor: Actor) -> MailReceipt:
    decision = attachments_decide(parsed.attachments, AttachmentPolicy.from_settings())
    stored = attachments_store(decision)  # content-addressed: harmless if the rest rolls back
    text = parsed.text or parsed.subject or f"({len(parsed.attachments)} attachments, no text)"
    html = parsed.html if len(parsed.html.encode()) <= MAX_HTML_BYTES else ""
    now = timezone.now()
    with transaction.atomic():
        ticket = mail_ticket_for_ids(message_ids=parsed.thread_ids()) or ticket_for_subject_ref(
            subject=parsed.subject, sender=parsed.from_address
        )
        key = _thread_key(parsed, ticket)
        if ticket is not None:
            ticket_thread_attach(
                ticket=ticket, channel=Channel.EMAIL, external_thread_id=key, at=now, actor=actor
            )
        result = message_ingest(
            inbound=InboundMessage(
                channel=Channel.EMAIL,
                identity=IdentityClaims(name=parsed.from_name, email=parsed.from_address),
                text=_clip(text, MAX_TEXT_BYTES),
                html=html,
                subject=parsed.subject,
                external_thread_id=key[:255],
                external_message_id=parsed.message_id,
                idempotency_key=parsed.message_id,
                attachments=stored,
                sent_at=parsed.date,
            ),
            actor=actor,
        )
        row = MailMessage.objects.create(
            message_id=parsed.message_id,
            direction=MailDirection.INBOUND,
            kind=MailKind.CUSTOMER,
            ticket_id=result.ticket_id,
            ticket_message_id=result.message_id,
            from_address=parsed.from_address,
            to_addresses=list(parsed.to),
            subject=parsed.subject,
            in_reply_to=parsed.in_reply_to,
            references=list(parsed.references),
            classification_text=parsed.classification_text,
            attachments_rejected=list(decision.rejected),
            size=parsed.size,
            source=source,
            created_at=now,
        )
        audit_record(
            actor=actor,
            action="mail.received",
            obj=row,
            after={"kind": row.kind, "ticket": row.ticket_id, "message": row.ticket_message_id},
            context={
                "attachments_kept": len(stored),
                "attachments_rejected": len(decision.rejected),
                "threaded_by": "known" if ticket is not None else "new",
            },
        )
    logger.info("mail.received", extra={"mail_id": row.pk, "ticket_id": row.ticket_id})
    return _receipt(row, created=True, ticket_created=result.ticket_created)


def _record_machine_mail(parsed: ParsedEmail, *, source: str, actor: Actor) -> MailReceipt:
    """Bounces and auto-replies: recorded, never a customer message."""
    bounce = parsed.bounce
    original_id = bounce.original_message_id if bounce else ""
    related = tuple(i for i in (original_id, *parsed.thread_ids()) if i)
    now = timezone.now()
    with transaction.atomic():
        ticket = mail_ticket_for_ids(message_ids=related)
        row = MailMessage.objects.create(
            message_id=parsed.message_id,
            direction=MailDirection.INBOUND,
            kind=parsed.kind,
            ticket=ticket,
            from_address=parsed.from_address,
            to_addresses=list(parsed.to),
            subject=parsed.subject,
            in_reply_to=parsed.in_reply_to,
            references=list(parsed.references),
            detection=parsed.detection[:200],
            size=parsed.size,
            source=source,
            created_at=now,
        )
        audit_record(
            actor=actor,
            action=f"mail.{parsed.kind}_recorded",
            obj=row,
            after={"kind": row.kind, "ticket": row.ticket_id},
            context={"detection": parsed.detection, "original_message_id": original_id},
        )
        if bounce is not None and bounce.permanent:
            _bounce_apply(parsed, row=row, ticket=ticket, now=now, actor=actor)
    logger.info("mail.machine_recorded", extra={"mail_id": row.pk, "kind": row.kind})
    return _receipt(row, created=True)


def _bounce_apply(
    parsed: ParsedEmail, *, row: MailMessage, ticket: Ticket | None, now: dt.datetime, actor: Actor
) -> None:
    assert parsed.bounce is not None
    bounce = parsed.bounce
    original = (
        mail_by_message_id(message_id=bounce.original_message_id)
        if bounce.original_message_id
        else None
    )
    ours = original is not None and original.direction == MailDirection.OUTBOUND
    addresses = list(bounce.recipients) or (
        list(original.to_addresses) if ours and original else []
    )
    for address in addresses:
        mark_address_bouncing(
            address=address, status=bounce.status, diagnostic=bounce.diagnostic,
            ticket=ticket, now=now, actor=actor,
        )  # fmt: skip
    if ours and original is not None:
        MailMessage.objects.filter(pk=original.pk).update(bounced=True)
    if ticket is None:
        return
    detail = " ".join(x for x in (bounce.status, bounce.diagnostic) if x) or "no details"
    note = Message.objects.create(
        ticket=ticket,
        direction=Direction.NOTE,
        channel=ticket.channel,
        author_label="Mail delivery",
        body_text=(
            f"Our e-mail to {', '.join(addresses) or 'the customer'} could not be delivered "
            f"({detail}). The address is marked as bouncing; reach the customer another way."
        ),
        created_at=now,
        received_at=now,
    )
    audit_record(
        actor=actor,
        action="ticket.note_added",
        obj=ticket,
        after={"message_id": note.pk, "chars": len(note.body_text)},
        context={"bounce_mail_id": row.pk},
    )
    ticket_add_tags(ticket=ticket, tags=[BOUNCE_TAG], actor=actor)


@transaction.atomic
def mark_address_bouncing(
    *,
    address: str,
    status: str,
    diagnostic: str,
    ticket: Ticket | None,
    now: dt.datetime,
    actor: Actor,
) -> BouncingAddress:
    """Count one permanent delivery failure for an address."""
    value = address.strip().lower()[:254]
    entry = BouncingAddress.objects.select_for_update().filter(address=value).first()
    if entry is None:
        entry = BouncingAddress.objects.create(
            address=value, bounces=0, first_bounced_at=now, last_bounced_at=now
        )
    entry.bounces += 1
    entry.last_bounced_at = now
    entry.last_status = status[:20]
    entry.last_diagnostic = diagnostic[:500]
    entry.last_ticket = ticket
    entry.save()
    audit_record(
        actor=actor,
        action="mail.address_bouncing",
        obj=entry,
        after={"address": value, "bounces": entry.bounces, "status": entry.last_status},
    )
    return entry
