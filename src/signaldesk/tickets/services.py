"""Writes for tickets, their channel threads and messages. Each function is one transaction and
records what it changed in the audit log."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from typing import Any

from django.db import transaction

from signaldesk.commerce.models import Customer, Order
from signaldesk.core.audit import Actor, audit_record, snapshot
from signaldesk.tickets.models import (
    Direction,
    Message,
    Ticket,
    TicketStatus,
    TicketThread,
)

_CREATED_FIELDS = ["subject", "channel", "status", "customer", "order", "custom_fields"]


@transaction.atomic
def ticket_create(
    *,
    subject: str,
    channel: str,
    customer: Customer | None,
    order: Order | None,
    at: dt.datetime,
    actor: Actor,
    follow_up_of: Ticket | None = None,
) -> Ticket:
    """A new ticket (status new, language left for triage). A follow-up records the ticket it
    continues in custom_fields["follow_up_of"]."""
    custom_fields: dict[str, Any] = {}
    if follow_up_of is not None:
        custom_fields["follow_up_of"] = follow_up_of.pk
    ticket = Ticket.objects.create(
        subject=subject[:500],
        channel=channel,
        status=TicketStatus.NEW,
        language="",
        customer=customer,
        order=order,
        custom_fields=custom_fields,
        created_at=at,
        updated_at=at,
    )
    audit_record(
        actor=actor, action="ticket.created", obj=ticket, after=snapshot(ticket, _CREATED_FIELDS)
    )
    return ticket


@transaction.atomic
def ticket_thread_create(
    *, ticket: Ticket, channel: str, external_thread_id: str, at: dt.datetime, actor: Actor
) -> TicketThread:
    """A new thread key for `ticket`. Raises IntegrityError when the key exists already (for
    intake: a concurrent request created it first, so the attempt is retried)."""
    thread = TicketThread.objects.create(
        ticket=ticket, channel=channel, external_thread_id=external_thread_id, created_at=at
    )
    audit_record(
        actor=actor,
        action="ticket.thread_attached",
        obj=ticket,
        after={"channel": channel, "external_thread_id": external_thread_id},
        context={"thread_id": thread.pk},
    )
    return thread


@transaction.atomic
def ticket_thread_attach(
    *, ticket: Ticket, channel: str, external_thread_id: str, at: dt.datetime, actor: Actor
) -> TicketThread:
    """Make (channel, external_thread_id) lead to `ticket`: create the thread, or point an
    existing one (e.g. of a closed ticket that got a follow-up) at this ticket."""
    thread = (
        TicketThread.objects.select_for_update()
        .filter(channel=channel, external_thread_id=external_thread_id)
        .first()
    )
    if thread is None:
        thread = TicketThread.objects.create(
            ticket=ticket, channel=channel, external_thread_id=external_thread_id, created_at=at
        )
        before = None
    elif thread.ticket_id == ticket.pk:
        return thread
    else:
        before = {"ticket": thread.ticket_id}
        thread.ticket = ticket
        thread.save(update_fields=["ticket"])
    audit_record(
        actor=actor,
        action="ticket.thread_attached",
        obj=ticket,
        before=before,
        after={"channel": channel, "external_thread_id": external_thread_id},
        context={"thread_id": thread.pk},
    )
    return thread


@transaction.atomic
def ticket_reopen(*, ticket: Ticket, at: dt.datetime, actor: Actor, reason: str) -> Ticket:
    """A solved ticket goes back to open: reopened_count + 1, solved_at cleared."""
    locked = Ticket.objects.select_for_update().get(pk=ticket.pk)
    if locked.status != TicketStatus.SOLVED:
        raise ValueError(f"ticket {locked.pk} is {locked.status}; only solved tickets reopen")
    fields = ["status", "solved_at", "reopened_count"]
    before = snapshot(locked, fields)
    locked.status = TicketStatus.OPEN
    locked.solved_at = None
    locked.reopened_count += 1
    locked.updated_at = max(locked.updated_at, at)
    locked.save(update_fields=[*fields, "updated_at"])
    audit_record(
        actor=actor,
        action="ticket.reopened",
        obj=locked,
        before=before,
        after=snapshot(locked, fields),
        context={"reason": reason},
    )
    return locked


@transaction.atomic
def ticket_order_link(*, ticket: Ticket, order: Order, actor: Actor) -> Ticket:
    """Link an order to a ticket that has none yet."""
    locked = Ticket.objects.select_for_update().get(pk=ticket.pk)
    if locked.order_id is not None:
        return locked
    locked.order = order
    locked.save(update_fields=["order"])
    audit_record(
        actor=actor,
        action="ticket.order_linked",
        obj=locked,
        before={"order": None},
        after={"order": order.pk},
    )
    return locked


@transaction.atomic
def message_inbound_create(
    *,
    ticket: Ticket,
    channel: str,
    customer: Customer | None,
    author_label: str,
    body_text: str,
    body_html: str,
    attachments: Sequence[Mapping[str, Any]],
    external_id: str,
    idempotency_key: str | None,
    sent_at: dt.datetime,
    received_at: dt.datetime,
    actor: Actor,
) -> Message:
    """Store a customer's message on a ticket and bump the ticket's last_customer_message_at and
    updated_at; a ticket waiting on the customer (pending) becomes open again.

    The message row is inserted first, so a duplicate idempotency key fails fast with
    IntegrityError before anything else is written."""
    message = Message.objects.create(
        ticket=ticket,
        direction=Direction.INBOUND,
        channel=channel,
        author_customer=customer,
        author_label=author_label[:200],
        body_text=body_text,
        body_html=body_html,
        attachments=[dict(a) for a in attachments],
        external_id=external_id[:255],
        idempotency_key=idempotency_key,
        created_at=sent_at,
        received_at=received_at,
    )
    locked = Ticket.objects.select_for_update().get(pk=ticket.pk)
    update = ["last_customer_message_at", "updated_at"]
    if locked.last_customer_message_at is None or locked.last_customer_message_at < sent_at:
        locked.last_customer_message_at = sent_at
    locked.updated_at = max(locked.updated_at, sent_at)
    if locked.status == TicketStatus.PENDING:
        audit_record(
            actor=actor,
            action="ticket.status_changed",
            obj=locked,
            before={"status": TicketStatus.PENDING.value},
            after={"status": TicketStatus.OPEN.value},
            context={"reason": "customer replied", "message_id": message.pk},
        )
        locked.status = TicketStatus.OPEN
        update.append("status")
    locked.save(update_fields=update)
    audit_record(
        actor=actor,
        action="message.received",
        obj=message,
        after={
            "ticket": locked.pk,
            "channel": channel,
            "customer": customer.pk if customer else None,
            "attachments": len(attachments),
            "text_chars": len(body_text),
        },
        context={"idempotency_key": idempotency_key or "", "external_id": external_id},
    )
    return message
