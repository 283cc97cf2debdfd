"""The Django-free core: operators, groups, actions, order, conflicts, stop, agent choice."""

from __future__ import annotations

from typing import Any

import pytest

from signaldesk.workflow.rules.assign import Candidate, choose_agent
from signaldesk.workflow.rules.engine import Action, Group, Leaf, Rule, evaluate, matches

FACTS: dict[str, Any] = {
    "reason": "damaged_item",
    "confidence": 0.92,
    "language": "de",
    "risk_flags": ["legal_threat"],
    "order_value": 120.0,
    "sku": "SKU-1",
    "shipment_status": "",
    "days_since_delivery": None,
}


@pytest.mark.parametrize(
    ("leaf", "expected"),
    [
        (Leaf("reason", "eq", "damaged_item"), True),
        (Leaf("reason", "eq", "sizing"), False),
        (Leaf("reason", "ne", "sizing"), True),
        (Leaf("reason", "ne", "damaged_item"), False),
        (Leaf("language", "in", ["de", "fr"]), True),
        (Leaf("language", "in", ["en"]), False),
        (Leaf("language", "not_in", ["en"]), True),
        (Leaf("language", "not_in", ["de"]), False),
        (Leaf("order_value", "gt", 120), False),
        (Leaf("order_value", "gt", 119.99), True),
        (Leaf("order_value", "gte", 120), True),
        (Leaf("order_value", "gte", 120.01), False),
        (Leaf("order_value", "lt", 120), False),
        (Leaf("order_value", "lt", 120.01), True),
        (Leaf("order_value", "lte", 120), True),
        (Leaf("order_value", "lte", 119), False),
        (Leaf("days_since_delivery", "gt", 0), False),
        (Leaf("days_since_delivery", "lt", 0), False),
        (Leaf("risk_flags", "contains", "legal_threat"), True),
        (Leaf("risk_flags", "contains", "anger"), False),
        (Leaf("sku", "contains", "KU-"), True),
        (Leaf("sku", "contains", "X"), False),
        (Leaf("sku", "exists", True), True),
        (Leaf("shipment_status", "exists", True), False),
        (Leaf("shipment_status", "exists", False), True),
        (Leaf("batch_code", "exists", False), True),
    ],
)
def test_each_operator(leaf: Leaf, expected: bool) -> None:
    assert matches(leaf, FACTS) is expected


YES, NO = Leaf("language", "eq", "de"), Leaf("language", "eq", "en")


@pytest.mark.parametrize(
    ("group", "expected"),
    [
        (Group("all", (YES, YES)), True),
        (Group("all", (YES, NO)), False),
        (Group("any", (NO, YES)), True),
        (Group("any", (NO, NO)), False),
        (Group("not", (NO,)), True),
        (Group("not", (YES,)), False),
        (Group("all", (YES, Group("not", (Group("any", (NO,)),)))), True),
    ],
)
def test_groups(group: Group, expected: bool) -> None:
    assert matches(group, FACTS) is expected


ALWAYS = Leaf("reason", "exists", True)


def rule(rid: str, order: int, *actions: Action, **flags: Any) -> Rule:
    return Rule(id=rid, order=order, when=flags.pop("when", ALWAYS), then=actions, **flags)


def act(kind: str, **params: Any) -> Action:
    return Action(kind, params)


def test_each_action_lands_in_the_outcome() -> None:
    out = evaluate(
        [
            rule(
                "all_actions",
                1,
                act("set_priority", priority="high"),
                act("route", team="operations", queue="returns"),
                act("assign", language=True, skill="returns", senior=True),
                act("apply_sla", policy="vip"),
                act("escalate", to="lead", reason="legal"),
                act("require_approval", reason="refund over 100"),
                act("tag", tags=["a", "b"]),
                act("suggest_macro", macro="order_status_tracking"),
                act("auto_action", action="auto_resolve"),
                act("webhook", url="https://hooks.example.com/x"),
                act("suppress_marketing", days=30),
            )
        ],
        FACTS,
    )
    assert out.fired == ["all_actions"]
    assert (out.priority, out.team, out.queue) == ("high", "operations", "returns")
    assert out.assign == {"language": True, "skill": "returns", "senior": True}
    assert (out.sla_policy, out.macro) == ("vip", "order_status_tracking")
    assert out.escalations == [{"rule": "all_actions", "to": "lead", "reason": "legal"}]
    assert out.approvals == ["refund over 100"]
    assert out.tags == ["a", "b"]
    assert out.auto_actions == ["auto_resolve"]
    assert out.webhooks == ["https://hooks.example.com/x"]
    assert out.suppress_marketing_days == 30
    assert [e["applied"] for e in out.applied] == [True] * 11


