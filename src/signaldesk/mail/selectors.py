"""Reads for the e-mail channel: which ticket an e-mail belongs to, the last customer e-mail of a
ticket (what a reply answers), bouncing addresses."""

from __future__ import annotations

import re
from collections.abc import Sequence

from signaldesk.commerce.models import CustomerIdentity
from signaldesk.mail.models import BouncingAddress, MailDirection, MailKind, MailMessage
from signaldesk.tickets.models import Channel, Ticket, TicketThread
from signaldesk.tickets.selectors import ticket_surviving

_SUBJECT_REF_RE = re.compile(r"\[#(\d{1,12})\]|\bSD-(\d{1,12})\b", re.IGNORECASE)


def subject_ticket_ref(subject: str) -> int | None:
    """The ticket id quoted in a subject as "[#123]" or "SD-123" (the last one wins: replies
    prepend, our own tag is at the end)."""
    found = [int(a or b) for a, b in _SUBJECT_REF_RE.findall(subject)]
    return found[-1] if found else None


def mail_by_message_id(*, message_id: str) -> MailMessage | None:
    return MailMessage.objects.filter(message_id=message_id).first()


def mail_ticket_for_ids(*, message_ids: Sequence[str]) -> Ticket | None:
    """The ticket of the nearest known Message-ID (ids ordered nearest first), after merges."""
    if not message_ids:
        return None
    rows = MailMessage.objects.select_related("ticket").filter(
        message_id__in=list(message_ids), ticket__isnull=False
    )
    by_id = {row.message_id: row.ticket for row in rows}
    for message_id in message_ids:
        ticket = by_id.get(message_id)
        if ticket is not None:
            return ticket_surviving(ticket)
    return None


def ticket_for_subject_ref(*, subject: str, sender: str) -> Ticket | None:
    """The ticket referenced in the subject, only when the sender is that ticket's customer
    (a subject tag is easy to forge; it must not let anyone write into someone else's ticket)."""
    ticket_id = subject_ticket_ref(subject)
    if ticket_id is None or not sender:
        return None
    ticket = Ticket.objects.select_related("customer").filter(pk=ticket_id).first()
    if ticket is None:
        return None
    ticket = ticket_surviving(ticket)
    customer = ticket.customer
    if customer is None:
        return None
    if customer.email.strip().lower() == sender:
        return ticket
    owns = CustomerIdentity.objects.filter(customer=customer, kind="email", value=sender).exists()
    return ticket if owns else None


def ticket_email_thread_key(*, ticket: Ticket) -> str | None:
    thread = (
        TicketThread.objects.filter(ticket=ticket, channel=Channel.EMAIL).order_by("id").first()
    )
    return thread.external_thread_id if thread is not None else None


def mail_last_inbound(*, ticket: Ticket) -> MailMessage | None:
    """The latest customer e-mail on the ticket: a reply answers it."""
    return (
        MailMessage.objects.filter(
            ticket=ticket, direction=MailDirection.INBOUND, kind=MailKind.CUSTOMER
        )
        .order_by("-created_at", "-id")
        .first()
    )


def address_bouncing(*, address: str) -> BouncingAddress | None:
    return BouncingAddress.objects.filter(address=address.strip().lower()).first()
