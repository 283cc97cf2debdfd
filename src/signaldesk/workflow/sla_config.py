"""SLA policies and business calendars, read from sla_policies.yaml (Django-free).

A policy matches tickets by priority, customer loyalty tier and channel; the most specific policy
wins (the one that names the most of the three), ties going to the one listed first; a policy
with an empty `match` is the catch-all and one is required. Targets are business minutes on the
policy's calendar. Stages fire at an offset on the same clock: `after` N business minutes since
the clock started, `before_due` or `after_due` N minutes relative to the target."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from yaml.nodes import Node

from signaldesk.core.yamlnodes import NodeReader, compose
from signaldesk.workflow.calendar import (
    WEEKDAYS,
    BusinessCalendar,
    Interval,
    check_intervals,
    parse_interval,
)
from signaldesk.workflow.machines import STATUSES

SCHEMA_VERSION = 1
METRICS = ("first_response", "resolution")
ACTIONS = ("remind", "escalate")
OFFSET_KEYS = ("after", "before_due", "after_due")
# Kept in step with tickets.models.Priority / Channel and commerce.models.LoyaltyTier by a test.
PRIORITIES = ("low", "normal", "high", "urgent")
TIERS = ("none", "bronze", "silver", "gold", "vip")
CHANNELS = (
    "email",
    "chat",
    "social",
    "marketplace",
    "form",
    "phone",
    "whatsapp",
    "api",
    "self_service",
)
MATCH_VALUES = {"priority": PRIORITIES, "tier": TIERS, "channel": CHANNELS}


@dataclass(frozen=True)
class Stage:
    metric: str
    action: str
    offset_minutes: int  # business minutes after the clock started (pauses excluded)
    name: str


@dataclass(frozen=True)
class Policy:
    id: str
    version: int
    match: Mapping[str, tuple[str, ...]]
    calendar: str
    targets: Mapping[str, int]  # metric -> business minutes
    stages: tuple[Stage, ...]
    description: str = ""

    @property
    def specificity(self) -> int:
        return len(self.match)

    def matches(self, *, priority: str, tier: str, channel: str) -> bool:
        values = {"priority": priority, "tier": tier, "channel": channel}
        return all(values[key] in allowed for key, allowed in self.match.items())

    def stages_for(self, metric: str) -> tuple[Stage, ...]:
        return tuple(
            sorted((s for s in self.stages if s.metric == metric), key=lambda s: s.offset_minutes)
        )


@dataclass(frozen=True)
class SlaConfig:
    calendars: Mapping[str, BusinessCalendar]
    policies: tuple[Policy, ...]  # most specific first, then file order
    pause_statuses: frozenset[str]

    def match(self, *, priority: str, tier: str, channel: str) -> Policy:
        for policy in self.policies:
            if policy.matches(priority=priority, tier=tier, channel=channel):
                return policy
        raise LookupError("no catch-all SLA policy")  # parse_sla_config guarantees one

    def policy(self, policy_id: str) -> Policy | None:
        return next((p for p in self.policies if p.id == policy_id), None)


def parse_sla_config(text: str, *, source: str) -> SlaConfig:
    """Validate sla_policies.yaml; raises ConfigError listing every problem with its line."""
    reader = NodeReader(source)
    root = compose(text, source=source)
    top = (
        reader.mapping(
            root,
            "(file)",
            required=("schema_version", "calendars", "policies"),
            optional=("pause_statuses",),
        )
        or {}
    )
    if "schema_version" in top:
        node = top["schema_version"][1]
        if reader.integer(node, "schema_version") != SCHEMA_VERSION:
            reader.fail(node, "schema_version", f"only version {SCHEMA_VERSION} is supported")
    pause = ["pending"]
    if "pause_statuses" in top:
        pause = reader.string_list(top["pause_statuses"][1], "pause_statuses")
        for status in pause:
            if status not in STATUSES or status in ("solved", "closed"):
                reader.fail(
                    top["pause_statuses"][1], "pause_statuses", f"{status!r} cannot pause a clock"
                )
    calendars: dict[str, BusinessCalendar] = {}
    if "calendars" in top:
        for cal_id, (key_node, node) in (
            reader.mapping(top["calendars"][1], "calendars", free_keys=True) or {}
        ).items():
            calendar = _calendar(reader, cal_id, node, key_node)
            if calendar is not None:
                calendars[cal_id] = calendar
    policies: list[Policy] = []
    seen: set[str] = set()
    for index, node in enumerate(
        reader.sequence(top["policies"][1], "policies") if "policies" in top else []
    ):
        policy = _policy(reader, f"policies[{index}]", node, calendars)
        if policy is None:
            continue
        if policy.id in seen:
            reader.fail(node, f"policies[{index}].id", f"duplicate policy id {policy.id!r}")
        seen.add(policy.id)
        policies.append(policy)
    if "policies" in top and not any(p.specificity == 0 for p in policies):
        reader.fail(top["policies"][1], "policies", "add a catch-all policy with `match: {}`")
    reader.raise_if_issues()
    ordered = sorted(enumerate(policies), key=lambda pair: (-pair[1].specificity, pair[0]))
    return SlaConfig(
        calendars=calendars,
        policies=tuple(p for _, p in ordered),
        pause_statuses=frozenset(pause),
    )


def _calendar(
    reader: NodeReader, cal_id: str, node: Node, key_node: Node
) -> BusinessCalendar | None:
    path = f"calendars.{cal_id}"
    m = reader.mapping(node, path, optional=("time_zone", "hours", "holidays", "always_open"))
    if m is None:
        return None
    zone = reader.string(m["time_zone"][1], f"{path}.time_zone") if "time_zone" in m else "UTC"
    try:
        ZoneInfo(zone)
    except (ZoneInfoNotFoundError, ValueError):
        reader.fail(m["time_zone"][1], f"{path}.time_zone", f"unknown time zone {zone!r}")
        zone = "UTC"
    always = (
        reader.boolean(m["always_open"][1], f"{path}.always_open") if "always_open" in m else False
    )
    hours: dict[int, tuple[Interval, ...]] = {}
    if "hours" in m:
        for day, (_, value_node) in (
            reader.mapping(m["hours"][1], f"{path}.hours", optional=WEEKDAYS) or {}
        ).items():
            day_path = f"{path}.hours.{day}"
            try:
                parsed = [parse_interval(t) for t in reader.string_list(value_node, day_path)]
                hours[WEEKDAYS.index(day)] = check_intervals(parsed)
            except ValueError as exc:
                reader.fail(value_node, day_path, str(exc))
    holidays: set[dt.date] = set()
    if "holidays" in m:
        for index, item in enumerate(reader.sequence(m["holidays"][1], f"{path}.holidays")):
            text = reader.string(item, f"{path}.holidays[{index}]")
            try:
                holidays.add(dt.date.fromisoformat(text))
            except ValueError:
                reader.fail(item, f"{path}.holidays[{index}]", f"{text!r} is not a YYYY-MM-DD date")
    if not always and not any(hours.values()):
        reader.fail(key_node, path, "give opening `hours` or `always_open: true`")
        return None
    return BusinessCalendar(
        id=cal_id, time_zone=zone, hours=hours, holidays=frozenset(holidays), always_open=always
    )


def _policy(
    reader: NodeReader, path: str, node: Node, calendars: Mapping[str, BusinessCalendar]
) -> Policy | None:
    m = reader.mapping(
        node,
        path,
        required=("id", "version", "match", "calendar", "targets"),
        optional=("description", "stages"),
    )
    if m is None or any(k not in m for k in ("id", "version", "match", "calendar", "targets")):
        return None
    policy_id = reader.slug(m["id"][1], f"{path}.id")
    version = reader.integer(m["version"][1], f"{path}.version", minimum=1)
    match: dict[str, tuple[str, ...]] = {}
    for key, (_, value_node) in (
        reader.mapping(m["match"][1], f"{path}.match", optional=tuple(MATCH_VALUES)) or {}
    ).items():
        values = reader.string_list(value_node, f"{path}.match.{key}")
        for value in values:
            if value not in MATCH_VALUES[key]:
                reader.fail(
                    value_node,
                    f"{path}.match.{key}",
                    f"{value!r} is not a {key}; use one of {', '.join(MATCH_VALUES[key])}",
                )
        match[key] = tuple(values)
    calendar = reader.slug(m["calendar"][1], f"{path}.calendar")
    if calendar not in calendars:
        reader.fail(m["calendar"][1], f"{path}.calendar", f"unknown calendar {calendar!r}")
    targets: dict[str, int] = {}
    for metric, (_, value_node) in (
        reader.mapping(m["targets"][1], f"{path}.targets", required=METRICS) or {}
    ).items():
        targets[metric] = reader.integer(value_node, f"{path}.targets.{metric}", minimum=1)
    stages: list[Stage] = []
    if "stages" in m:
        for index, stage_node in enumerate(reader.sequence(m["stages"][1], f"{path}.stages")):
            stage = _stage(reader, f"{path}.stages[{index}]", stage_node, targets)
            if stage is not None:
                stages.append(stage)
    description = (
        reader.string(m["description"][1], f"{path}.description") if "description" in m else ""
    )
    return Policy(
        id=policy_id,
        version=version,
        match=match,
        calendar=calendar,
        targets=targets,
        stages=tuple(stages),
        description=description,
    )


def _stage(reader: NodeReader, path: str, node: Node, targets: Mapping[str, int]) -> Stage | None:
    m = reader.mapping(node, path, required=("metric", "action"), optional=(*OFFSET_KEYS, "name"))
    if m is None or "metric" not in m or "action" not in m:
        return None
    metric = reader.string(m["metric"][1], f"{path}.metric")
    if metric not in METRICS:
        reader.fail(m["metric"][1], f"{path}.metric", f"use one of {', '.join(METRICS)}")
        return None
    action = reader.string(m["action"][1], f"{path}.action")
    if action not in ACTIONS:
        reader.fail(m["action"][1], f"{path}.action", f"use one of {', '.join(ACTIONS)}")
    given = [key for key in OFFSET_KEYS if key in m]
    if len(given) != 1:
        reader.fail(node, path, f"give exactly one of {', '.join(OFFSET_KEYS)}")
        return None
    key = given[0]
    minutes = reader.integer(m[key][1], f"{path}.{key}")
    target = targets.get(metric, 0)
    offset = {"after": minutes, "before_due": target - minutes, "after_due": target + minutes}[key]
    if offset < 0:
        reader.fail(
            m[key][1], f"{path}.{key}", f"{minutes} is more than the {target}-minute target"
        )
        offset = 0
    name = (
        reader.string(m["name"][1], f"{path}.name") if "name" in m else f"{action} {key} {minutes}m"
    )
    return Stage(metric=metric, action=action, offset_minutes=offset, name=name)
