"""Merging two tickets into one, and splitting messages off into a new ticket. Each is one
transaction that locks the tickets involved (in id order) and audits every ticket it changes.

Messages do not record which thread key brought them in, so split moves a thread key only when
every message of the ticket on that key's channel moves (the finest grain that can be proved)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from django.db import transaction
from django.utils import timezone

from signaldesk.core.audit import Actor, audit_record
from signaldesk.core.errors import Conflict, ValidationError
from signaldesk.tickets.actions import ticket_set_status
from signaldesk.tickets.models import Message, Ticket, TicketStatus, TicketThread
from signaldesk.tickets.services import ticket_create

MAX_SPLIT_MESSAGES = 500


def _lock_in_order(*tickets: Ticket) -> dict[int, Ticket]:
    ids = sorted({t.pk for t in tickets})
    return {t.pk: t for t in Ticket.objects.select_for_update().filter(pk__in=ids).order_by("pk")}


def _earliest(*values: dt.datetime | None) -> dt.datetime | None:
    present = [v for v in values if v is not None]
    return min(present) if present else None


def _latest(*values: dt.datetime | None) -> dt.datetime | None:
    present = [v for v in values if v is not None]
    return max(present) if present else None


@transaction.atomic
def tickets_merge(*, source: Ticket, target: Ticket, actor: Actor) -> Ticket:
    """Move all of `source`'s messages and thread keys to `target`, add its tags, then close
    `source` with merged_into = target. Returns the target."""
    if source.pk == target.pk:
        raise ValidationError("A ticket cannot be merged into itself.", code="merge_self")
    locked = _lock_in_order(source, target)
    src, dst = locked[source.pk], locked[target.pk]
    for ticket in (src, dst):
        if ticket.merged_into_id is not None:
            raise Conflict(
                f"Ticket #{ticket.pk} was already merged into #{ticket.merged_into_id}.",
                code="already_merged",
            )
    if src.customer_id and dst.customer_id and src.customer_id != dst.customer_id:
        raise ValidationError(
            "Tickets of different customers cannot be merged.", code="different_customers"
        )
    message_ids = list(Message.objects.filter(ticket=src).values_list("pk", flat=True))
    thread_ids = list(TicketThread.objects.filter(ticket=src).values_list("pk", flat=True))
    Message.objects.filter(pk__in=message_ids).update(ticket=dst)
    TicketThread.objects.filter(pk__in=thread_ids).update(ticket=dst)

    now = timezone.now()
    dst.tags = list(dict.fromkeys([*dst.tags, *src.tags]))
    dst.last_customer_message_at = _latest(
        dst.last_customer_message_at, src.last_customer_message_at
    )
    dst.first_response_at = _earliest(dst.first_response_at, src.first_response_at)
    dst.customer_id = dst.customer_id or src.customer_id
    dst.order_id = dst.order_id or src.order_id
    dst.updated_at = now
    dst.save(
        update_fields=[
            "tags",
            "last_customer_message_at",
            "first_response_at",
            "customer",
            "order",
            "updated_at",
        ]
    )
    moved = {"messages": sorted(message_ids), "threads": sorted(thread_ids)}
    audit_record(
        actor=actor, action="ticket.merged_from", obj=dst, after={"source": src.pk, **moved}
    )

    src = ticket_set_status(ticket=src, status=TicketStatus.CLOSED, actor=actor)
    src.merged_into = dst
    src.updated_at = now
    src.save(update_fields=["merged_into", "updated_at"])
    audit_record(
        actor=actor,
        action="ticket.merged_into",
        obj=src,
        before={"merged_into": None},
        after={"merged_into": dst.pk, **moved},
    )
    return dst


@transaction.atomic
def ticket_split(*, ticket: Ticket, message_ids: Sequence[int], actor: Actor) -> Ticket:
    """Move the given messages into a new ticket for the same customer and order (same channel,
    team and priority). Returns the new ticket."""
    wanted = sorted(set(message_ids))
    if not wanted:
        raise ValidationError("Pick at least one message to split off.", code="empty")
    if len(wanted) > MAX_SPLIT_MESSAGES:
        raise ValidationError(
            f"Split at most {MAX_SPLIT_MESSAGES} messages at once.", code="too_many"
        )
    original = _lock_in_order(ticket)[ticket.pk]
    if original.merged_into_id is not None:
        raise Conflict(f"Ticket #{original.pk} was merged away.", code="already_merged")
    on_ticket = dict(Message.objects.filter(ticket=original).values_list("pk", "channel"))
    foreign = [pk for pk in wanted if pk not in on_ticket]
    if foreign:
        raise ValidationError(
            f"Messages {foreign} are not on ticket #{original.pk}.", code="not_on_ticket"
        )
    if len(wanted) == len(on_ticket):
        raise ValidationError("Leave at least one message on the ticket.", code="split_all")

    moved = [(pk, on_ticket[pk]) for pk in wanted]
    first_at = (
        Message.objects.filter(pk__in=wanted)
        .order_by("created_at")
        .values_list("created_at", flat=True)[0]
    )
    new = ticket_create(
        subject=original.subject,
        channel=moved[0][1],
        customer=original.customer,
        order=original.order,
        at=first_at,
        actor=actor,
    )
    new.status = TicketStatus.OPEN
    new.priority = original.priority
    new.owner_team_id = original.owner_team_id
    new.custom_fields = {**new.custom_fields, "split_from": original.pk}
    new.updated_at = timezone.now()
    new.save(update_fields=["status", "priority", "owner_team", "custom_fields", "updated_at"])
    Message.objects.filter(pk__in=wanted).update(ticket=new)

    moved_channels = {channel for _pk, channel in moved}
    staying_channels = {c for pk, c in on_ticket.items() if pk not in set(wanted)}
    whole_channels = moved_channels - staying_channels
    thread_ids = list(
        TicketThread.objects.filter(ticket=original, channel__in=whole_channels).values_list(
            "pk", flat=True
        )
    )
    TicketThread.objects.filter(pk__in=thread_ids).update(ticket=new)
    inbound_at = (
        Message.objects.filter(ticket=new, direction="inbound")
        .order_by("-created_at")
        .values_list("created_at", flat=True)
        .first()
    )
    if inbound_at is not None:
        new.last_customer_message_at = inbound_at
        new.save(update_fields=["last_customer_message_at"])

    detail = {"messages": wanted, "threads": sorted(thread_ids)}
    audit_record(
        actor=actor, action="ticket.split_from", obj=new, after={"source": original.pk, **detail}
    )
    original.updated_at = timezone.now()
    original.save(update_fields=["updated_at"])
    audit_record(
        actor=actor, action="ticket.split", obj=original, after={"new_ticket": new.pk, **detail}
    )
    return new
