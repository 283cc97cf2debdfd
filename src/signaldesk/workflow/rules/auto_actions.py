"""Carrying out the intents the rules record (workflow/rules/services.py `_intents`):

- `approval_required` → a money request through `approvals.services.money_request_create`, for
  the refund asked (TicketEnrichment.refund_amount) or else the order total (order_value). The
  approvals policy decides: auto-approved below its limit, otherwise pending in the approvals
  queue (lead, or finance at or above the finance threshold). Nothing here judges the amount.
- `auto_action: auto_resolve` → reply with the rule's suggested macro and solve. The macro is
  rendered by replies.drafts (grounded in the ticket's data) and must pass the guardrails with no
  blocking finding; it is sent with replies.services.reply_send (which checks again) and the
  ticket is solved through its type's state machine (workflow.services.ticket_transition). When
  anything is not right — the reason's taxonomy forbids auto-actions, the amount is over the
  reason's limit, money would move without the approvals policy allowing it, the customer is
  not waiting, no macro in the ticket's language, a guardrail blocks, the workflow cannot solve
  from here — nothing is sent and the macro stays a suggestion for an agent.

Each intent is carried out at most once per ticket: the outcome is stored in
`custom_fields["approval_request"]` / `custom_fields["auto_action_run"]` in the same
transaction as its effects, under a lock on the ticket row, so re-running triage and the rules
never creates a second request or sends a second reply. Every outcome is audited with the rule
id and the rule-set version that asked for it."""

from __future__ import annotations

import datetime as dt
import logging
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.contrib.auth import get_user_model
from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction

from signaldesk.approvals.models import MoneyKind, MoneyRequest, MoneyStatus
from signaldesk.approvals.services import money_request_create
from signaldesk.core.audit import Actor, audit_record
from signaldesk.core.errors import ValidationError
from signaldesk.replies.drafts import draft_for
from signaldesk.replies.grounding import AUTO_ACTION_KINDS, ticket_grounding
from signaldesk.replies.models import Macro, ReplyOrigin
from signaldesk.replies.services import reply_send
from signaldesk.tickets.models import Direction, Message, Ticket, TicketStatus
from signaldesk.triage.models import TicketEnrichment
from signaldesk.workflow.config import ticket_types
from signaldesk.workflow.models_rules import RuleSet
from signaldesk.workflow.rules.parse import parse_rules

logger = logging.getLogger(__name__)
ACTOR = Actor.system("rules")
APPROVAL_KEY = "approval_request"
AUTO_KEY = "auto_action_run"
RESOLVE_ACTIONS = ("auto_resolve",)
# Pending counts too: the customer answered (the last message must be theirs).
ANSWERABLE = (TicketStatus.NEW, TicketStatus.OPEN, TicketStatus.PENDING)
AUTHOR_USERNAME = "signaldesk-auto"
# Ticket type -> the kind of money request an approval rule asks for (others: refund).
TYPE_KINDS = {"refund": MoneyKind.REFUND, "replacement": MoneyKind.REPLACEMENT}


@dataclass(frozen=True)
class AutoActionResult:
    status: str  # "sent" (replied and solved) or "suggested" (left to an agent)
    note: str
    message_id: int | None = None


def _lock(ticket_id: int) -> Ticket:
    # of=("self",): lock the ticket row only; PostgreSQL refuses FOR UPDATE on the nullable
    # side of the outer joins that select_related makes for the optional order and customer.
    tickets = Ticket.objects.select_for_update(of=("self",)).select_related("order", "customer")
    return tickets.get(pk=ticket_id)


def asking_rules(custom: dict[str, Any], kind: str) -> tuple[list[str], int | None]:
    """The fired rules (of the rule-set version that fired) that hold an action of `kind`."""
    meta = custom.get("rules") or {}
    version = int(meta["version"]) if meta.get("version") else None
    row = RuleSet.objects.filter(version=version).first() if version else None
    if row is None:
        return [], version
    rules = {r.id: r for r in parse_rules(row.yaml_text, source=f"ruleset v{row.version}")}
    fired = [str(f) for f in meta.get("fired") or []]
    asking = [f for f in fired if f in rules and any(a.kind == kind for a in rules[f].then)]
    return asking, version


def requested_amount(ticket_id: int) -> Decimal | None:
    """The refund the customer asked for, else the order total (triage enrichment)."""
    row = (
        TicketEnrichment.objects.filter(ticket_id=ticket_id)
        .values_list("refund_amount", "order_value")
        .first()
    )
    for value in row or ():
        if value is not None and Decimal(str(value)) > 0:
            return Decimal(str(value)).quantize(Decimal("0.01"))
    return None


