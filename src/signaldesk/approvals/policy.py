"""The money policy (policy.yaml) and its evaluation, kept free of database writes.

`evaluate(facts, policy)` returns the rule that auto-approves a request, or None with the notes
explaining why not. Every condition must hold; unknown facts (no delivery date, no reason) fail."""

from __future__ import annotations

import functools
import os
from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any

import yaml

DEFAULT_PATH = Path(__file__).with_name("policy.yaml")


@dataclass(frozen=True)
class AutoRule:
    id: str
    kinds: tuple[str, ...]
    below: Decimal
    max_days_since_delivery: int
    require_not_abuse_flagged: bool = True
    require_reason_auto_action: bool = True


@dataclass(frozen=True)
class Policy:
    store_currency: str
    rules: tuple[AutoRule, ...]
    finance_from: Decimal
    finance_team: str


@dataclass(frozen=True)
class Facts:
    """What the policy looks at, gathered by services.money_request_create."""

    kind: str
    amount: Decimal
    currency: str
    days_since_delivery: int | None
    abuse_flagged: bool
    reason_auto_allowed: bool
    reason_limit: Decimal | None


@dataclass(frozen=True)
class Verdict:
    rule: str | None
    notes: tuple[str, ...]


def policy_from_doc(doc: Mapping[str, Any]) -> Policy:
    rules = tuple(
        AutoRule(
            id=str(r["id"]),
            kinds=tuple(str(k) for k in r["kinds"]),
            below=Decimal(str(r["below"])),
            max_days_since_delivery=int(r["max_days_since_delivery"]),
            require_not_abuse_flagged=bool(r.get("require_not_abuse_flagged", True)),
            require_reason_auto_action=bool(r.get("require_reason_auto_action", True)),
        )
        for r in doc.get("auto_approve", [])
    )
    routing = doc.get("routing", {})
    return Policy(
        store_currency=str(doc["store_currency"]).upper(),
        rules=rules,
        finance_from=Decimal(str(routing.get("finance_from", "250.00"))),
        finance_team=str(routing.get("finance_team", "finance")),
    )


@functools.cache
def _load(path: str) -> Policy:
    return policy_from_doc(yaml.safe_load(Path(path).read_text(encoding="utf-8")))


def money_policy() -> Policy:
    return _load(os.environ.get("SIGNALDESK_APPROVALS_POLICY", str(DEFAULT_PATH)))


def _rule_notes(rule: AutoRule, facts: Facts, policy: Policy) -> list[str]:
    notes: list[str] = []
    if facts.kind not in rule.kinds:
        notes.append(f"kind {facts.kind} is not auto-approved")
    if facts.currency != policy.store_currency:
        notes.append(f"currency {facts.currency} is not the store currency")
    if facts.amount >= rule.below:
        notes.append(f"amount is not below {rule.below}")
    days = facts.days_since_delivery
    if days is None:
        notes.append("delivery date unknown")
    elif days > rule.max_days_since_delivery:
        notes.append(f"delivered {days} days ago (limit {rule.max_days_since_delivery})")
    if rule.require_not_abuse_flagged and facts.abuse_flagged:
        notes.append("customer is flagged for abuse")
    if rule.require_reason_auto_action:
        if not facts.reason_auto_allowed:
            notes.append("the contact reason does not allow auto-actions")
        elif facts.reason_limit is not None and facts.amount > facts.reason_limit:
            notes.append(f"amount exceeds the reason's auto-action limit {facts.reason_limit}")
    return notes


def evaluate(facts: Facts, policy: Policy) -> Verdict:
    """The first rule whose every condition holds, else None and the first rule's notes."""
    first_notes: list[str] = ["no auto-approval rule"]
    for index, rule in enumerate(policy.rules):
        notes = _rule_notes(rule, facts, policy)
        if not notes:
            return Verdict(rule=rule.id, notes=())
        if index == 0:
            first_notes = notes
    return Verdict(rule=None, notes=tuple(first_notes))
