"""Applying the active rule set to tickets: effects, assignment, audit, versions, wiring."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from signaldesk.accounts.models import Team
from signaldesk.core.audit import Actor
from signaldesk.core.models import AuditEvent
from signaldesk.core.yamlnodes import ConfigError
from signaldesk.testing.factories import TicketFactory
from signaldesk.workflow.models import SlaClock
from signaldesk.workflow.models_rules import RuleSet
from signaldesk.workflow.rules.facts import facts_for_ticket
from signaldesk.workflow.rules.services import DEFAULT_RULES, SLA_NOTE, rules_apply, ruleset_save
from signaldesk.workflow.rules.tests.helpers import agent, enriched_ticket, spike
from signaldesk.workflow.services import ticket_workflow_start

pytestmark = pytest.mark.django_db
ACTOR = Actor.system("test")
NOW = dt.datetime(2026, 1, 5, 12, tzinfo=dt.UTC)

ALL_ACTIONS = """\
rules:
  - id: everything
    order: 1
    when: {field: reason, op: eq, value: damaged_item}
    then:
      - set_priority: urgent
      - route: {team: operations, queue: damages}
      - assign: {language: true, skill: damages}
      - apply_sla: {policy: vip}
      - escalate: {to: lead, reason: legal}
      - require_approval: big refund
      - tag: [damaged, rules]
      - suggest_macro: damaged_item_photo
      - auto_action: reship_or_refund
      - webhook: https://hooks.example.com/damage
      - suppress_marketing: 14
"""


def load(text: str) -> RuleSet:
    return ruleset_save(yaml_text=text, actor=ACTOR, now=NOW)


def test_no_active_rules_means_nothing_runs() -> None:
    ticket = TicketFactory(contact_reason="damaged_item")
    assert rules_apply(ticket_id=ticket.pk) is None
    assert AuditEvent.objects.filter(action="workflow.rules_applied").count() == 0


def test_every_action_is_applied_and_audited_with_the_version() -> None:
    ops = Team.objects.create(slug="operations", name="Operations")
    busy = agent("de_busy", ops, languages=["de"], skills=["damages"])
    fit = agent("de_free", ops, languages=["de"], skills=["damages"])
    agent("en_idle", ops, languages=["en"], skills=["damages"])
    TicketFactory(status="open", assignee=busy)
    load("rules: []\n")
    version = load(ALL_ACTIONS).version
    ticket = enriched_ticket(contact_reason="damaged_item", language="de", tags=["old"])
    rules_apply(ticket_id=ticket.pk)
    ticket.refresh_from_db()
    assert (ticket.priority, ticket.owner_team_id, ticket.assignee_id) == ("urgent", ops.pk, fit.pk)
    assert ticket.tags == ["old", "damaged", "rules"]
    assert ticket.custom_fields == {
        "rules": {"version": 2, "fired": ["everything"]},
        "queue": "damages",
        "sla_policy_requested": "vip",
        "escalations": [{"rule": "everything", "to": "lead", "reason": "legal"}],
        "approval_required": {"reasons": ["big refund"], "ruleset_version": 2},
        "suggested_macro": "damaged_item_photo",
        "auto_action": {
            "action": "reship_or_refund",
            "allowed": True,
            "limit": "100",
            "taxonomy_action": "refund_or_replace",
        },
        "webhooks_requested": ["https://hooks.example.com/damage"],
        "suppress_marketing": {"days": 14},
    }
    (event,) = AuditEvent.objects.filter(action="workflow.rules_applied")
    assert event.object_id == str(ticket.pk)
    assert event.context["ruleset_version"] == version == 2
    assert event.context["fired"] == ["everything"]
    assert [a["action"] for a in event.context["actions"]] == [
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
    ]
    assert event.context["actions"][3]["note"] == SLA_NOTE
    assert event.before["priority"] == "normal"
    assert event.after["priority"] == "urgent"


ASSIGN = """\
rules:
  - id: by_language
    order: 1
    when: {field: language, op: exists, value: true}
    then:
      - route: support
      - assign: {language: true}
