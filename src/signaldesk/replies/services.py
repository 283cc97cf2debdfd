"""Writes for replies: macro sync from the taxonomy, and sending a reply through the guardrails.

`reply_send` is the only way the console sends a reply: it checks the text (draft or human),
records a GuardrailReport, and calls tickets.actions.ticket_reply only when nothing blocks (or
a lead overrides the overridable checks with a written reason, which is audited)."""

from __future__ import annotations

import logging
from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction
from django.utils import timezone

from signaldesk.accounts.permissions import role_allows
from signaldesk.accounts.selectors import user_role
from signaldesk.core.audit import Actor, audit_record
from signaldesk.core.errors import PermissionDenied, ValidationError
from signaldesk.core.jobs import enqueue_on_commit
from signaldesk.mail.outbound import mail_reply_enqueue
from signaldesk.replies.grounding import guardrail_policy, ticket_grounding
from signaldesk.replies.guardrails import Finding, GuardrailPolicy, check_reply
from signaldesk.replies.models import GuardrailReport, Macro, MacroUse, ReplyOrigin
from signaldesk.taxonomy.selectors import active_taxonomy
from signaldesk.tickets.actions import ticket_reply
from signaldesk.tickets.models import Message, Ticket

logger = logging.getLogger(__name__)
OVERRIDE_CAPABILITY = "approvals.decide"


@transaction.atomic
def macros_sync_from_taxonomy(*, actor: Actor) -> dict[str, int]:
    """One default macro per reason of the active taxonomy (slug = the template's macro id).
    Idempotent: unchanged macros are left alone; a changed template updates a macro that came
    from the taxonomy (version + 1) but never overwrites one an editor changed in the admin."""
    counts = {"created": 0, "updated": 0, "unchanged": 0, "kept_manual": 0}
    now = timezone.now()
    for reason in active_taxonomy().reasons:
        slug = reason.response.macro_id
        body = reason.response.template
        macro = Macro.objects.select_for_update().filter(slug=slug).first()
        if macro is None:
            Macro.objects.create(
                slug=slug, reason_id=reason.id, title=reason.name, body=body, language="en",
                is_default=True, active=True, version=1, source="taxonomy", updated_at=now,
            )  # fmt: skip
            counts["created"] += 1
        elif macro.source != "taxonomy":
            counts["kept_manual"] += 1
        elif macro.body == body and macro.reason_id == reason.id:
            counts["unchanged"] += 1
        else:
            macro.body, macro.reason_id = body, reason.id
            macro.version += 1
            macro.updated_at = now
            macro.save(update_fields=["body", "reason_id", "version", "updated_at"])
            counts["updated"] += 1
    if counts["created"] or counts["updated"]:
        audit_record(actor=actor, action="replies.macros_synced", object_type="replies.macro",
                     after=counts)  # fmt: skip
    return counts


@dataclass(frozen=True)
class SendResult:
    message: Message | None
    report: GuardrailReport
    findings: tuple[Finding, ...]

    @property
    def sent(self) -> bool:
        return self.message is not None


def _user(actor: Actor, author: AbstractBaseUser | None) -> AbstractBaseUser:
    if author is not None:
        return author
    if actor.user_id is None:
        raise ValidationError("A reply needs a user as its author.", code="no_author")
    return get_user_model().objects.get(pk=actor.user_id)


def _may_override(user: AbstractBaseUser) -> bool:
    return role_allows(user_role(user), OVERRIDE_CAPABILITY)


@transaction.atomic
def reply_send(
    *,
    ticket: Ticket,
    text: str,
    actor: Actor,
    override_reason: str | None = None,
    author: AbstractBaseUser | None = None,
    macro_slug: str | None = None,
    origin: str | None = None,
    policy: GuardrailPolicy | None = None,
) -> SendResult:
    """Check a reply and send it unless a blocking finding remains.

    A non-empty `override_reason` lets a lead (capability approvals.decide) send despite
    blocking findings of overridable checks; `missing_variable` can never be overridden."""
    user = _user(actor, author)
    body = text.strip()
    if not body:
        raise ValidationError("Write something first.", code="empty")
    policy = policy or guardrail_policy()
    grounding = ticket_grounding(ticket=ticket, agent=user)
    findings = tuple(check_reply(body, grounding.context, policy))
    blocking = [f for f in findings if f.severity == "block"]
    reason = (override_reason or "").strip()
    overridden = False
    if blocking and reason:
        if not _may_override(user):
            raise PermissionDenied("Only a lead can override the guardrails.")
        not_overridable = sorted({f.check for f in blocking} - policy.overridable)
        if not_overridable:
            raise ValidationError(
                f"These checks cannot be overridden: {', '.join(not_overridable)}.",
                code="not_overridable",
            )
        overridden = True
    macro = Macro.objects.filter(slug=macro_slug).first() if macro_slug else None
    report = GuardrailReport.objects.create(
        ticket=ticket,
        origin=origin or (ReplyOrigin.DRAFT if macro is not None else ReplyOrigin.HUMAN),
        text=body,
        findings=[f.as_dict() for f in findings],
        blocked=bool(blocking),
        sent=False,
        overridden_by_id=user.pk if overridden else None,
        override_reason=reason if overridden else "",
        checked_by_id=user.pk,
        created_at=timezone.now(),
    )
    context = {"report_id": report.pk, "checks": sorted({f.check for f in findings})}
    if blocking and not overridden:
        audit_record(actor=actor, action="reply.blocked", obj=ticket, context=context)
        logger.info("reply.blocked", extra={"ticket_id": ticket.pk, "report_id": report.pk})
        return SendResult(message=None, report=report, findings=findings)
    message = ticket_reply(ticket=ticket, author=user, body=body, actor=actor)
    mail_reply_enqueue(ticket=ticket, message=message, actor=actor)  # e-mail tickets only
    report.message = message
    report.sent = True
    report.save(update_fields=["message", "sent"])
    if overridden:
        audit_record(
            actor=actor,
            action="reply.guardrails_overridden",
            obj=ticket,
            after={"override_reason": reason, "message_id": message.pk},
            context=context,
        )
    if macro is not None:
        MacroUse.objects.create(
            macro=macro,
            ticket=ticket,
            message=message,
            used_by_id=user.pk,
            used_at=message.created_at,
            reopened_count_at_use=message.ticket.reopened_count,
        )
    from signaldesk.quality.tasks import scorecard_record_task  # quality sits after replies

    enqueue_on_commit(scorecard_record_task, message.pk)
    return SendResult(message=message, report=report, findings=findings)
