"""SLA policy file: validation with line numbers, and most-specific-first matching."""

from __future__ import annotations

import datetime as dt

import pytest

from signaldesk.commerce.models import LoyaltyTier
from signaldesk.core.yamlnodes import ConfigError
from signaldesk.tickets.models import Channel, Priority
from signaldesk.workflow.config import DEFAULT_SLA_POLICIES
from signaldesk.workflow.sla_config import (
    CHANNELS,
    PRIORITIES,
    TIERS,
    Stage,
    parse_sla_config,
)

CONFIG = parse_sla_config(
    DEFAULT_SLA_POLICIES.read_text(encoding="utf-8"), source="sla_policies.yaml"
)


def test_value_lists_match_the_models() -> None:
    assert tuple(Priority.values) == PRIORITIES
    assert tuple(LoyaltyTier.values) == TIERS
    assert tuple(Channel.values) == CHANNELS


def test_shipped_config() -> None:
    assert [p.id for p in CONFIG.policies] == [
        "vip_chat",
        "urgent",
        "vip",
        "high",
        "live_channels",
        "standard",
    ]
    assert CONFIG.pause_statuses == frozenset({"pending"})
    office = CONFIG.calendars["berlin_office"]
    assert office.time_zone == "Europe/Berlin"
    assert office.hours[5] == ((dt.time(10), dt.time(14)),)
    assert dt.date(2026, 5, 1) in office.holidays
    assert CONFIG.calendars["around_the_clock"].always_open is True
    urgent = CONFIG.policy("urgent")
    assert urgent is not None
    assert urgent.targets == {"first_response": 15, "resolution": 240}
    assert urgent.stages_for("first_response") == (
        Stage("first_response", "remind", 10, "Reminder to owner"),
        Stage("first_response", "escalate", 15, "Escalate to senior"),
    )
    assert urgent.stages_for("resolution") == (
        Stage("resolution", "remind", 210, "remind before_due 30m"),
        Stage("resolution", "escalate", 240, "escalate after_due 0m"),
    )


@pytest.mark.parametrize(
    ("priority", "tier", "channel", "policy"),
    [
        ("urgent", "none", "email", "urgent"),
        ("urgent", "vip", "chat", "urgent"),  # vip_chat excludes urgent; urgent listed before vip
        ("normal", "vip", "chat", "vip_chat"),
        ("high", "gold", "whatsapp", "vip_chat"),
        ("normal", "gold", "email", "vip"),
        ("high", "gold", "email", "vip"),  # tie on specificity: vip is listed first
        ("high", "none", "chat", "high"),  # tie: high listed before live_channels
        ("normal", "silver", "chat", "live_channels"),
        ("low", "none", "email", "standard"),
        ("normal", "bronze", "marketplace", "standard"),
    ],
)
def test_policy_matching(priority: str, tier: str, channel: str, policy: str) -> None:
    assert CONFIG.match(priority=priority, tier=tier, channel=channel).id == policy


BAD = """\
schema_version: 1
pause_statuses: [pending, solved]
calendars:
  office:
    time_zone: Europe/Nowhere
    hours: {mon: "18:00-09:00", funday: "09:00-10:00"}
    holidays: [2026-13-01]
  closed: {time_zone: UTC}
policies:
  - id: fast
    version: 1
    match: {priority: [urgent, critical], tier: gold}
    calendar: nine_to_five
    targets: {first_response: 15, resolution: 0}
    stages:
      - {metric: first_response, before_due: 20, action: remind}
      - {metric: first_response, after: 5, after_due: 5, action: page}
      - {metric: reply, after: 5, action: remind}
"""


def test_yaml_errors_name_file_line_and_field() -> None:
    with pytest.raises(ConfigError) as info:
        parse_sla_config(BAD, source="sla.yaml")
    assert [str(issue) for issue in info.value.issues] == [
        "sla.yaml:2: pause_statuses: 'solved' cannot pause a clock",
        "sla.yaml:5: calendars.office.time_zone: unknown time zone 'Europe/Nowhere'",
        "sla.yaml:6: calendars.office.hours.funday: unknown field; allowed: mon, tue, wed, thu, "
        "fri, sat, sun",
        "sla.yaml:6: calendars.office.hours.mon: '18:00-09:00' ends before it starts",
        "sla.yaml:7: calendars.office.holidays[0]: '2026-13-01' is not a YYYY-MM-DD date",
        "sla.yaml:4: calendars.office: give opening `hours` or `always_open: true`",
        "sla.yaml:8: calendars.closed: give opening `hours` or `always_open: true`",
        "sla.yaml:12: policies[0].match.priority: 'critical' is not a priority; use one of "
        "low, normal, high, urgent",
        "sla.yaml:13: policies[0].calendar: unknown calendar 'nine_to_five'",
        "sla.yaml:14: policies[0].targets.resolution: must be at least 1",
        "sla.yaml:16: policies[0].stages[0].before_due: 20 is more than the 15-minute target",
        "sla.yaml:17: policies[0].stages[1].action: use one of remind, escalate",
        "sla.yaml:17: policies[0].stages[1]: give exactly one of after, before_due, after_due",
        "sla.yaml:18: policies[0].stages[2].metric: use one of first_response, resolution",
        "sla.yaml:10: policies: add a catch-all policy with `match: {}`",
    ]
