"""Saving versioned rule sets and applying the active one to a ticket.

`rules_apply` is called by workflow.services.ticket_workflow_start before the SLA clocks start,
so a priority raised by a rule picks the SLA policy. It changes the ticket in one transaction
and writes one audit event ("workflow.rules_applied") naming the RuleSet version, the fired
rules and every action with whether it was applied. Intents that other apps carry out
(approval, auto-action, webhook, marketing suppression, SLA policy request, escalation) are
recorded in ticket.custom_fields only: nothing here moves money or makes HTTP calls.

Triage re-runs on new messages, so this runs again: an assigned ticket is never re-assigned,
and an evaluation that changes nothing writes nothing (no audit event either)."""

from __future__ import annotations

import datetime as dt
import hashlib
import logging
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from signaldesk.accounts.models import Team
from signaldesk.core.audit import Actor, audit_record, snapshot
from signaldesk.tickets.models import Ticket
from signaldesk.workflow.models_rules import RuleSet
from signaldesk.workflow.rules.assign import Assignment, Candidate, assign_agent
from signaldesk.workflow.rules.engine import PRIORITY_RANK, Outcome, Rule, evaluate
from signaldesk.workflow.rules.facts import agent_pool, facts_for_ticket
from signaldesk.workflow.rules.parse import parse_rules

logger = logging.getLogger(__name__)
DEFAULT_RULES = Path(__file__).resolve().parent.parent / "rules.yaml"
TRACKED = ["priority", "owner_team", "assignee", "tags", "custom_fields"]
SLA_NOTE = "used by the SLA clocks when tighter than the policy matched by priority/tier/channel"


@dataclass(frozen=True)
class ActiveRules:
    version: int
    sha256: str
    rules: list[Rule]


