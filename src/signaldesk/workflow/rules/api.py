"""GET /api/v1/workflow/rules (the active set) and POST /api/v1/workflow/rules/simulate."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.http import HttpRequest
from django.utils import timezone
from ninja import Router, Schema

from signaldesk.accounts.api_auth import api_auth, authorize
from signaldesk.workflow.models_rules import RuleSet
from signaldesk.workflow.rules.parse import parse_rules
from signaldesk.workflow.rules.services import DEFAULT_RULES
from signaldesk.workflow.rules.simulate import simulate

rules_router = Router(auth=api_auth, tags=["workflow"])


class RuleOut(Schema):
    id: str
    order: int
    description: str
    override: bool
    stop: bool
    enabled: bool
    actions: list[str]


class RuleSetOut(Schema):
    version: int | None
    sha256: str
    yaml_text: str
    rules: list[RuleOut]


class SimulateIn(Schema):
    since_days: int = 30
    yaml_text: str | None = None  # default: the active rule set, else the packaged rules.yaml


@rules_router.get("", response=RuleSetOut)
def get_rules(request: HttpRequest) -> RuleSetOut:
    authorize(request, "tickets.read")
    row = RuleSet.objects.filter(active=True).first()
    if row is None:
        return RuleSetOut(version=None, sha256="", yaml_text="", rules=[])
    rules = parse_rules(row.yaml_text, source=f"ruleset v{row.version}")
    return RuleSetOut(
        version=row.version,
        sha256=row.sha256,
        yaml_text=row.yaml_text,
        rules=[
            RuleOut(
                id=r.id,
                order=r.order,
                description=r.description,
                override=r.override,
                stop=r.stop,
                enabled=r.enabled,
                actions=[a.kind for a in r.then],
            )
            for r in rules
        ],
    )


@rules_router.post("/simulate", response=dict[str, Any])
def post_simulate(request: HttpRequest, payload: SimulateIn) -> dict[str, Any]:
    authorize(request, "rules.write")
    text = payload.yaml_text
    if text is None:
        row = RuleSet.objects.filter(active=True).first()
        text = row.yaml_text if row is not None else DEFAULT_RULES.read_text(encoding="utf-8")
    rules = parse_rules(text, source="request")
    since = timezone.now() - dt.timedelta(days=max(payload.since_days, 0))
    return simulate(rules=rules, since=since).as_dict()
