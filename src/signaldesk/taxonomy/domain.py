"""Immutable, Django-free views of one taxonomy version (what selectors hand to other packages)."""

from __future__ import annotations

import string
from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from signaldesk.core.errors import NotFound


class _KeepMissing(dict[str, Any]):
    def __missing__(self, key: str) -> str:
        return "{" + key + "}"


@dataclass(frozen=True)
class ResponseMacro:
    macro_id: str
    template: str

    @property
    def variables(self) -> tuple[str, ...]:
        names = [f for _, f, _, _ in string.Formatter().parse(self.template) if f]
        return tuple(dict.fromkeys(names))

    def render(self, values: Mapping[str, Any]) -> str:
        """Fill the known {variables}; unknown ones stay visible as {name} for the agent."""
        return self.template.format_map(_KeepMissing(values))


@dataclass(frozen=True)
class AutoAction:
    allowed: bool
    action: str = ""
    limit: Decimal | None = None  # in store currency; None = no money limit applies


@dataclass(frozen=True)
class EscalationRule:
    value_threshold: Decimal | None = None
    repeat_contacts: int | None = None
    vip: bool = False
    batch_spike: bool = False
    policy_exception: bool = False


@dataclass(frozen=True)
class ReasonTemplate:
    id: str
    name: str
    group: str
    description: str
    examples: tuple[str, ...]
    aliases: tuple[str, ...]
    required_context: tuple[str, ...]
    response: ResponseMacro
    auto_action: AutoAction
    escalation: EscalationRule
    owner_team: str
    review_cadence: str
    ticket_type: str
    priority: str


@dataclass(frozen=True)
class ReasonGroup:
    id: str
    name: str


@dataclass(frozen=True)
class Taxonomy:
    version: str
    content_hash: str
    groups: tuple[ReasonGroup, ...]
    reasons: tuple[ReasonTemplate, ...]

    @property
    def ids(self) -> tuple[str, ...]:
        return tuple(r.id for r in self.reasons)

    def reason(self, reason_id: str) -> ReasonTemplate:
        for r in self.reasons:
            if r.id == reason_id:
                return r
        raise NotFound(f"No contact reason {reason_id!r} in taxonomy {self.version}.")

    def in_group(self, group_id: str) -> tuple[ReasonTemplate, ...]:
        return tuple(r for r in self.reasons if r.group == group_id)


def _money(value: Any) -> Decimal | None:
    return None if value is None else Decimal(str(value))


def taxonomy_from_doc(doc: Mapping[str, Any], *, version: str, content_hash: str) -> Taxonomy:
    """Build the frozen view from a validated, normalised document (see schema.parse_taxonomy)."""
    reasons = []
    for r in doc["reasons"]:
        auto, esc = r["auto_action"], r["escalation"]
        reasons.append(
            ReasonTemplate(
                id=r["id"],
                name=r["name"],
                group=r["group"],
                description=r["description"],
                examples=tuple(r["examples"]),
                aliases=tuple(r["aliases"]),
                required_context=tuple(r["required_context"]),
                response=ResponseMacro(r["response"]["macro"], r["response"]["template"]),
                auto_action=AutoAction(auto["allowed"], auto["action"], _money(auto["limit"])),
                escalation=EscalationRule(
                    value_threshold=_money(esc["value_threshold"]),
                    repeat_contacts=esc["repeat_contacts"],
                    vip=esc["vip"],
                    batch_spike=esc["batch_spike"],
                    policy_exception=esc["policy_exception"],
                ),
                owner_team=r["owner_team"],
                review_cadence=r["review_cadence"],
                ticket_type=r["ticket_type"],
                priority=r["priority"],
            )
        )
    groups = tuple(ReasonGroup(g["id"], g["name"]) for g in doc["groups"])
    return Taxonomy(
        version=version, content_hash=content_hash, groups=groups, reasons=tuple(reasons)
    )
