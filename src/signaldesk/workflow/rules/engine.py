"""Evaluating rules over a plain dict of facts (Django-free).

Order and conflicts (docs/rules.md): rules run sorted by (order, id); every matching rule fires;
a priority only rises (a later rule cannot lower one set earlier); routing, assignment, SLA policy
and macro suggestion are "first wins" unless a later rule says `override: true`; additive actions
(tags, escalations, approvals, webhooks, ...) accumulate; `stop: true` ends evaluation after its
rule fires. The same facts and rules always give the same outcome."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

PRIORITIES = ("low", "normal", "high", "urgent")
PRIORITY_RANK = {p: i for i, p in enumerate(PRIORITIES)}

# fact name -> kind ("str", "num", "bool", "list"); conditions may only name these.
FIELDS: dict[str, str] = {
    "reason": "str",
    "confidence": "num",
    "channel": "str",
    "language": "str",
    "sentiment": "num",
    "risk_flags": "list",
    "priority": "str",
    "ticket_type": "str",
    "tags": "list",
    "customer_tier": "str",
    "is_vip": "bool",
    "customer_value": "str",  # vip, high_value, standard ("" without a customer): commerce.value
    "orders_365d": "num",
    "lifetime_value": "num",
    "order_value": "num",
    "refund_amount": "num",
    "days_since_delivery": "num",
    "days_late": "num",
    "shipment_status": "str",
    "sku": "str",
    "batch_code": "str",
    "supplier": "str",
    "carrier": "str",
    "region": "str",
    "warehouse": "str",
    "repeat_contact_7d": "bool",
    "prior_tickets_90d": "num",
    "in_active_spike": "bool",
}
OPERATORS = ("eq", "ne", "in", "not_in", "gt", "gte", "lt", "lte", "contains", "exists")
ACTIONS = (
    "set_priority",
    "route",
    "assign",
    "apply_sla",
    "escalate",
    "require_approval",
    "tag",
    "suggest_macro",
    "auto_action",
    "webhook",
    "suppress_marketing",
)


@dataclass(frozen=True)
class Leaf:
    field: str
    op: str
    value: Any


@dataclass(frozen=True)
class Group:
    kind: str  # all, any, not (not has exactly one item)
    items: tuple[Condition, ...]


Condition = Leaf | Group


@dataclass(frozen=True)
class Action:
    kind: str
    params: Mapping[str, Any]


@dataclass(frozen=True)
class Rule:
    id: str
    order: int
    when: Condition
    then: tuple[Action, ...]
    description: str = ""
    override: bool = False
    stop: bool = False
    enabled: bool = True


def _present(value: Any) -> bool:
    return value is not None and value != "" and value != []


def _number(value: Any) -> float | None:
    if isinstance(value, bool) or value is None:
        return None
    try:
        return float(value)
    except (TypeError, ValueError):
        return None


def leaf_matches(leaf: Leaf, facts: Mapping[str, Any]) -> bool:
    actual = facts.get(leaf.field)
    op, expected = leaf.op, leaf.value
    if op == "exists":
        return _present(actual) == bool(expected)
    if op == "eq":
        return bool(actual == expected)
    if op == "ne":
        return bool(actual != expected)
    if op == "in":
        return actual in expected
    if op == "not_in":
        return actual not in expected
    if op == "contains":
        if isinstance(actual, list | tuple):
            return expected in actual
        return isinstance(actual, str) and str(expected) in actual
    left, right = _number(actual), _number(expected)
    if left is None or right is None:
        return False
    return {"gt": left > right, "gte": left >= right, "lt": left < right, "lte": left <= right}[op]


def matches(condition: Condition, facts: Mapping[str, Any]) -> bool:
    if isinstance(condition, Leaf):
        return leaf_matches(condition, facts)
    if condition.kind == "all":
        return all(matches(c, facts) for c in condition.items)
    if condition.kind == "any":
        return any(matches(c, facts) for c in condition.items)
    return not matches(condition.items[0], facts)


@dataclass
class Outcome:
    """What the rules decided for one ticket; `applied` lists every action of every fired rule
    with `applied: false` and a `note` when a conflict rule discarded it."""

    fired: list[str] = field(default_factory=list)
    priority: str | None = None
    team: str | None = None
    queue: str | None = None
    assign: Mapping[str, Any] | None = None
    sla_policy: str | None = None
    macro: str | None = None
    escalations: list[Mapping[str, Any]] = field(default_factory=list)
    approvals: list[str] = field(default_factory=list)
    tags: list[str] = field(default_factory=list)
    auto_actions: list[str] = field(default_factory=list)
    webhooks: list[str] = field(default_factory=list)
    suppress_marketing_days: int | None = None
    applied: list[dict[str, Any]] = field(default_factory=list)


_FIRST_WINS = {"route": "team", "assign": "assign", "apply_sla": "sla_policy"}


def _apply(out: Outcome, rule: Rule, action: Action, owners: dict[str, str]) -> str:
    """Fold one action into the outcome; returns a note when it was discarded, else ""."""
    p = action.params
    if action.kind == "set_priority":
        new = str(p["priority"])
        if out.priority is not None and PRIORITY_RANK[new] < PRIORITY_RANK[out.priority]:
            return f"priority only rises: kept {out.priority} from {owners['priority']}"
        out.priority, owners["priority"] = new, rule.id
        return ""
    slot = "macro" if action.kind == "suggest_macro" else _FIRST_WINS.get(action.kind)
    if slot is not None:
        if slot in owners and not rule.override:
            return f"first wins: {slot} set by {owners[slot]}"
        owners[slot] = rule.id
        if action.kind == "route":
            out.team, out.queue = p.get("team"), p.get("queue")
        elif action.kind == "assign":
            out.assign = dict(p)
        elif action.kind == "apply_sla":
            out.sla_policy = str(p["policy"])
        else:
            out.macro = str(p["macro"])
        return ""
    if action.kind == "escalate":
        out.escalations.append({"rule": rule.id, **p})
    elif action.kind == "require_approval":
        out.approvals.append(str(p["reason"]))
    elif action.kind == "tag":
        out.tags = list(dict.fromkeys([*out.tags, *p["tags"]]))
    elif action.kind == "auto_action":
        out.auto_actions.append(str(p["action"]))
    elif action.kind == "webhook":
        out.webhooks.append(str(p["url"]))
    elif action.kind == "suppress_marketing":
        days = int(p["days"])
        out.suppress_marketing_days = max(days, out.suppress_marketing_days or 0)
    return ""


def evaluate(rules: Sequence[Rule], facts: Mapping[str, Any]) -> Outcome:
    out = Outcome()
    owners: dict[str, str] = {}
    for rule in sorted(rules, key=lambda r: (r.order, r.id)):
        if not rule.enabled or not matches(rule.when, facts):
            continue
        out.fired.append(rule.id)
        for action in rule.then:
            note = _apply(out, rule, action, owners)
            entry: dict[str, Any] = {"rule": rule.id, "action": action.kind}
            entry["params"] = dict(action.params)
            entry["applied"] = not note
            if note:
                entry["note"] = note
            out.applied.append(entry)
        if rule.stop:
            break
    return out
