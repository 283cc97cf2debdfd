"""API schemas for the taxonomy router."""

from __future__ import annotations

import datetime as dt
from typing import Any

from ninja import Schema


class ResponseMacroOut(Schema):
    macro_id: str
    template: str


class AutoActionOut(Schema):
    allowed: bool
    action: str
    limit: float | None


class EscalationOut(Schema):
    value_threshold: float | None
    repeat_contacts: int | None
    vip: bool
    batch_spike: bool
    policy_exception: bool


class ReasonOut(Schema):
    id: str
    name: str
    group: str
    description: str
    examples: list[str]
    aliases: list[str]
    required_context: list[str]
    response: ResponseMacroOut
    auto_action: AutoActionOut
    escalation: EscalationOut
    owner_team: str
    review_cadence: str
    ticket_type: str
    priority: str


class GroupOut(Schema):
    id: str
    name: str


class TaxonomyOut(Schema):
    version: str
    content_hash: str
    groups: list[GroupOut]
    reasons: list[ReasonOut]


class VersionOut(Schema):
    id: int
    label: str
    content_hash: str
    source_name: str
    created_at: dt.datetime
    created_by: str
    is_active: bool
    parent: str | None
    notes: str


class MappingOut(Schema):
    id: int
    tag: str
    reason_id: str
    confidence: float
    status: str
    evidence: dict[str, Any]
    taxonomy_version: str | None
    approved_by: int | None
    approved_at: dt.datetime | None


class ApproveIn(Schema):
    reason_id: str | None = None


class ProposeOut(Schema):
    created: int
    updated: int


class ApplyOut(Schema):
    batch_id: int | None
    tickets_changed: int
    by_reason: dict[str, int]
    skipped_mappings: list[str]


class RevertOut(Schema):
    batch_id: int
    restored: int
    skipped: int
