"""Writes for self-service sessions: start, record steps, resolve, close idle ones, answer a
question from the knowledge base, and hand over to a ticket with the full context.

Session starts and steps are analytics rows (like page views) and are not audited; every outcome
(resolved, handed over, abandoned) and every ticket or return created is."""

from __future__ import annotations

import datetime as dt
import secrets
from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.utils import timezone

from signaldesk.commerce.models import Order
from signaldesk.core.audit import Actor, audit_record
from signaldesk.core.errors import ValidationError
from signaldesk.intake.identity import IdentityClaims, normalise_email
from signaldesk.intake.services import InboundMessage, message_ingest
from signaldesk.knowledge.retrieval import ArticleHit
from signaldesk.knowledge.selectors import articles_search
from signaldesk.knowledge.services import knowledge_question_log, knowledge_questions_escalate
from signaldesk.selfservice.models import Flow, Outcome, SelfServiceSession
from signaldesk.taxonomy.selectors import active_taxonomy
from signaldesk.tickets.models import Channel, Direction, Message, Ticket
from signaldesk.tickets.services import ticket_order_link

IDLE_AFTER = dt.timedelta(minutes=30)
MAX_QUESTION_CHARS = 500
MAX_MESSAGE_CHARS = 4000
MAX_STEPS = 50
ANSWERS_SHOWN = 3


def session_start(*, flow: str, now: dt.datetime | None = None) -> SelfServiceSession:
    if flow not in Flow.values:
        raise ValidationError(f"Unknown self-service flow {flow!r}.", code="flow")
    at = now or timezone.now()
    return SelfServiceSession.objects.create(
        token=secrets.token_urlsafe(24),
        flow=flow,
        steps=[{"step": "start", "at": at.isoformat()}],
        step_reached="start",
        started_at=at,
        updated_at=at,
    )


@transaction.atomic
def session_step(
    *, session: SelfServiceSession, step: str, data: dict[str, Any] | None = None
) -> SelfServiceSession:
    """Append a step (name, time, small JSON data) to an open session; ended sessions are left
    as they are (a customer reusing an old tab does not rewrite history)."""
    locked = SelfServiceSession.objects.select_for_update().get(pk=session.pk)
    if locked.outcome != Outcome.OPEN:
        return locked
    now = timezone.now()
    entry = {"step": step, "at": now.isoformat(), **(data or {})}
    locked.steps = [*locked.steps, entry][-MAX_STEPS:]
    locked.step_reached = step
    locked.updated_at = now
    locked.save(update_fields=["steps", "step_reached", "updated_at"])
    session.steps, session.step_reached, session.updated_at = locked.steps, step, now
    return locked


@transaction.atomic
def session_answered(
    *, session: SelfServiceSession, step: str, data: dict[str, Any] | None = None
) -> SelfServiceSession:
    """The flow reached its answer (status shown, RMA issued, articles shown)."""
    locked = session_step(session=session, step=step, data=data)
    if locked.outcome == Outcome.OPEN and not locked.answered:
        SelfServiceSession.objects.filter(pk=locked.pk).update(answered=True)
        locked.answered = session.answered = True
    return locked


@transaction.atomic
def session_order_found(*, session: SelfServiceSession, order: Order) -> SelfServiceSession:
    locked = session_step(session=session, step="order_found", data={"order": order.number})
    if locked.order_id != order.pk:
        SelfServiceSession.objects.filter(pk=locked.pk).update(order=order)
        locked.order = session.order = order
    return locked


def _end(session: SelfServiceSession, outcome: str, actor: Actor, **extra: Any) -> bool:
    now = timezone.now()
    changed = SelfServiceSession.objects.filter(pk=session.pk, outcome=Outcome.OPEN).update(
        outcome=outcome, ended_at=now, updated_at=now, **extra
    )
    if changed:
        session.outcome, session.ended_at = outcome, now
        audit_record(
            actor=actor,
            action=f"selfservice.session_{outcome}",
            obj=session,
            after={"flow": session.flow, "step": session.step_reached, **extra},
        )
    return bool(changed)


@transaction.atomic
def session_resolve(*, session: SelfServiceSession, actor: Actor) -> SelfServiceSession:
    """The customer says the answer helped. Idempotent; an ended session stays as it ended."""
    session_step(session=session, step="resolved")
    _end(session, Outcome.RESOLVED, actor)
    return session


@transaction.atomic
def sessions_close_idle(*, now: dt.datetime, actor: Actor) -> dict[str, int]:
    """Open sessions idle for IDLE_AFTER end: resolved when the flow reached its answer and the
    customer did not ask for more help, abandoned otherwise."""
    counts = {"resolved": 0, "abandoned": 0}
    idle = SelfServiceSession.objects.filter(outcome=Outcome.OPEN, updated_at__lt=now - IDLE_AFTER)
    for session in idle.order_by("pk")[:5000]:
        outcome = Outcome.RESOLVED if session.answered else Outcome.ABANDONED
        if _end(session, outcome, actor):
            counts[outcome] += 1
    return counts


@dataclass(frozen=True)
class Answer:
    question: str
    hits: tuple[ArticleHit, ...]


