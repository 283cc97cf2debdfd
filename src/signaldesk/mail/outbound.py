"""Sending an agent's reply on an e-mail ticket: one outbox e-mail (core.outbox), threaded.

Called by replies.services.reply_send after the reply is recorded, in the same transaction, so
a rolled-back reply sends nothing. The e-mail goes to the sender of the ticket's latest customer
e-mail (else the customer's address) with
- Subject "Re: <ticket subject> [#<ticket id>]" (the tag threads a reply whose headers are lost),
- a new Message-ID, stored in MailMessage so the customer's answer finds the ticket,
- In-Reply-To = that customer e-mail's Message-ID, References = its References + it,
- Reply-To (SIGNALDESK_MAIL_REPLY_TO, else DEFAULT_FROM_EMAIL) and an HTML alternative."""

from __future__ import annotations

import html
import logging
import re

from django.conf import settings
from django.core.mail import make_msgid
from django.db import transaction
from django.utils import timezone

from signaldesk.core.audit import Actor, audit_record
from signaldesk.core.outbox import EMAIL_HTML_KEY, outbox_enqueue
from signaldesk.mail.models import MailDirection, MailKind, MailMessage
from signaldesk.mail.selectors import mail_last_inbound
from signaldesk.tickets.models import Channel, Direction, Message, Ticket

logger = logging.getLogger(__name__)

MAX_REFERENCES = 20
_PREFIX_RE = re.compile(r"^(?:\s*(?:re|aw|sv|antw|wg|fw|fwd)\s*(?:\[\d+\])?\s*:\s*)+", re.I)
_TAG_RE = re.compile(r"\s*\[#\d+\]\s*")


def reply_subject(*, subject: str, ticket_id: int) -> str:
    """ "Re: <subject> [#<id>]" without piling up "Re: Re:" or tags."""
    base = _PREFIX_RE.sub("", _TAG_RE.sub(" ", subject)).strip() or "Your request"
    return f"Re: {base} [#{ticket_id}]"


def mail_domain() -> str:
    sender = str(settings.DEFAULT_FROM_EMAIL)
    return sender.rpartition("@")[2].strip("> ") or "signaldesk.local"


def text_to_html(text: str) -> str:
    """The plain reply as simple, escaped HTML paragraphs."""
    paragraphs = [p for p in re.split(r"\n\s*\n", text.strip()) if p.strip()]
    return "".join(
        f"<p>{'<br>'.join(html.escape(line) for line in p.splitlines())}</p>" for p in paragraphs
    )


@transaction.atomic
def mail_reply_enqueue(*, ticket: Ticket, message: Message, actor: Actor) -> MailMessage | None:
    """Queue the e-mail for an outbound reply on an e-mail ticket; None (nothing queued) for other
    channels or when no address is known."""
    if ticket.channel != Channel.EMAIL or message.direction != Direction.OUTBOUND:
        return None
    last = mail_last_inbound(ticket=ticket)
    customer_email = ticket.customer.email if ticket.customer is not None else ""
    recipient = (last.from_address if last is not None else "") or customer_email.strip().lower()
    if not recipient:
        logger.info("mail.reply_no_address", extra={"ticket_id": ticket.pk})
        return None
    message_id = make_msgid(domain=mail_domain())
    headers = {
        "Subject": reply_subject(subject=ticket.subject, ticket_id=ticket.pk),
        "Message-ID": message_id,
        "Reply-To": settings.SIGNALDESK_MAIL_REPLY_TO or str(settings.DEFAULT_FROM_EMAIL),
        EMAIL_HTML_KEY: text_to_html(message.body_text),
    }
    references: list[str] = []
    if last is not None:
        references = [*last.references, last.message_id][-MAX_REFERENCES:]
        headers["In-Reply-To"] = last.message_id
        headers["References"] = " ".join(references)
    now = timezone.now()
    row = MailMessage.objects.create(
        message_id=message_id,
        direction=MailDirection.OUTBOUND,
        kind=MailKind.REPLY,
        ticket=ticket,
        ticket_message=message,
        from_address=str(settings.DEFAULT_FROM_EMAIL),
        to_addresses=[recipient],
        subject=headers["Subject"],
        in_reply_to=headers.get("In-Reply-To", ""),
        references=references,
        size=len(message.body_text.encode()),
        source="outbox",
        created_at=now,
    )
    outbox_enqueue(
        kind="email",
        target=recipient,
        body=message.body_text,
        dedupe_key=f"mail.reply:{message.pk}",
        now=now,
        headers=headers,
    )
    audit_record(
        actor=actor,
        action="mail.reply_queued",
        obj=row,
        after={"ticket": ticket.pk, "message": message.pk, "to": recipient},
    )
    return row
