"""The simulator on a hand-built set: exact counts, and it writes nothing (service, CLI, API)."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone
from typer.testing import CliRunner

from signaldesk.accounts.models import Team
from signaldesk.cli import main
from signaldesk.core.audit import Actor
from signaldesk.core.models import AuditEvent
from signaldesk.testing.factories import UserFactory
from signaldesk.tickets.models import Ticket
from signaldesk.workflow.models_rules import RuleSet
from signaldesk.workflow.rules.parse import parse_rules
from signaldesk.workflow.rules.services import ruleset_save
from signaldesk.workflow.rules.simulate import simulate
from signaldesk.workflow.rules.tests.helpers import agent, enriched_ticket

pytestmark = pytest.mark.django_db

RULES = """\
rules:
  - id: r_ops
    order: 10
    when: {field: reason, op: in, value: [delivery_delay, lost_parcel]}
    then:
      - route: operations
  - id: r_urgent
    order: 20
    when: {field: risk_flags, op: contains, value: legal_threat}
    then:
      - set_priority: urgent
  - id: r_lang
    order: 30
    when: {field: language, op: eq, value: de}
    then:
      - assign: {language: true}
"""


def build() -> list[int]:
    Team.objects.create(slug="operations", name="Operations")
    agent("de_agent", Team.objects.create(slug="support", name="Support"), languages=["de"])
    t1 = enriched_ticket(contact_reason="delivery_delay", priority="normal")
    t2 = enriched_ticket(
        contact_reason="delivery_delay", priority="normal", risk_flags=["legal_threat"]
    )
    t3 = enriched_ticket(contact_reason="sizing", priority="low", language="de")
    t4 = enriched_ticket(contact_reason="sizing", priority="high", language="en")
    enriched_ticket(
        contact_reason="delivery_delay", created_at=timezone.now() - dt.timedelta(days=60)
    )
    return [t1.pk, t2.pk, t3.pk, t4.pk]


def expected(ids: list[int]) -> dict[str, Any]:
    t1, t2, t3, _ = ids
    return {
        "tickets": 4,
        "rules": {
            "r_ops": {"fired": 2, "examples": [t1, t2]},
            "r_urgent": {"fired": 1, "examples": [t2]},
            "r_lang": {"fired": 1, "examples": [t3]},
        },
        "priority": {
            "actual": {"high": 1, "low": 1, "normal": 2},
            "simulated": {"high": 1, "low": 1, "normal": 1, "urgent": 1},
        },
        "team": {"actual": {"(none)": 4}, "simulated": {"(none)": 2, "operations": 2}},
        "assignee": {"actual": {"(none)": 4}, "simulated": {"(none)": 3, "de_agent": 1}},
    }


def state() -> tuple[int, int, int, list[tuple[Any, ...]]]:
    rows = list(
        Ticket.objects.order_by("id").values_list(
            "priority", "owner_team_id", "assignee_id", "tags", "custom_fields", "updated_at"
        )
    )
    return AuditEvent.objects.count(), Ticket.objects.count(), RuleSet.objects.count(), rows


def test_simulation_counts_and_writes_nothing() -> None:
    ids = build()
    before = state()
    since = timezone.now() - dt.timedelta(days=30)
    report = simulate(rules=parse_rules(RULES, source="t"), since=since).as_dict()
    assert {k: v for k, v in report.items() if k != "since"} == expected(ids)
    assert state() == before


def test_cli_simulate_json(tmp_path: Path) -> None:
    ids = build()
    path = tmp_path / "rules.yaml"
    path.write_text(RULES)
    before = state()
    main.build_app()
    args = ["rules", "simulate", "--since", "30d", "--rules", str(path), "--json"]
    result = CliRunner().invoke(main.app, args)
    assert result.exit_code == 0, result.output
    report = json.loads(result.output)
    assert {k: v for k, v in report.items() if k != "since"} == expected(ids)
    assert state() == before


def test_api_simulate_and_active_rules(client: Client) -> None:
    ids = build()
    ruleset_save(yaml_text=RULES, actor=Actor.system("test"), now=timezone.now())
    client.force_login(UserFactory(username="rules-agent", role="agent"))
    got = client.get("/api/v1/workflow/rules")
    assert got.status_code == 200
    body = got.json()
    assert (body["version"], [r["id"] for r in body["rules"]]) == (
        1,
        ["r_ops", "r_urgent", "r_lang"],
    )
    assert body["rules"][2]["actions"] == ["assign"]
    denied = client.post("/api/v1/workflow/rules/simulate", {}, content_type="application/json")
    assert denied.status_code == 403
    client.force_login(UserFactory(username="rules-manager", role="manager"))
    before = state()
    ok = client.post(
        "/api/v1/workflow/rules/simulate", {"since_days": 30}, content_type="application/json"
    )
    assert ok.status_code == 200
    assert {k: v for k, v in ok.json().items() if k != "since"} == expected(ids)
    bad = client.post(
        "/api/v1/workflow/rules/simulate",
        {"yaml_text": "rules:\n  - id: x\n"},
        content_type="application/json",
    )
    assert (bad.status_code, bad.json()["code"]) == (422, "config_invalid")
    assert state() == before


def test_api_requires_authentication(client: Client) -> None:
    assert client.get("/api/v1/workflow/rules").status_code == 401
    post = client.post("/api/v1/workflow/rules/simulate", {}, content_type="application/json")
    assert post.status_code == 401