@transaction.atomic
def question_answer(*, session: SelfServiceSession, question: str) -> Answer:
    """Search the published articles for a customer's question, log it for the gap report and
    record on the session which articles were shown."""
    text = " ".join(question.split())[:MAX_QUESTION_CHARS]
    if not text:
        raise ValidationError("Type a question first.", code="empty")
    hits = tuple(articles_search(text, k=ANSWERS_SHOWN))
    knowledge_question_log(text=text, hits=hits, session_ref=session.token)
    shown = list(dict.fromkeys([*session.articles_shown, *(h.slug for h in hits)]))
    SelfServiceSession.objects.filter(pk=session.pk).update(question=text, articles_shown=shown)
    session.question, session.articles_shown = text, shown
    data = {"question": text[:200], "articles": [h.slug for h in hits]}
    if hits:
        session_answered(session=session, step="answers_shown", data=data)
    else:
        session_step(session=session, step="no_answer", data=data)
    return Answer(question=text, hits=hits)


# Contact reasons of hand-overs that a customer's choice in the flow makes certain.
FLOW_REASONS = {Flow.ORDER_STATUS: "order_status"}


def handover_context(session: SelfServiceSession, *, reason_id: str = "") -> dict[str, Any]:
    """What the agent needs so the customer never repeats themselves (stored on the ticket as
    custom_fields["selfservice"] and summarised in an internal note)."""
    return {
        "session": session.pk,
        "flow": session.flow,
        "step_reached": session.step_reached,
        "question": session.question,
        "articles_shown": list(session.articles_shown),
        "order": session.order.number if session.order_id and session.order else "",
        "return_rma": session.return_request.rma
        if session.return_request_id and session.return_request
        else "",
        "reason_id": reason_id,
        "steps": [s.get("step", "") for s in session.steps],
    }


def _note_text(context: dict[str, Any]) -> str:
    lines = [
        "Handed over from self-service.",
        f"Flow: {context['flow']}; step reached: {context['step_reached']}.",
        f"Steps: {' → '.join(context['steps'])}.",
    ]
    if context["question"]:
        lines.append(f"Question asked: {context['question']}")
    if context["articles_shown"]:
        lines.append(f"Articles shown: {', '.join(context['articles_shown'])}.")
    lines.append(f"Order found: {context['order'] or 'none'}.")
    if context["return_rma"]:
        lines.append(f"Return started: {context['return_rma']}.")
    if context["reason_id"]:
        lines.append(f"Reason chosen by the customer: {context['reason_id']}.")
    return "\n".join(lines)


@transaction.atomic
def handover_create(
    *,
    session: SelfServiceSession,
    email: str,
    name: str,
    message: str,
    actor: Actor,
    reason_id: str = "",
    order: Order | None = None,
) -> Ticket:
    """Open (or continue) a ticket through intake on the self-service channel, carrying the
    customer's words, and attach the session's context as an internal note and as
    custom_fields["selfservice"]. The session ends as handed_over. Idempotent per session."""
    if session.ticket_id is not None:
        return Ticket.objects.get(pk=session.ticket_id)
    try:
        address = normalise_email(email)
    except ValueError as exc:
        raise ValidationError("Enter a valid email address.", code="email") from exc
    if reason_id and reason_id not in active_taxonomy().ids:
        raise ValidationError(f"Unknown contact reason {reason_id!r}.", code="reason")
    if order is not None and session.order_id is None:
        session_order_found(session=session, order=order)
    session_step(session=session, step="handover")
    body = " ".join(message.split())[:MAX_MESSAGE_CHARS] or session.question
    if not body:
        raise ValidationError("Tell us briefly what you need help with.", code="empty")
    label = Flow(session.flow).label
    result = message_ingest(
        inbound=InboundMessage(
            channel=Channel.SELF_SERVICE,
            identity=IdentityClaims(email=address, name=" ".join(name.split())[:200]),
            text=body,
            subject=f"{label}: {(session.question or body)[:80]}",
            idempotency_key=f"selfservice:{session.token}",
        ),
        actor=actor,
    )
    ticket = Ticket.objects.select_for_update().get(pk=result.ticket_id)
    linked_order = session.order if session.order_id else None
    if linked_order is not None and ticket.order_id is None:
        ticket = ticket_order_link(ticket=ticket, order=linked_order, actor=actor)
    reason = reason_id or FLOW_REASONS.get(Flow(session.flow), "")
    context = handover_context(session, reason_id=reason)
    now = timezone.now()
    Message.objects.create(
        ticket=ticket,
        direction=Direction.NOTE,
        channel=Channel.SELF_SERVICE,
        author_label="Self-service",
        body_text=_note_text(context),
        created_at=now,
        received_at=now,
    )
    fields: dict[str, Any] = {"custom_fields": {**ticket.custom_fields, "selfservice": context}}
    if reason and ticket.reason_source in ("", "model"):
        fields |= {"contact_reason": reason, "reason_source": "self_service"}
    for key, value in fields.items():
        setattr(ticket, key, value)
    ticket.save(update_fields=[*fields])
    audit_record(
        actor=actor,
        action="selfservice.handed_over",
        obj=ticket,
        after={"session": session.pk, "flow": session.flow, "reason": reason},
    )
    knowledge_questions_escalate(session_ref=session.token)
    _end(session, Outcome.HANDED_OVER, actor, ticket_id=ticket.pk)
    session.ticket = ticket
    return ticket
