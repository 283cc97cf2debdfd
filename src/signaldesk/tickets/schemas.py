"""Request and response shapes of the tickets API (/api/v1/tickets)."""

from __future__ import annotations

import datetime as dt
from typing import Literal

from ninja import Field, Schema

from signaldesk.core.pagination import DEFAULT_LIMIT, MAX_LIMIT
from signaldesk.tickets.bulk import MAX_BULK_IDS
from signaldesk.tickets.merge import MAX_SPLIT_MESSAGES
from signaldesk.tickets.models import Message, Ticket, TicketThread

StatusName = Literal["new", "open", "pending", "on_hold", "solved", "closed"]
PriorityName = Literal["low", "normal", "high", "urgent"]


class TicketFilters(Schema):
    status: StatusName | None = None
    priority: PriorityName | None = None
    channel: str | None = None
    contact_reason: str | None = None
    assignee: int | None = Field(None, description="User id of the assignee.")
    team: int | None = Field(None, description="Team id (owner team).")
    customer_id: int | None = None
    order: str | None = Field(None, description="Order number, with or without '#'.")
    created_after: dt.datetime | None = None
    created_before: dt.datetime | None = None
    cursor: str | None = Field(None, description="`next` of the previous page.")
    limit: int = Field(DEFAULT_LIMIT, ge=1, le=MAX_LIMIT)


class TicketOut(Schema):
    id: int
    subject: str
    channel: str
    status: str
    priority: str
    ticket_type: str
    contact_reason: str
    assignee_id: int | None
    team_id: int | None
    customer_id: int | None
    order_number: str | None
    tags: list[str]
    merged_into_id: int | None
    created_at: dt.datetime
    updated_at: dt.datetime

    @staticmethod
    def of(ticket: Ticket) -> TicketOut:
        return TicketOut(
            id=ticket.pk,
            subject=ticket.subject,
            channel=ticket.channel,
            status=ticket.status,
            priority=ticket.priority,
            ticket_type=ticket.ticket_type,
            contact_reason=ticket.contact_reason,
            assignee_id=ticket.assignee_id,
            team_id=ticket.owner_team_id,
            customer_id=ticket.customer_id,
            order_number=ticket.order.number if ticket.order_id and ticket.order else None,
            tags=list(ticket.tags),
            merged_into_id=ticket.merged_into_id,
            created_at=ticket.created_at,
            updated_at=ticket.updated_at,
        )


class TicketPage(Schema):
    items: list[TicketOut]
    next: str | None


class MessageOut(Schema):
    id: int
    ticket_id: int
    direction: str
    channel: str
    author_label: str
    author_user_id: int | None
    author_customer_id: int | None
    body_text: str
    created_at: dt.datetime

    @staticmethod
    def of(message: Message) -> MessageOut:
        return MessageOut(
            id=message.pk,
            ticket_id=message.ticket_id,
            direction=message.direction,
            channel=message.channel,
            author_label=message.author_label,
            author_user_id=message.author_user_id,
            author_customer_id=message.author_customer_id,
            body_text=message.body_text,
            created_at=message.created_at,
        )


class ThreadOut(Schema):
    channel: str
    external_thread_id: str

    @staticmethod
    def of(thread: TicketThread) -> ThreadOut:
        return ThreadOut(channel=thread.channel, external_thread_id=thread.external_thread_id)


class TicketDetailOut(TicketOut):
    messages: list[MessageOut]
    threads: list[ThreadOut]
    messages_truncated: bool


class TicketPatchIn(Schema):
    """Only the fields sent are changed; send null to clear assignee or team."""

    status: StatusName | None = None
    priority: PriorityName | None = None
    assignee_id: int | None = None
    team_id: int | None = None
    contact_reason: str | None = None


class BodyIn(Schema):
    body: str = Field(..., min_length=1, max_length=20_000)


class ReplyIn(BodyIn):
    override_reason: str | None = Field(
        None, description="A lead's reason to send despite overridable guardrail findings."
    )


class MergeIn(Schema):
    into_ticket_id: int


class SplitIn(Schema):
    message_ids: list[int] = Field(..., min_length=1, max_length=MAX_SPLIT_MESSAGES)


class BulkIn(Schema):
    ids: list[int] = Field(..., min_length=1, max_length=MAX_BULK_IDS)
    action: Literal["assign", "set_status", "set_priority", "tag"]
    value: str | int | None = None


class BulkOut(Schema):
    action: str
    updated: int
    ids: list[int]
