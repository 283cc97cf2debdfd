"""Writes for follow-up: sending due surveys, recording an answer, opening and closing the
follow-up a low score creates.

- `surveys_send_due(now=...)` (periodic job followup.send_surveys) creates one Survey per ticket
  solved at least `delay` ago (and within `lookback`) and puts its email in the outbox, in the
  same transaction. Never twice (one survey per ticket, the ticket row locked while checking);
  never for a ticket that is open again, closed by a merge, marked spam, without an email
  address, or whose customer is on the suppression list.
- `survey_answer(token=..., ...)` checks the signed link and stores the first answer only; a
  low score opens a FollowUp for a lead with the thread summary (replies.summaries)."""

from __future__ import annotations

import datetime as dt
import logging
import secrets
from dataclasses import dataclass

from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction

from signaldesk.core.audit import Actor, audit_record
from signaldesk.core.errors import Conflict, NotFound, ValidationError
from signaldesk.core.outbox import outbox_enqueue
from signaldesk.followup.config import (
    SurveyConfig,
    SurveyLinkError,
    public_url,
    survey_config,
    survey_token,
    survey_token_read,
)
from signaldesk.followup.models import FollowUp, FollowUpStatus, Survey
from signaldesk.privacy.models import ErasureRecord
from signaldesk.replies.summaries import summary_build
from signaldesk.suppression.models import SuppressionEntry
from signaldesk.tickets.models import Direction, Message, Ticket, TicketStatus

logger = logging.getLogger(__name__)
ACTOR = Actor.system("followup")
DONE = (TicketStatus.SOLVED, TicketStatus.CLOSED)
BATCH = 500
MAX_COMMENT = 2000


@dataclass
class SendReport:
    sent: int = 0
    skipped: int = 0


def survey_link(survey: Survey, *, config: SurveyConfig | None = None) -> str:
    config = config or survey_config()
    token = survey_token(
        survey_id=survey.pk, nonce=survey.nonce, expires_at=survey.sent_at + config.link_max_age
    )
    return f"{public_url()}/survey/{token}/"