"""


def test_assignment_by_language_and_load_with_the_max_open_boundary() -> None:
    support = Team.objects.create(slug="support", name="Support")
    full = agent("fr_full", support, languages=["fr"], max_open=2)
    spare = agent("fr_spare", support, languages=["fr"], max_open=3)
    agent("en_only", support, languages=["en"])
    for _ in range(2):
        TicketFactory(status="open", assignee=full)
        TicketFactory(status="open", assignee=spare)
    TicketFactory(status="solved", assignee=spare)  # closed work does not count
    load(ASSIGN)
    first = enriched_ticket(language="fr")
    rules_apply(ticket_id=first.pk)
    first.refresh_from_db()
    assert first.assignee_id == spare.pk  # full is at 2 of 2; spare is at 2 of 3
    second = enriched_ticket(language="fr")
    rules_apply(ticket_id=second.pk)
    second.refresh_from_db()
    assert second.assignee_id is None  # spare now holds 3 of 3
    (event,) = AuditEvent.objects.filter(action="workflow.rules_applied", object_id=second.pk)
    assert event.context["actions"][1]["note"] == "no agent fits (team, language, skill, load)"


def test_unknown_team_is_noted_not_applied() -> None:
    load(ASSIGN.replace("route: support", "route: nowhere"))
    ticket = enriched_ticket(language="fr")
    rules_apply(ticket_id=ticket.pk)
    ticket.refresh_from_db()
    assert ticket.owner_team_id is None
    event = AuditEvent.objects.get(action="workflow.rules_applied")
    assert event.context["actions"][0]["note"] == "unknown team 'nowhere'"


def test_facts_join_enrichment_and_open_spikes() -> None:
    spike("damaged_item", "batch", "B-7")
    spike("damaged_item", "sku", "SKU-9", status="resolved")
    ticket = enriched_ticket(
        {"batch_code": "B-7", "sku": "SKU-9", "order_value": 120.5, "is_vip": True},
        contact_reason="damaged_item",
        reason_confidence=0.8,
        risk_flags=["anger"],
    )
    facts = facts_for_ticket(ticket.pk)
    assert (facts["reason"], facts["confidence"], facts["order_value"]) == (
        "damaged_item",
        0.8,
        120.5,
    )
    assert (facts["is_vip"], facts["risk_flags"], facts["in_active_spike"]) == (
        True,
        ["anger"],
        True,
    )
    other = enriched_ticket({"sku": "SKU-9"}, contact_reason="damaged_item")
    assert facts_for_ticket(other.pk)["in_active_spike"] is False
    bare = TicketFactory()
    assert (facts_for_ticket(bare.pk)["order_value"], facts_for_ticket(bare.pk)["is_vip"]) == (
        None,
        False,
    )


def test_save_creates_versions_and_keeps_one_active() -> None:
    first = load("rules: []\n")
    same = load("rules: []\n")
    second = load(DEFAULT_RULES.read_text())
    assert (first.version, same.pk, second.version) == (1, first.pk, 2)
    assert list(RuleSet.objects.filter(active=True).values_list("version", flat=True)) == [2]
    assert AuditEvent.objects.filter(action="workflow.ruleset_saved").count() == 2
    with pytest.raises(ConfigError):
        load("rules:\n  - id: x\n")
    assert RuleSet.objects.count() == 2


def test_workflow_start_runs_rules_before_sla_clocks() -> None:
    load(DEFAULT_RULES.read_text())
    ticket = enriched_ticket(risk_flags=["legal_threat"], contact_reason="damaged_item")
    ticket_workflow_start(ticket_id=ticket.pk, now=timezone.now())
    ticket.refresh_from_db()
    assert ticket.priority == "urgent"
    assert ticket.custom_fields["escalations"] == [
        {"rule": "legal_or_safety_risk", "to": "lead", "reason": "legal or safety risk"}
    ]
    assert ticket.tags == ["risk_escalated"]
    assert set(SlaClock.objects.filter(ticket=ticket).values_list("policy_id", flat=True)) != set()
    event = AuditEvent.objects.get(action="workflow.rules_applied")
    assert (event.context["ruleset_version"], event.context["fired"]) == (
        1,
        ["legal_or_safety_risk"],
    )


def test_rerun_is_idempotent_and_never_reassigns() -> None:
    support = Team.objects.create(slug="support", name="Support")
    agent("fr_one", support, languages=["fr"])
    load(ASSIGN)
    human = agent("fr_two", support, languages=["fr"])
    ticket = enriched_ticket(language="fr", assignee=human)
    rules_apply(ticket_id=ticket.pk)
    rules_apply(ticket_id=ticket.pk)
    ticket.refresh_from_db()
    assert (ticket.assignee_id, ticket.owner_team_id) == (human.pk, support.pk)
    (event,) = AuditEvent.objects.filter(action="workflow.rules_applied")
    assert event.context["actions"][1]["note"] == (
        "already assigned: rules never take a ticket from an agent"
    )


def test_auto_action_on_an_unknown_reason_is_recorded_as_not_allowed() -> None:
    load(ALL_ACTIONS.replace("op: eq, value: damaged_item", "op: exists, value: true"))
    ticket = enriched_ticket(contact_reason="no_such_reason")
    rules_apply(ticket_id=ticket.pk)
    ticket.refresh_from_db()
    assert ticket.custom_fields["auto_action"] == {
        "action": "reship_or_refund",
        "allowed": False,
        "limit": None,
        "taxonomy_action": "",
    }


def test_rules_never_lower_the_ticket_priority() -> None:
    load(ASSIGN.replace("      - route: support\n", "      - set_priority: low\n"))
    ticket = enriched_ticket(language="fr", priority="high")
    rules_apply(ticket_id=ticket.pk)
    ticket.refresh_from_db()
    assert ticket.priority == "high"
    event = AuditEvent.objects.get(action="workflow.rules_applied")
    assert event.context["actions"][0]["note"] == "priority only rises: ticket is high"
