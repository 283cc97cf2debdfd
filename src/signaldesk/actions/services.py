"""Writes of the root-cause action tracker: create (by hand or from a signal in one click),
edit, status transitions, notify the customers of linked tickets. Every write is audited.

Status flow: proposed -> in_progress -> done -> measured (by ``action_measure_impact`` in
actions/impact_service.py); proposed and in_progress may be cancelled; in_progress may go back
to proposed. Done, measured and cancelled actions are not edited any more (measure again)."""

from __future__ import annotations

import dataclasses
import datetime as dt
import os
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from django.db import transaction
from django.utils import timezone

from signaldesk.actions.models import (
    Action,
    ActionNotice,
    ActionStatus,
    ActionType,
    NoticeStatus,
    OwnerTeam,
)
from signaldesk.actions.owners import suggest_owner, suggest_type
from signaldesk.core.audit import Actor, audit_record, to_jsonable
from signaldesk.core.errors import NotFound, ValidationError

TRANSITIONS: dict[str, frozenset[str]] = {
    ActionStatus.PROPOSED: frozenset({ActionStatus.IN_PROGRESS, ActionStatus.CANCELLED}),
    ActionStatus.IN_PROGRESS: frozenset(
        {ActionStatus.DONE, ActionStatus.CANCELLED, ActionStatus.PROPOSED}
    ),
    ActionStatus.DONE: frozenset(),
    ActionStatus.MEASURED: frozenset(),
    ActionStatus.CANCELLED: frozenset(),
}
EDITABLE = ("title", "action_type", "owner_team", "description", "due_date", "reasons", "skus")
MAX_LINKED_TICKETS = 500


@dataclass(frozen=True)
class ActionDraft:
    title: str
    action_type: str
    owner_team: str
    description: str = ""
    due_date: dt.date | None = None
    reasons: list[str] = field(default_factory=list)
    skus: list[str] = field(default_factory=list)
    segment: dict[str, str] = field(default_factory=dict)
    signal_keys: list[str] = field(default_factory=list)


def _check(values: Mapping[str, Any]) -> None:
    if "title" in values and not str(values["title"]).strip():
        raise ValidationError("An action needs a title.")
    if "action_type" in values and values["action_type"] not in ActionType.values:
        raise ValidationError(f"Unknown action type {values['action_type']!r}.")
    if "owner_team" in values and values["owner_team"] not in OwnerTeam.values:
        raise ValidationError(f"Unknown owner team {values['owner_team']!r}.")
    for key in ("reasons", "skus"):
        if key in values and not all(isinstance(v, str) and v for v in values[key]):
            raise ValidationError(f"{key} must be a list of non-empty strings.")


def _snapshot(action: Action) -> dict[str, Any]:
    return {k: to_jsonable(getattr(action, k)) for k in (*EDITABLE, "status")}


@transaction.atomic
def action_create(
    *,
    draft: ActionDraft,
    actor: Actor,
    alert_ids: list[int] | None = None,
    theme_ids: list[int] | None = None,
    ticket_ids: list[int] | None = None,
) -> Action:
    """Create a proposed action linked to alerts, themes and tickets."""
    _check(draft.__dict__)
    now = timezone.now()
    action = Action.objects.create(
        title=draft.title.strip()[:200], action_type=draft.action_type,
        owner_team=draft.owner_team, description=draft.description, due_date=draft.due_date,
        reasons=list(draft.reasons), skus=list(draft.skus), segment=dict(draft.segment),
        signal_keys=list(draft.signal_keys), created_by_id=actor.user_id, created_at=now,
        updated_at=now,
    )  # fmt: skip
    if alert_ids:
        action.alerts.set(alert_ids)
    if theme_ids:
        action.themes.set(theme_ids)
    if ticket_ids:
        action.tickets.set(ticket_ids[:MAX_LINKED_TICKETS])
    audit_record(
        actor=actor,
        action="actions.created",
        obj=action,
        after={**_snapshot(action), "signals": draft.signal_keys, "tickets": len(ticket_ids or [])},
    )
    return action


