"""active_rules parses a rule set once per process and sees a newly activated version at once."""

from __future__ import annotations

import datetime as dt

import pytest

from signaldesk.core.audit import Actor
from signaldesk.workflow.rules.services import active_rules, ruleset_save

NOW = dt.datetime(2026, 11, 22, 12, 0, tzinfo=dt.UTC)
ACTOR = Actor.system("test")
ONE = """rules:
  - id: vip
    order: 10
    when: {field: is_vip, op: eq, value: true}
    then: [set_priority: high]
"""
TWO = (
    ONE
    + """  - id: legal
    order: 20
    when: {field: risk_flags, op: contains, value: legal_threat}
    then: [tag: [legal]]
"""
)


@pytest.mark.django_db
def test_the_parse_is_reused_until_another_version_is_activated() -> None:
    ruleset_save(yaml_text=ONE, actor=ACTOR, now=NOW)
    first, again = active_rules(), active_rules()
    ruleset_save(yaml_text=TWO, actor=ACTOR, now=NOW)
    second = active_rules()

    assert first is not None and again is not None and second is not None
    assert again.rules is first.rules
    assert (first.version, [r.id for r in first.rules]) == (1, ["vip"])
    assert (second.version, [r.id for r in second.rules]) == (2, ["vip", "legal"])


@pytest.mark.django_db
def test_no_active_rule_set() -> None:
    assert active_rules() is None