def _money_request(
    locked: Ticket, *, kind: str, amount: Decimal, reason: str, rules: list[str], version: Any,
    now: dt.datetime,
) -> MoneyRequest:  # fmt: skip
    """Create the request through the approvals service and remember it on the ticket."""
    request = money_request_create(
        ticket=locked, kind=kind, amount=amount, reason=reason, actor=ACTOR, now=now
    )
    locked.refresh_from_db(fields=["owner_team"])  # finance routing may have moved the ticket
    custom = dict(locked.custom_fields or {})
    custom[APPROVAL_KEY] = {
        "id": request.pk,
        "status": request.status,
        "kind": kind,
        "amount": str(amount),
        "rules": rules,
        "ruleset_version": version,
    }
    locked.custom_fields = custom
    locked.updated_at = now
    locked.save(update_fields=["custom_fields", "updated_at"])
    audit_record(
        actor=ACTOR,
        action="workflow.approval_requested",
        obj=locked,
        after=custom[APPROVAL_KEY],
        context={"rules": rules, "ruleset_version": version, "request_id": request.pk},
    )
    return request


@transaction.atomic
def approval_request_from_rules(*, ticket_id: int, now: dt.datetime) -> MoneyRequest | None:
    """A money request for a ticket whose rules set `approval_required`; None without the
    intent or without an amount to ask for. Idempotent: the stored request is returned."""
    locked = _lock(ticket_id)
    custom = dict(locked.custom_fields or {})
    intent = custom.get("approval_required")
    if not intent:
        return None
    if APPROVAL_KEY in custom:
        return MoneyRequest.objects.filter(pk=custom[APPROVAL_KEY]["id"]).first()
    amount = requested_amount(ticket_id)
    if amount is None:
        return None  # nothing to ask for yet; a later triage with an order may find it
    rules, version = asking_rules(custom, "require_approval")
    reasons = "; ".join(str(r) for r in intent.get("reasons") or [])
    kind = TYPE_KINDS.get(locked.ticket_type, MoneyKind.REFUND)
    return _money_request(
        locked,
        kind=kind,
        amount=amount,
        reason=f"{reasons} (rules {', '.join(rules) or '?'}, rule set v{version})",
        rules=rules,
        version=version,
        now=now,
    )


def auto_reply_author() -> AbstractBaseUser:
    """The author of automatic replies: an inactive user without a password or a profile, so it
    can never log in and is never picked as an assignee."""
    user_model = get_user_model()
    user = user_model.objects.filter(username=AUTHOR_USERNAME).first()
    if user is None:
        user = user_model.objects.create_user(username=AUTHOR_USERNAME, email="", password=None)
        user.first_name, user.last_name, user.is_active = "SignalDesk", "auto-reply", False
        user.save(update_fields=["first_name", "last_name", "is_active"])
        after = {"username": AUTHOR_USERNAME, "role": None, "active": False}
        audit_record(actor=ACTOR, action="user.created", obj=user, after=after)
    return user


def _solved_state(locked: Ticket) -> str | None:
    """A state of the ticket's workflow with status solved that it may move to without fields."""
    workflow = ticket_types().for_type(locked.ticket_type)
    for state in workflow.allowed(locked.workflow_state):
        spec = workflow.states[state]
        if spec.status == TicketStatus.SOLVED and not spec.requires:
            return state
    return None


def _customer_waiting(locked: Ticket) -> bool:
    last = (
        Message.objects.filter(ticket_id=locked.pk)
        .exclude(direction=Direction.NOTE)
        .order_by("-created_at", "-id")
        .values_list("direction", flat=True)
        .first()
    )
    return last in (None, Direction.INBOUND)


def _money_gate(
    locked: Ticket, intent: dict[str, Any], rules: list[str], version: Any, now: dt.datetime
) -> str:
    """ "" when no money moves or the approvals policy allowed it; else why not."""
    kinds = AUTO_ACTION_KINDS.get(str(intent.get("taxonomy_action") or ""), ())
    stored = (locked.custom_fields or {}).get(APPROVAL_KEY)
    if not kinds and not stored:
        return ""
    if stored:  # a request made for this ticket's rules: it must be approved first
        request = MoneyRequest.objects.get(pk=stored["id"])
    else:
        amount = requested_amount(locked.pk)
        limit = intent.get("limit")
        if amount is None:
            return "no amount known for a money-moving auto-action"
        if limit is not None and amount > Decimal(str(limit)):
            return f"amount {amount} is over the auto-action limit {limit}"
        if kinds[0] not in MoneyKind.values:
            return f"{kinds[0]} cannot be requested through approvals"
        request = _money_request(
            locked, kind=kinds[0], amount=amount, rules=rules, version=version, now=now,
            reason=f"auto-action {intent.get('taxonomy_action')} (rules {', '.join(rules)}, "
            f"rule set v{version})",
        )  # fmt: skip
    if request.status in (MoneyStatus.AUTO_APPROVED, MoneyStatus.APPROVED):
        return ""
    return f"money request #{request.pk} is {request.status}, not approved by policy"