def _draft_from_spike(alert_id: int) -> tuple[ActionDraft, dict[str, list[int]]]:
    from signaldesk.signals.models import SpikeAlert
    from signaldesk.signals.selectors import segment_tickets

    alert = SpikeAlert.objects.filter(pk=alert_id).first()
    if alert is None:
        raise NotFound(f"Alert {alert_id} does not exist.")
    dims = {k: v for k, v in alert.segment.items() if k != "reason"}
    tickets = segment_tickets(segment=alert.segment, since=alert.onset, until=alert.last_alert_day)
    ids = list(tickets.order_by("-created_at").values_list("id", flat=True)[:MAX_LINKED_TICKETS])
    segment = {"dimension": alert.dimension, "value": alert.value} if dims else {}
    draft = ActionDraft(
        title=f"Fix {alert.reason.replace('_', ' ')} on {alert.segment_label}"[:200],
        action_type=suggest_type(reason=alert.reason, dimension=alert.dimension),
        owner_team=suggest_owner(reason=alert.reason, dimension=alert.dimension),
        description=alert.explanation,
        reasons=[alert.reason] if alert.reason else [],
        skus=[dims["sku"]] if "sku" in dims else [],
        segment=segment,
        signal_keys=[f"spike:{alert.pk}"],
    )
    return draft, {"alerts": [alert.pk], "tickets": ids}


def _draft_from_theme(theme_id: int) -> tuple[ActionDraft, dict[str, list[int]]]:
    from signaldesk.signals.models import Theme

    theme = Theme.objects.filter(pk=theme_id).first()
    if theme is None:
        raise NotFound(f"Theme {theme_id} does not exist.")
    reason = "" if theme.scope == "unexplained" else theme.scope
    top_sku = [theme.top_skus[0][0]] if theme.top_skus and theme.sku_concentration >= 0.5 else []
    draft = ActionDraft(
        title=f"Address theme: {theme.label}"[:200],
        action_type=suggest_type(reason=reason),
        owner_team=suggest_owner(reason=reason),
        description=f"Keywords: {', '.join(theme.keywords)}",
        reasons=[reason] if reason else [],
        skus=top_sku,
        signal_keys=[f"theme:{theme.pk}"],
    )
    return draft, {"themes": [theme.pk], "tickets": list(theme.ticket_ids)}


def _draft_from_recurring(key: str) -> tuple[ActionDraft, dict[str, list[int]]]:
    from signaldesk.signals.selectors import segment_tickets
    from signaldesk.signals.services import local_day

    reason, _, sku = key.partition("|")
    if not reason or not sku:
        raise ValidationError("A recurring signal key looks like recurring:<reason>|<sku>.")
    today = local_day(timezone.now())
    tickets = segment_tickets(
        segment={"reason": reason, "sku": sku}, since=today - dt.timedelta(days=27), until=today
    )
    draft = ActionDraft(
        title=f"Fix recurring {reason.replace('_', ' ')} on SKU {sku}"[:200],
        action_type=suggest_type(reason=reason, dimension="sku"),
        owner_team=suggest_owner(reason=reason, dimension="sku"),
        reasons=[reason],
        skus=[sku],
        segment={"dimension": "sku", "value": sku},
        signal_keys=[f"recurring:{key}"],
    )
    ids = list(tickets.order_by("-created_at").values_list("id", flat=True)[:MAX_LINKED_TICKETS])
    return draft, {"tickets": ids}


def action_create_from_signal(
    *, signal: str, actor: Actor, owner_team: str | None = None
) -> Action:
    """One click from a spike (``spike:<id>``), theme (``theme:<id>``) or recurring reason on a
    SKU (``recurring:<reason>|<sku>``): title, type, owner team, links and tickets suggested
    (``owner_team`` overrides the suggestion, e.g. a stakeholder takes it on for their team)."""
    kind, _, ref = signal.partition(":")
    try:
        if kind == "spike":
            draft, links = _draft_from_spike(int(ref))
        elif kind == "theme":
            draft, links = _draft_from_theme(int(ref))
        elif kind == "recurring":
            draft, links = _draft_from_recurring(ref)
        else:
            raise ValidationError(f"Unknown signal {signal!r}.")
    except ValueError as exc:
        raise ValidationError(f"Unknown signal {signal!r}.") from exc
    if owner_team:
        draft = dataclasses.replace(draft, owner_team=owner_team)
    return action_create(
        draft=draft,
        actor=actor,
        alert_ids=links.get("alerts"),
        theme_ids=links.get("themes"),
        ticket_ids=links.get("tickets"),
    )


@transaction.atomic
def action_update(*, action: Action, changes: Mapping[str, Any], actor: Actor) -> Action:
    """Edit the editable fields of a proposed or in-progress action."""
    unknown = set(changes) - set(EDITABLE)
    if unknown:
        raise ValidationError(f"Cannot edit {', '.join(sorted(unknown))}.")
    _check(changes)
    locked = Action.objects.select_for_update().get(pk=action.pk)
    if locked.status not in (ActionStatus.PROPOSED, ActionStatus.IN_PROGRESS):
        raise ValidationError(f"A {locked.get_status_display().lower()} action cannot be edited.")
    before = _snapshot(locked)
    for key, value in changes.items():
        setattr(locked, key, value)
    locked.updated_at = timezone.now()
    locked.save()
    audit_record(
        actor=actor, action="actions.updated", obj=locked, before=before, after=_snapshot(locked)
    )
    return locked


