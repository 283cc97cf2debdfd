"""POST /api/v1/messages (take in one customer message) and GET /api/v1/messages/{id}."""

from __future__ import annotations

from django.http import HttpRequest
from ninja import Router, Status

from signaldesk.accounts.api_auth import api_auth, authorize
from signaldesk.core.audit import Actor
from signaldesk.core.errors import NotFound
from signaldesk.intake.schemas import IngestOut, MessageIn, MessageOut
from signaldesk.intake.services import message_ingest
from signaldesk.tickets.selectors import message_get

messages_router = Router(auth=api_auth, tags=["messages"])


@messages_router.post("", response={200: IngestOut, 201: IngestOut})
def message_receive(request: HttpRequest, payload: MessageIn) -> Status[IngestOut]:
    """201 when the message was stored, 200 when the idempotency key was seen before (the
    stored message and ticket ids are returned, nothing is written)."""
    authorize(request, "messages.ingest")
    result = message_ingest(inbound=payload.to_inbound(), actor=Actor.of_user(request.user))
    out = IngestOut(
        message_id=result.message_id,
        ticket_id=result.ticket_id,
        customer_id=result.customer_id,
        created=result.created,
        ticket_created=result.ticket_created,
        ticket_reopened=result.ticket_reopened,
    )
    return Status(201 if result.created else 200, out)


@messages_router.get("/{message_id}", response=MessageOut)
def message_detail(request: HttpRequest, message_id: int) -> MessageOut:
    authorize(request, "tickets.read")
    message = message_get(message_id=message_id)
    if message is None:
        raise NotFound(f"Message {message_id} does not exist.")
    return MessageOut(
        id=message.pk,
        ticket_id=message.ticket_id,
        customer_id=message.author_customer_id,
        direction=message.direction,
        channel=message.channel,
        author_label=message.author_label,
        body_text=message.body_text,
        body_html=message.body_html,
        attachments=list(message.attachments),
        external_id=message.external_id,
        idempotency_key=message.idempotency_key,
        created_at=message.created_at,
        received_at=message.received_at,
    )
