"""REST API for tickets: /api/v1/tickets … Thin: parse, authorise, call one service or selector,
serialise. The console calls the same services (tickets/actions.py, bulk.py, merge.py)."""

from __future__ import annotations

from django.db import transaction
from django.http import HttpRequest
from ninja import Query, Router, Status

from signaldesk.accounts.api_auth import api_auth, authorize
from signaldesk.core.audit import Actor
from signaldesk.core.errors import NotFound, ValidationError
from signaldesk.core.pagination import keyset_page
from signaldesk.tickets import actions, selectors
from signaldesk.tickets.bulk import TicketChanges, ticket_update, tickets_bulk_apply
from signaldesk.tickets.merge import ticket_split, tickets_merge
from signaldesk.tickets.models import Ticket
from signaldesk.tickets.schemas import (
    BodyIn,
    BulkIn,
    BulkOut,
    MergeIn,
    MessageOut,
    ReplyIn,
    SplitIn,
    ThreadOut,
    TicketDetailOut,
    TicketFilters,
    TicketOut,
    TicketPage,
    TicketPatchIn,
)

tickets_router = Router(auth=api_auth, tags=["tickets"])


def _ticket(ticket_id: int) -> Ticket:
    ticket = Ticket.objects.select_related("order").filter(pk=ticket_id).first()
    if ticket is None:
        raise NotFound(f"Ticket {ticket_id} does not exist.")
    return ticket


def _detail(ticket_id: int) -> TicketDetailOut:
    ticket, messages, threads = selectors.ticket_with_messages(ticket_id=ticket_id)
    limit = selectors.MESSAGES_PER_TICKET
    return TicketDetailOut(
        **TicketOut.of(ticket).model_dump(),
        messages=[MessageOut.of(m) for m in messages[:limit]],
        threads=[ThreadOut.of(t) for t in threads],
        messages_truncated=len(messages) > limit,
    )


@tickets_router.get("", response=TicketPage)
def ticket_list(request: HttpRequest, filters: Query[TicketFilters]) -> TicketPage:
    """Tickets, newest first, filtered; page with `cursor` = the previous page's `next`."""
    authorize(request, "tickets.read")
    query = selectors.TicketQuery(
        status=filters.status,
        priority=filters.priority,
        channel=filters.channel,
        contact_reason=filters.contact_reason,
        assignee_id=filters.assignee,
        team_id=filters.team,
        customer_id=filters.customer_id,
        order_number=filters.order,
        created_after=filters.created_after,
        created_before=filters.created_before,
    )
    rows, next_cursor = keyset_page(
        selectors.tickets_matching(query), cursor=filters.cursor, limit=filters.limit
    )
    return TicketPage(items=[TicketOut.of(t) for t in rows], next=next_cursor)


@tickets_router.post("/bulk", response=BulkOut)
def ticket_bulk(request: HttpRequest, payload: BulkIn) -> BulkOut:
    """One action over up to 500 tickets, all or nothing, audited per ticket."""
    authorize(request, "tickets.write")
    result = tickets_bulk_apply(
        ticket_ids=payload.ids,
        action=payload.action,
        value=payload.value,
        actor=Actor.of_user(request.user),
    )
    return BulkOut(action=result.action, updated=len(result.ticket_ids), ids=result.ticket_ids)


@tickets_router.get("/{ticket_id}", response=TicketDetailOut)
def ticket_detail(request: HttpRequest, ticket_id: int) -> TicketDetailOut:
    """One ticket with its messages (oldest first, at most 500) and thread keys."""
    authorize(request, "tickets.read")
    return _detail(ticket_id)


@tickets_router.patch("/{ticket_id}", response=TicketDetailOut)
def ticket_patch(request: HttpRequest, ticket_id: int, payload: TicketPatchIn) -> TicketDetailOut:
    """Change status, priority, assignee, team and/or contact reason (one transaction)."""
    authorize(request, "tickets.write")
    sent = payload.model_fields_set
    actor = Actor.of_user(request.user)
    changes = TicketChanges(
        status=payload.status,
        priority=payload.priority,
        assignee_id=payload.assignee_id,
        unassign="assignee_id" in sent and payload.assignee_id is None,
        team_id=payload.team_id,
        clear_team="team_id" in sent and payload.team_id is None,
    )
    with transaction.atomic():
        ticket = ticket_update(ticket=_ticket(ticket_id), changes=changes, actor=actor)
        if payload.contact_reason is not None:
            # the learning loop's service, as in the console: records a ReasonCorrection
            from signaldesk.triage.learning.services import reason_correct

            reason_correct(ticket=ticket, reason_id=payload.contact_reason, actor=actor)
    return _detail(ticket_id)


@tickets_router.post("/{ticket_id}/replies", response={201: MessageOut})
def ticket_reply(request: HttpRequest, ticket_id: int, payload: ReplyIn) -> Status[MessageOut]:
    """Send a reply to the customer through the reply guardrails, as the console does. A reply
    the guardrails block is not sent: 422 with code "reply_blocked" and the findings."""
    authorize(request, "tickets.write")
    from signaldesk.replies.services import reply_send  # replies sit after tickets

    result = reply_send(
        ticket=_ticket(ticket_id),
        text=payload.body,
        author=request.user,  # type: ignore[arg-type]
        override_reason=payload.override_reason,
        actor=Actor.of_user(request.user),
    )
    if result.message is None:
        checks = ", ".join(sorted({f.check for f in result.findings if f.severity == "block"}))
        raise ValidationError(f"The guardrails blocked this reply: {checks}.", code="reply_blocked")
    return Status(201, MessageOut.of(result.message))


@tickets_router.post("/{ticket_id}/notes", response={201: MessageOut})
def ticket_note(request: HttpRequest, ticket_id: int, payload: BodyIn) -> Status[MessageOut]:
    """Add an internal note (staff only, never sent)."""
    authorize(request, "tickets.write")
    message = actions.ticket_add_note(
        ticket=_ticket(ticket_id),
        author=request.user,  # type: ignore[arg-type]
        body=payload.body,
        actor=Actor.of_user(request.user),
    )
    return Status(201, MessageOut.of(message))


@tickets_router.post("/{ticket_id}/merge", response=TicketDetailOut)
def ticket_merge(request: HttpRequest, ticket_id: int, payload: MergeIn) -> TicketDetailOut:
    """Merge this ticket into `into_ticket_id`; returns the surviving ticket."""
    authorize(request, "tickets.write")
    target = tickets_merge(
        source=_ticket(ticket_id),
        target=_ticket(payload.into_ticket_id),
        actor=Actor.of_user(request.user),
    )
    return _detail(target.pk)


@tickets_router.post("/{ticket_id}/split", response={201: TicketDetailOut})
def ticket_split_off(
    request: HttpRequest, ticket_id: int, payload: SplitIn
) -> Status[TicketDetailOut]:
    """Move the given messages into a new ticket; returns the new ticket."""
    authorize(request, "tickets.write")
    new = ticket_split(
        ticket=_ticket(ticket_id),
        message_ids=payload.message_ids,
        actor=Actor.of_user(request.user),
    )
    return Status(201, _detail(new.pk))