def _email_body(ticket: Ticket, link: str, config: SurveyConfig) -> str:
    name = ticket.customer.name.split()[0] if ticket.customer and ticket.customer.name else ""
    days = int(config.link_max_age.total_seconds() // 86400)
    return (
        f"Hi{' ' + name if name else ''},\n\n"
        f"your request #{ticket.pk} ({ticket.subject or 'your question'}) was resolved. "
        "How satisfied are you with our help? Two questions, one click to start:\n\n"
        f"{link}\n\n"
        f"The link works for {days} days and takes one answer.\n"
    )


def survey_skip_reason(ticket: Ticket, *, now: dt.datetime, config: SurveyConfig) -> str | None:
    """Why this ticket gets no survey now, or None when it is due."""
    if ticket.status not in DONE or ticket.solved_at is None:
        return "not solved"
    if ticket.solved_at > now - config.delay:
        return "not yet due"
    if ticket.solved_at < now - config.lookback:
        return "solved too long ago"
    if ticket.merged_into_id is not None:
        return "closed by a merge"
    if ticket.contact_reason in config.skip_reasons or config.skip_tags & set(ticket.tags or []):
        return "spam or excluded"
    if ticket.customer is None or not ticket.customer.email:
        return "no email address"
    if ErasureRecord.objects.filter(customer_id=ticket.customer.pk).exists():
        return "customer erased"  # privacy: no survey to an erased customer
    if SuppressionEntry.objects.filter(
        customer_id=ticket.customer.pk, lifted_at__isnull=True, expires_at__gt=now
    ).exists():
        return "customer suppressed"
    if Survey.objects.filter(ticket_id=ticket.pk).exists():
        return "already surveyed"
    return None


def _agent_id(ticket: Ticket) -> int | None:
    if ticket.assignee_id is not None:
        return ticket.assignee_id
    return (
        Message.objects.filter(ticket_id=ticket.pk, direction=Direction.OUTBOUND)
        .exclude(author_user_id=None)
        .order_by("-created_at", "-id")
        .values_list("author_user_id", flat=True)
        .first()
    )


@transaction.atomic
def survey_send(
    *, ticket_id: int, now: dt.datetime, config: SurveyConfig | None = None, actor: Actor = ACTOR
) -> Survey | None:
    """Send the survey of one ticket if it is due (checked again under the ticket's row lock)."""
    config = config or survey_config()
    ticket = (
        Ticket.objects.select_for_update(of=("self",))
        .select_related("customer")
        .filter(pk=ticket_id)
        .first()
    )
    if ticket is None or survey_skip_reason(ticket, now=now, config=config) is not None:
        return None
    assert ticket.customer is not None and ticket.solved_at is not None
    survey = Survey.objects.create(
        ticket=ticket,
        customer=ticket.customer,
        email=ticket.customer.email,
        nonce=secrets.token_urlsafe(12),
        reason_id=ticket.contact_reason,
        channel=ticket.channel,
        agent_id=_agent_id(ticket),
        resolved_at=ticket.solved_at,
        sent_at=now,
    )
    outbox_enqueue(
        kind="email",
        target=survey.email,
        body=_email_body(ticket, survey_link(survey, config=config), config),
        dedupe_key=f"followup.survey:{ticket.pk}",
        now=now,
        headers={"Subject": f"How did we do? (request #{ticket.pk})"},
    )
    audit_record(
        actor=actor,
        action="survey.sent",
        obj=survey,
        after={"ticket_id": ticket.pk, "resolved_at": ticket.solved_at},
    )
    return survey


def surveys_send_due(
    *, now: dt.datetime, config: SurveyConfig | None = None, actor: Actor = ACTOR
) -> SendReport:
    """Send every due survey, BATCH ticket ids at a time, each in its own transaction."""
    config = config or survey_config()
    due = (
        Ticket.objects.filter(
            status__in=DONE,
            solved_at__lte=now - config.delay,
            solved_at__gte=now - config.lookback,
            merged_into__isnull=True,
            survey__isnull=True,
            customer__isnull=False,
        )
        .exclude(contact_reason__in=config.skip_reasons)
        .exclude(customer__email="")
        .order_by("id")
        .values_list("id", flat=True)
    )
    report = SendReport()
    last_id = 0
    while batch := list(due.filter(id__gt=last_id)[:BATCH]):
        for ticket_id in batch:
            sent = survey_send(ticket_id=ticket_id, now=now, config=config, actor=actor)
            report.sent += sent is not None
            report.skipped += sent is None
        last_id = batch[-1]
    if report.sent:
        logger.info("survey.sent", extra={"sent": report.sent, "skipped": report.skipped})
    return report


def survey_from_token(*, token: str, now: dt.datetime) -> Survey:
    """The survey a signed link points at; SurveyLinkError when tampered with or expired."""
    claims = survey_token_read(token, now=now)
    survey = Survey.objects.select_related("ticket").filter(pk=claims.survey_id).first()
    if survey is None or not secrets.compare_digest(survey.nonce, claims.nonce):
        raise SurveyLinkError("This survey link is not valid.")
    return survey


def is_low(*, csat: int, nps: int | None, config: SurveyConfig) -> bool:
    return csat <= config.low_csat_at_most or (nps is not None and nps <= config.low_nps_at_most)


def _score(value: object, low: int, high: int, label: str, *, required: bool) -> int | None:
    if value is None or str(value).strip() == "":
        if required:
            raise ValidationError(f"Choose a {label} score.", code="missing_score")
        return None
    try:
        number = int(str(value).strip())
    except ValueError:
        raise ValidationError(f"{label} must be a number from {low} to {high}.") from None
    if not low <= number <= high:
        raise ValidationError(f"{label} must be a number from {low} to {high}.")
    return number


@transaction.atomic
def survey_answer(
    *,
    token: str,
    csat: object,
    nps: object,
    comment: str,
    now: dt.datetime,
    config: SurveyConfig | None = None,
) -> Survey:
    """Record the one answer of a survey: CSAT 1–5 (required), NPS 0–10 (optional) and a
    comment. A second answer raises Conflict (code already_answered)."""
    config = config or survey_config()
    found = survey_from_token(token=token, now=now)
    survey = Survey.objects.select_for_update().get(pk=found.pk)
    if survey.answered_at is not None:
        raise Conflict("This survey was already answered. Thank you!", code="already_answered")
    csat_value = _score(csat, 1, 5, "Satisfaction", required=True)
    assert csat_value is not None
    nps_value = _score(nps, 0, 10, "Recommendation", required=False)
    text = comment.strip()
    if len(text) > MAX_COMMENT:
        raise ValidationError(f"Keep the comment under {MAX_COMMENT} characters.", code="too_long")
    survey.csat, survey.nps, survey.comment, survey.answered_at = csat_value, nps_value, text, now
    survey.save(update_fields=["csat", "nps", "comment", "answered_at"])
    actor = Actor(label=f"customer:{survey.customer_id or 'unknown'}")
    audit_record(
        actor=actor,
        action="survey.answered",
        obj=survey,
        after={"csat": csat_value, "nps": nps_value, "comment_chars": len(text)},
    )
    if is_low(csat=csat_value, nps=nps_value, config=config):
        followup_open(survey=survey, now=now, actor=actor)
    return survey


def _trigger(survey: Survey) -> str:
    parts = [f"CSAT {survey.csat}/5"]
    if survey.nps is not None:
        parts.append(f"NPS {survey.nps}/10")
    return ", ".join(parts)


@transaction.atomic
def followup_open(*, survey: Survey, now: dt.datetime, actor: Actor) -> FollowUp:
    """A follow-up for a lead with the thread summary (idempotent per survey)."""
    existing = FollowUp.objects.filter(survey_id=survey.pk).first()
    if existing is not None:
        return existing
    summary = summary_build(ticket=survey.ticket).as_text()
    if survey.comment:
        summary = f"Survey comment: {survey.comment}\n{summary}"
    followup = FollowUp.objects.create(
        survey=survey,
        ticket_id=survey.ticket_id,
        trigger=_trigger(survey),
        summary=summary,
        created_at=now,
    )
    audit_record(
        actor=actor,
        action="followup.opened",
        obj=followup,
        after={"ticket_id": survey.ticket_id, "trigger": followup.trigger},
    )
    return followup


@transaction.atomic
def followup_close(
    *, followup_id: int, note: str, user: AbstractBaseUser, actor: Actor, now: dt.datetime
) -> FollowUp:
    """A lead records what was done (a call, a voucher, nothing needed) and closes it."""
    followup = FollowUp.objects.select_for_update().filter(pk=followup_id).first()
    if followup is None:
        raise NotFound(f"No follow-up #{followup_id}.")
    if followup.status == FollowUpStatus.DONE:
        raise Conflict("This follow-up is already closed.", code="already_closed")
    text = note.strip()
    if not text:
        raise ValidationError("Write what was done before closing.", code="empty")
    if len(text) > MAX_COMMENT:
        raise ValidationError(f"Keep the note under {MAX_COMMENT} characters.", code="too_long")
    followup.status = FollowUpStatus.DONE
    followup.note = text
    followup.closed_at = now
    followup.closed_by_id = user.pk
    followup.save(update_fields=["status", "note", "closed_at", "closed_by"])
    audit_record(
        actor=actor,
        action="followup.closed",
        obj=followup,
        before={"status": FollowUpStatus.OPEN},
        after={"status": FollowUpStatus.DONE, "note_chars": len(text)},
    )
    return followup