@transaction.atomic
def action_transition(
    *, action: Action, to: str, actor: Actor, at: dt.datetime | None = None
) -> Action:
    """Move an action along the status flow (``TRANSITIONS``); ``at`` back-dates a start/done."""
    locked = Action.objects.select_for_update().get(pk=action.pk)
    if to not in TRANSITIONS.get(locked.status, frozenset()):
        raise ValidationError(f"An action cannot go from {locked.status} to {to}.")
    now = timezone.now()
    when = at or now
    before = locked.status
    locked.status = to
    if to == ActionStatus.IN_PROGRESS and locked.started_at is None:
        locked.started_at = when
    if to == ActionStatus.DONE:
        locked.done_at = when
    locked.updated_at = now
    locked.save(update_fields=["status", "started_at", "done_at", "updated_at"])
    audit_record(
        actor=actor,
        action="actions.status_changed",
        obj=locked,
        before={"status": before},
        after={"status": to, "at": when.isoformat()},
    )
    return locked


DEFAULT_UPDATE = (
    "Hi {name},\n\nYou told us about a problem recently. Thanks to you we have made a change: "
    "{title}.\n\nThank you for helping us improve.\n"
)


@dataclass
class NotifyResult:
    sent: int = 0
    skipped: dict[str, int] = field(default_factory=dict)
    already: int = 0


def action_notify_customers(
    *, action: Action, actor: Actor, message: str = "", now: dt.datetime | None = None
) -> NotifyResult:
    """Email an update (through the outbox) to each customer of the action's linked tickets,
    once per customer and action. Customers on the marketing-suppression list (an open serious
    issue) are skipped, and so are customers without marketing consent when
    ``SIGNALDESK_ACTION_UPDATES_REQUIRE_CONSENT=1``; every decision is recorded."""
    from signaldesk.core.models import OutboxMessage
    from signaldesk.core.outbox import outbox_enqueue
    from signaldesk.suppression.models import SuppressionEntry

    if action.status not in (ActionStatus.DONE, ActionStatus.MEASURED):
        raise ValidationError("Customers can be told once the action is done.")
    now = now or timezone.now()
    need_consent = os.environ.get("SIGNALDESK_ACTION_UPDATES_REQUIRE_CONSENT", "") == "1"
    template = message.strip() or DEFAULT_UPDATE
    result = NotifyResult()
    with transaction.atomic():
        locked = Action.objects.select_for_update().get(pk=action.pk)
        told = set(locked.notices.values_list("customer_id", flat=True))
        first_ticket: dict[int, int] = {}
        rows = (
            locked.tickets.filter(customer__isnull=False, customer__merged_into__isnull=True)
            .order_by("created_at", "id")
            .values_list("id", "customer_id")
        )
        for ticket_id, customer_id in rows:
            first_ticket.setdefault(customer_id, ticket_id)
        from signaldesk.commerce.models import Customer

        customers = Customer.objects.filter(pk__in=first_ticket).order_by("id")
        suppressed = set(
            SuppressionEntry.objects.filter(
                customer_id__in=first_ticket, lifted_at__isnull=True, expires_at__gt=now
            ).values_list("customer_id", flat=True)
        )
        notices = []
        for customer in customers:
            if customer.pk in told:
                result.already += 1
                continue
            if customer.pk in suppressed:
                status = NoticeStatus.SUPPRESSED
            elif need_consent and not customer.marketing_consent:
                status = NoticeStatus.NO_CONSENT
            elif not customer.email:
                status = NoticeStatus.NO_EMAIL
            else:
                status = NoticeStatus.SENT
                body = template.replace("{name}", customer.name or "there").replace(
                    "{title}", locked.title
                )
                outbox_enqueue(
                    kind=OutboxMessage.Kind.EMAIL, target=customer.email, body=body,
                    headers={"Subject": f"An update on what you told us: {locked.title}"[:200]},
                    dedupe_key=f"actions.notice:{locked.pk}:{customer.pk}", now=now,
                )  # fmt: skip
            if status == NoticeStatus.SENT:
                result.sent += 1
            else:
                result.skipped[status] = result.skipped.get(status, 0) + 1
            notices.append(
                ActionNotice(
                    action=locked,
                    customer=customer,
                    ticket_id=first_ticket[customer.pk],
                    status=status,
                    created_at=now,
                )
            )
        ActionNotice.objects.bulk_create(notices)
        audit_record(
            actor=actor,
            action="actions.customers_notified",
            obj=locked,
            after={"sent": result.sent, "skipped": result.skipped, "already": result.already},
        )
    return result