def _precheck(locked: Ticket, intent: dict[str, Any]) -> str:
    action = str(intent.get("action") or "")
    if action not in RESOLVE_ACTIONS:
        return f"auto-action {action!r} is not carried out automatically"
    if not intent.get("allowed"):
        return f"the reason {locked.contact_reason!r} does not allow auto-actions"
    if locked.status not in ANSWERABLE:
        return f"the ticket is {locked.status}"
    if not _customer_waiting(locked):
        return "the last message is already an answer"
    if _solved_state(locked) is None:
        return f"the {locked.ticket_type} workflow cannot solve from {locked.workflow_state!r}"
    return ""


def _send(locked: Ticket, macro: Macro, actor: Actor) -> tuple[str, int | None, dict[str, Any]]:
    """Draft, check and send; ("", message id, info) when sent, else (why not, None, info)."""
    author = auto_reply_author()
    draft = draft_for(
        ticket=locked, grounding=ticket_grounding(ticket=locked, agent=author), macro=macro
    )
    blocking = sorted({f.check for f in draft.findings if f.severity == "block"})
    info: dict[str, Any] = {"macro": macro.slug, "macro_version": macro.version}
    if blocking:
        return f"guardrails block the draft: {', '.join(blocking)}", None, info
    result = reply_send(
        ticket=locked, text=draft.text, actor=actor, author=author, macro_slug=macro.slug,
        origin=ReplyOrigin.DRAFT,
    )  # fmt: skip
    info["guardrail_report_id"] = result.report.pk
    if result.message is None:
        checks = sorted({f.check for f in result.findings if f.severity == "block"})
        return f"guardrails blocked the reply: {', '.join(checks)}", None, info
    return "", result.message.pk, info


@transaction.atomic
def auto_action_execute(*, ticket_id: int, now: dt.datetime) -> AutoActionResult | None:
    """Carry out the ticket's `auto_action` intent once; None without one."""
    from signaldesk.workflow.services import ticket_transition  # services imports this module

    locked = _lock(ticket_id)
    custom = dict(locked.custom_fields or {})
    intent = custom.get("auto_action")
    if not intent:
        return None
    if AUTO_KEY in custom:
        done = custom[AUTO_KEY]
        return AutoActionResult(done["status"], done["note"], done.get("message_id"))
    rules, version = asking_rules(custom, "auto_action")
    actor = Actor.system(f"rules:{','.join(rules) or 'auto_action'}")
    note = _precheck(locked, intent) or _money_gate(locked, intent, rules, version, now)
    slug = str(custom.get("suggested_macro") or "")
    macro = Macro.objects.filter(slug=slug, active=True).first() if slug else None
    if not note and macro is None:
        note = f"no active macro {slug!r} to reply with"
    elif not note and macro is not None and macro.language != (locked.language or "en"):
        note = f"macro {slug} is in {macro.language!r}, the ticket in {locked.language!r}"
    message_id, info = None, {"macro": slug}
    if not note and macro is not None:
        note, message_id, info = _send(locked, macro, actor)
    if message_id is not None:
        state = _solved_state(locked)
        if state is None:  # pragma: no cover - checked before sending, under the same lock
            raise ValidationError("The ticket can no longer be solved.", code="not_solvable")
        locked = ticket_transition(ticket=locked, to_state=state, fields={}, actor=actor)
    status = "sent" if message_id is not None else "suggested"
    record = {
        "status": status,
        "note": note or f"replied with {slug} and solved",
        "action": intent.get("action"),
        "rules": rules,
        "ruleset_version": version,
        "message_id": message_id,
        "at": now.isoformat(),
        **info,
    }
    custom = dict(locked.custom_fields or {})
    custom[AUTO_KEY] = record
    locked.custom_fields = custom
    locked.updated_at = now
    locked.save(update_fields=["custom_fields", "updated_at"])
    audit_record(
        actor=actor,
        action="workflow.auto_action_executed" if message_id else "workflow.auto_action_declined",
        obj=locked,
        after=record,
        context={"rules": rules, "ruleset_version": version, "intent": dict(intent)},
    )
    logger.info("workflow.auto_action", extra={"ticket_id": ticket_id, "status": status})
    return AutoActionResult(status, str(record["note"]), message_id)


def rule_intents_carry_out(*, ticket_id: int, now: dt.datetime) -> None:
    """Approval first (a pending request keeps an auto-action from solving), then the
    auto-action. Each is its own transaction and idempotent."""
    approval_request_from_rules(ticket_id=ticket_id, now=now)
    auto_action_execute(ticket_id=ticket_id, now=now)