def sha256_of(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()


_PARSED: dict[tuple[int, str], list[Rule]] = {}  # (version, sha256) → parsed rules, per process


def active_rules() -> ActiveRules | None:
    """The active RuleSet, parsed; None when no rule set was ever activated. The parse (YAML,
    ≈ 14 ms of CPU for the default rules) is cached per process by (version, sha256): a new
    active version is seen at the next call; the one cheap query still runs every time."""
    row = RuleSet.objects.filter(active=True).values_list("pk", "version", "sha256").first()
    if row is None:
        return None
    pk, version, digest = row
    rules = _PARSED.get((version, digest))
    if rules is None:
        text = RuleSet.objects.filter(pk=pk).values_list("yaml_text", flat=True).get()
        rules = parse_rules(text, source=f"ruleset v{version}")
        _PARSED.clear()
        _PARSED[(version, digest)] = rules
    return ActiveRules(version=version, sha256=digest, rules=rules)


@transaction.atomic
def ruleset_save(*, yaml_text: str, actor: Actor, now: dt.datetime, comment: str = "") -> RuleSet:
    """Validate and store the YAML as a new active version (raises ConfigError with lines).
    Saving text identical to the active version returns that version unchanged."""
    parse_rules(yaml_text, source="rules.yaml")
    digest = sha256_of(yaml_text)
    current = RuleSet.objects.select_for_update().filter(active=True).first()
    if current is not None and current.sha256 == digest:
        return current
    latest = RuleSet.objects.aggregate(v=Max("version"))["v"] or 0
    RuleSet.objects.filter(active=True).update(active=False)
    row = RuleSet.objects.create(
        version=latest + 1,
        yaml_text=yaml_text,
        sha256=digest,
        active=True,
        comment=comment,
        created_at=now,
        created_by_id=actor.user_id,
    )
    audit_record(
        actor=actor,
        action="workflow.ruleset_saved",
        obj=row,
        before={"version": current.version if current else None},
        after={"version": row.version, "sha256": digest},
        context={"comment": comment},
    )
    return row


def _mark(outcome: Outcome, kind: str, note: str) -> None:
    """Record why an applied action could not be carried out."""
    for entry in outcome.applied:
        if entry["action"] == kind and entry["applied"]:
            entry["note"] = note


def _auto_action(reason: str, action: str) -> dict[str, Any]:
    from signaldesk.core.errors import NotFound
    from signaldesk.taxonomy.selectors import reason_template

    try:
        template = reason_template(reason)
    except NotFound:  # unknown reason or no active taxonomy: no limit can be read
        return {"action": action, "allowed": False, "limit": None, "taxonomy_action": ""}
    auto = template.auto_action
    limit = str(auto.limit) if auto.limit is not None else None
    return {
        "action": action,
        "allowed": auto.allowed,
        "limit": limit,
        "taxonomy_action": auto.action,
    }


def _intents(ticket: Ticket, outcome: Outcome, version: int) -> dict[str, Any]:
    custom = dict(ticket.custom_fields or {})
    custom["rules"] = {"version": version, "fired": list(outcome.fired)}
    if outcome.queue:
        custom["queue"] = outcome.queue
    if outcome.sla_policy:
        custom["sla_policy_requested"] = outcome.sla_policy
        _mark(outcome, "apply_sla", SLA_NOTE)
    if outcome.escalations:
        custom["escalations"] = [dict(e) for e in outcome.escalations]
    if outcome.approvals:
        custom["approval_required"] = {"reasons": outcome.approvals, "ruleset_version": version}
    if outcome.macro:
        custom["suggested_macro"] = outcome.macro
    if outcome.auto_actions:
        custom["auto_action"] = _auto_action(ticket.contact_reason, outcome.auto_actions[-1])
    if outcome.webhooks:
        custom["webhooks_requested"] = outcome.webhooks
    if outcome.suppress_marketing_days:
        custom["suppress_marketing"] = {"days": outcome.suppress_marketing_days}
    return custom


def pick_assignee(
    outcome: Outcome, *, team: str | None, language: str, pool: list[Candidate]
) -> Assignment:
    request = outcome.assign or {}
    return assign_agent(
        pool,
        team=str(request.get("team") or team or "") or None,
        language=language if request.get("language") and language else None,
        skill=str(request.get("skill") or "") or None,
        senior=bool(request.get("senior")),
    )


@transaction.atomic
def rules_apply(*, ticket_id: int, actor: Actor | None = None) -> Outcome | None:
    """Evaluate the active rule set on one ticket and apply the outcome; None without rules."""
    active = active_rules()
    if active is None:
        return None
    ticket = Ticket.objects.select_for_update().get(pk=ticket_id)
    outcome = evaluate(active.rules, facts_for_ticket(ticket_id))
    if not outcome.fired:
        return outcome
    before = snapshot(ticket, TRACKED)
    if outcome.priority and PRIORITY_RANK[outcome.priority] >= PRIORITY_RANK[ticket.priority]:
        ticket.priority = outcome.priority
    elif outcome.priority:
        _mark(outcome, "set_priority", f"priority only rises: ticket is {ticket.priority}")
    if outcome.team:
        team = Team.objects.filter(slug=outcome.team).first()
        if team is None:
            _mark(outcome, "route", f"unknown team {outcome.team!r}")
        else:
            ticket.owner_team = team
    if outcome.assign is not None and ticket.assignee_id is not None:
        _mark(outcome, "assign", "already assigned: rules never take a ticket from an agent")
    elif outcome.assign is not None:
        team_slug = ticket.owner_team.slug if ticket.owner_team else None
        pool = agent_pool(exclude_ticket_ids=[ticket.pk])
        assignment = pick_assignee(outcome, team=team_slug, language=ticket.language, pool=pool)
        if assignment.note:
            _mark(outcome, "assign", assignment.note)
        if assignment.agent is not None:
            ticket.assignee_id = assignment.agent.user_id
        outcome.tags = list(dict.fromkeys([*outcome.tags, *assignment.tags]))
    ticket.tags = list(dict.fromkeys([*(ticket.tags or []), *outcome.tags]))
    ticket.custom_fields = _intents(ticket, outcome, active.version)
    after = snapshot(ticket, TRACKED)
    if after == before:
        return outcome  # re-triage with the same facts and rules: nothing to write
    ticket.updated_at = timezone.now()
    ticket.save(update_fields=[*TRACKED, "updated_at"])
    audit_record(
        actor=actor or Actor.system("rules"),
        action="workflow.rules_applied",
        obj=ticket,
        before=before,
        after=after,
        context={
            "ruleset_version": active.version,
            "ruleset_sha256": active.sha256,
            "fired": outcome.fired,
            "actions": outcome.applied,
        },
    )
    logger.info(
        "workflow.rules_applied",
        extra={"ticket_id": ticket_id, "version": active.version, "fired": outcome.fired},
    )
    return outcome
