"""Rules YAML: the packaged file parses; errors name the file, line and field."""

from __future__ import annotations

from pathlib import Path

import pytest

from signaldesk.core.yamlnodes import ConfigError
from signaldesk.workflow.rules.engine import Action, Group, Leaf
from signaldesk.workflow.rules.parse import parse_rules

PACKAGED = Path(__file__).resolve().parents[2] / "rules.yaml"


def test_packaged_rules_parse_in_order() -> None:
    rules = parse_rules(PACKAGED.read_text(), source="rules.yaml")
    assert [r.id for r in rules] == [
        "legal_or_safety_risk",
        "vip_customer",
        "high_value_customer",
        "damaged_item_high_value",
        "active_spike",
        "delivery_to_operations",
        "repeat_contact",
        "language_routing",
        "order_status_in_transit",
    ]


def test_shorthand_forms() -> None:
    text = """\
rules:
  - id: r
    order: 3
    when:
      not: {field: language, op: in, value: [en, de]}
    then:
      - set_priority: high
      - tag: vip
      - route: operations
      - escalate: {to: lead}
      - suppress_marketing: {days: 7}
    stop: true
"""
    (rule,) = parse_rules(text, source="t.yaml")
    assert rule.when == Group("not", (Leaf("language", "in", ["en", "de"]),))
    assert rule.then == (
        Action("set_priority", {"priority": "high"}),
        Action("tag", {"tags": ["vip"]}),
        Action("route", {"team": "operations"}),
        Action("escalate", {"to": "lead"}),
        Action("suppress_marketing", {"days": 7}),
    )
    assert (rule.order, rule.stop, rule.override, rule.enabled) == (3, True, False, True)


BAD = """\
rules:
  - id: ok_rule
    order: 1
    when: {field: colour, op: eq, value: red}
    then:
      - set_priority: sky_high
  - id: Bad-Id
    order: 2
    when:
      all:
        - {field: order_value, op: gt, value: lots}
        - {field: language, op: in, value: en}
        - {field: sku, op: between, value: 1}
    then:
      - teleport: now
    shout: true
  - id: ok_rule
    order: 3
    when: {field: is_vip, op: exists, value: maybe}
    then: []
"""


def test_every_error_has_its_line_and_field() -> None:
    with pytest.raises(ConfigError) as caught:
        parse_rules(BAD, source="rules.yaml")
    assert [str(i) for i in caught.value.issues] == [
        "rules.yaml:4: rules[0].when.field: unknown field 'colour'",
        "rules.yaml:6: rules[0].then[0].set_priority: priority must be one of low, normal, high, "
        "urgent",
        "rules.yaml:16: rules[1].shout: unknown field; allowed: id, order, when, then, "
        "description, override, stop, enabled",
        "rules.yaml:7: rules[1].id: 'Bad-Id' does not match ^[a-z][a-z0-9_]*$",
        "rules.yaml:11: rules[1].when.all[0].value: gt needs a numeric field and a number",
        "rules.yaml:12: rules[1].when.all[1].value: in needs a list",
        "rules.yaml:13: rules[1].when.all[2].op: unknown operator 'between'; allowed: eq, ne, in, "
        "not_in, gt, gte, lt, lte, contains, exists",
        "rules.yaml:15: rules[1].then[0].teleport: unknown action; allowed: set_priority, route, "
        "assign, apply_sla, escalate, require_approval, tag, suggest_macro, auto_action, "
        "webhook, suppress_marketing",
        "rules.yaml:17: rules[2].id: duplicate rule id 'ok_rule'",
        "rules.yaml:19: rules[2].when.value: exists needs true or false",
        "rules.yaml:20: rules[2].then: needs at least one action",
    ]


def test_syntax_error_and_missing_fields() -> None:
    with pytest.raises(ConfigError) as caught:
        parse_rules("rules:\n  - id: a\n    order: [\n", source="x.yaml")
    assert [i.line for i in caught.value.issues] == [4]
    with pytest.raises(ConfigError) as caught:
        parse_rules("rules:\n  - id: a\n    order: 1\n", source="x.yaml")
    assert [str(i) for i in caught.value.issues] == [
        "x.yaml:2: rules[0].when: required field is missing",
        "x.yaml:2: rules[0].then: required field is missing",
    ]