def test_rules_run_by_order_then_id_and_all_matching_fire() -> None:
    rules = [
        rule("c", 20, act("tag", tags=["c"])),
        rule("b", 10, act("tag", tags=["b"])),
        rule("a", 10, act("tag", tags=["a"])),
        rule("skip", 5, act("tag", tags=["x"]), when=NO),
        rule("off", 1, act("tag", tags=["off"]), enabled=False),
    ]
    out = evaluate(rules, FACTS)
    assert out.fired == ["a", "b", "c"]
    assert out.tags == ["a", "b", "c"]


def test_priority_only_rises() -> None:
    out = evaluate(
        [
            rule("urgent", 1, act("set_priority", priority="urgent")),
            rule("low", 2, act("set_priority", priority="low")),
            rule("normal", 0, act("set_priority", priority="normal")),
        ],
        FACTS,
    )
    assert out.priority == "urgent"
    assert [(e["rule"], e["applied"]) for e in out.applied] == [
        ("normal", True),
        ("urgent", True),
        ("low", False),
    ]
    assert out.applied[2]["note"] == "priority only rises: kept urgent from urgent"


def test_first_routing_wins_unless_override() -> None:
    first = rule("first", 1, act("route", team="operations"), act("suggest_macro", macro="m1"))
    second = rule("second", 2, act("route", team="support"), act("suggest_macro", macro="m2"))
    forced = rule("forced", 3, act("route", team="finance"), override=True)
    assert (evaluate([first, second], FACTS).team, evaluate([first, second], FACTS).macro) == (
        "operations",
        "m1",
    )
    out = evaluate([first, second, forced], FACTS)
    assert (out.team, out.macro) == ("finance", "m1")
    assert out.applied[2]["note"] == "first wins: team set by first"


def test_assignment_and_sla_are_first_wins_too() -> None:
    out = evaluate(
        [
            rule("one", 1, act("assign", senior=True), act("apply_sla", policy="vip")),
            rule("two", 2, act("assign", language=True), act("apply_sla", policy="std")),
        ],
        FACTS,
    )
    assert (out.assign, out.sla_policy) == ({"senior": True}, "vip")


def test_stop_ends_evaluation_after_its_rule() -> None:
    out = evaluate(
        [
            rule("first", 1, act("tag", tags=["one"]), stop=True),
            rule("second", 2, act("tag", tags=["two"])),
        ],
        FACTS,
    )
    assert (out.fired, out.tags) == (["first"], ["one"])


def test_stop_on_a_rule_that_does_not_match_does_nothing() -> None:
    out = evaluate(
        [rule("first", 1, act("tag", tags=["one"]), stop=True, when=NO), rule("second", 2)],
        FACTS,
    )
    assert out.fired == ["second"]


def cand(uid: int, open_tickets: int, **kw: Any) -> Candidate:
    base: dict[str, Any] = {
        "user_id": uid,
        "username": f"u{uid}",
        "team": "support",
        "languages": frozenset({"en"}),
        "skills": frozenset(),
        "is_senior": False,
        "max_open": 3,
        "open_tickets": open_tickets,
    }
    return Candidate(**{**base, **kw})


def test_choose_agent_least_loaded_with_language_and_skill() -> None:
    pool = [
        cand(1, 0),
        cand(2, 2, languages=frozenset({"de"}), skills=frozenset({"returns"})),
        cand(3, 1, languages=frozenset({"de"}), skills=frozenset({"returns"})),
        cand(4, 0, languages=frozenset({"de"}), team="operations"),
    ]
    chosen = choose_agent(pool, team="support", language="de", skill="returns", senior=False)
    assert chosen is not None and chosen.user_id == 3
    assert choose_agent(pool, team=None, language="de", skill=None, senior=False) == pool[3]


def test_choose_agent_boundary_at_max_open_tickets() -> None:
    at_limit = [cand(1, 3), cand(2, 4)]
    assert choose_agent(at_limit, team="support", language=None, skill=None, senior=False) is None
    below = [cand(1, 3), cand(2, 2)]
    assert choose_agent(below, team="support", language=None, skill=None, senior=False) == below[1]


def test_choose_agent_senior_and_tie_by_user_id() -> None:
    pool = [cand(5, 1, is_senior=True), cand(4, 1, is_senior=True), cand(1, 0)]
    assert choose_agent(pool, team=None, language=None, skill=None, senior=True) == pool[1]
