"""VIP / high-value classification as a fact, the default VIP routing with its tighter SLA, and
assignment by language, skill and load with the documented fallbacks."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.utils import timezone

from signaldesk.accounts.models import Team
from signaldesk.commerce.value import ValueThresholds, customer_value
from signaldesk.core.audit import Actor
from signaldesk.core.models import AuditEvent
from signaldesk.testing.factories import CustomerFactory, OrderFactory, TicketFactory
from signaldesk.triage.models import TicketEnrichment
from signaldesk.triage.services import ticket_triage
from signaldesk.workflow.models import SlaClock
from signaldesk.workflow.rules.assign import NO_FIT, Candidate, assign_agent
from signaldesk.workflow.rules.facts import facts_for_ticket
from signaldesk.workflow.rules.services import DEFAULT_RULES, ruleset_save
from signaldesk.workflow.rules.tests.helpers import agent, enriched_ticket
from signaldesk.workflow.services import ticket_workflow_start

ACTOR = Actor.system("test")
T = ValueThresholds()


def cand(
    uid: int, langs: str, *, skills: str = "", senior: bool = False, load: int = 0
) -> Candidate:
    return Candidate(
        user_id=uid,
        username=f"u{uid}",
        team="support",
        languages=frozenset(langs.split()),
        skills=frozenset(skills.split()),
        is_senior=senior,
        max_open=5,
        open_tickets=load,
    )


POOL = [
    cand(1, "de en", skills="damages", load=3),
    cand(2, "de", skills="damages", load=1),
    cand(3, "de", load=0),  # no skill
    cand(4, "en", skills="damages", load=0),  # no German
    cand(5, "fr de", skills="damages", senior=True, load=5),  # senior, at capacity
    cand(6, "fr", senior=True, load=2),
]


def test_language_skill_and_lowest_load_win() -> None:
    chosen = assign_agent(POOL, team="support", language="de", skill="damages", senior=False)
    assert (chosen.agent.user_id if chosen.agent else None, chosen.note) == (2, "")


def test_no_free_senior_falls_back_to_the_least_loaded_speaker() -> None:
    chosen = assign_agent(POOL, team="support", language="de", skill=None, senior=True)
    assert (chosen.agent.user_id if chosen.agent else None, chosen.note) == (
        3,
        "no senior agent fits: the least loaded other agent",
    )
    senior_fr = assign_agent(POOL, team="support", language="fr", skill=None, senior=True)
    assert senior_fr.agent == POOL[5]


def test_nobody_speaks_the_language_leaves_it_in_the_queue_tagged() -> None:
    result = assign_agent(POOL, team="support", language="pt", skill=None, senior=False)
    assert (result.agent, result.tags, result.note) == (
        None,
        ("needs_translation",),
        "no agent speaks 'pt': left in the team queue",
    )


def test_speakers_at_capacity_leave_it_unassigned_without_the_tag() -> None:
    full = [cand(1, "it", load=5), cand(2, "it", load=5)]
    result = assign_agent(full, team="support", language="it", skill=None, senior=False)
    assert (result.agent, result.tags, result.note) == (None, (), NO_FIT)


def test_a_speaker_in_another_team_only_means_no_fit_here() -> None:
    result = assign_agent(POOL, team="returns", language="de", skill=None, senior=False)
    assert (result.agent, result.tags, result.note) == (None, (), NO_FIT)


@pytest.mark.parametrize(
    ("tier", "ltv", "orders", "segment"),
    [
        ("gold", "0", 0, "vip"),
        ("none", "1000", 0, "vip"),
        ("none", "999.99", 11, "high_value"),
        ("none", "0", 12, "vip"),
        ("silver", "400", 0, "high_value"),
        ("silver", "0", 5, "high_value"),
        ("bronze", "399.99", 4, "standard"),
    ],
)
def test_value_segment_thresholds(tier: str, ltv: str, orders: int, segment: str) -> None:
    value = customer_value(tier=tier, lifetime_value=Decimal(ltv), orders_365d=orders, thresholds=T)
    assert value.segment == segment


def test_value_reasons_name_every_threshold_met() -> None:
    value = customer_value(tier="vip", lifetime_value=Decimal("1500"), orders_365d=12, thresholds=T)
    assert value.explanation == ("tier vip; lifetime value 1500 ≥ 1000; 12 orders in 365 days ≥ 12")


@pytest.mark.django_db
def test_order_frequency_makes_a_vip_in_triage_and_is_a_rules_fact() -> None:
    now = timezone.now()
    regular = CustomerFactory(loyalty_tier="bronze", lifetime_value=Decimal("300"))
    for days in range(12):
        OrderFactory(customer=regular, created_at=now - dt.timedelta(days=30 * days + 1))
    OrderFactory(customer=regular, created_at=now - dt.timedelta(days=400))  # too old
    OrderFactory(customer=regular, created_at=now - dt.timedelta(days=2), cancelled_at=now)
    ticket = TicketFactory(customer=regular, created_at=now)
    ticket.messages.create(
        direction="inbound", channel="email", body_text="Hallo, wo ist meine Bestellung?",
        author_customer=regular, created_at=now, received_at=now,
    )  # fmt: skip
    ticket_triage(ticket_id=ticket.pk, actor=ACTOR, classify=False)
    enrichment = TicketEnrichment.objects.get(ticket=ticket)
    assert (enrichment.is_vip, enrichment.provenance["customer_value"]) == (True, "vip")
    assert enrichment.provenance["customer_value_reasons"] == "12 orders in 365 days ≥ 12"
    facts = facts_for_ticket(ticket.pk)
    assert (facts["customer_value"], facts["orders_365d"], facts["is_vip"]) == ("vip", 12, True)


@pytest.mark.django_db
def test_default_rules_send_a_vip_to_the_priority_queue_with_a_senior_speaker_and_vip_sla() -> None:
    support = Team.objects.create(slug="support", name="Support")
    agent("de_junior", support, languages=["de"])
    senior_busy = agent("de_senior_busy", support, languages=["de"], senior=True)
    senior_free = agent("de_senior_free", support, languages=["de", "en"], senior=True)
    agent("en_senior", support, languages=["en"], senior=True)
    TicketFactory(status="open", assignee=senior_busy)
    ruleset_save(yaml_text=DEFAULT_RULES.read_text(), actor=ACTOR, now=timezone.now())
    ticket = enriched_ticket(
        {"customer_tier": "silver", "provenance": {"customer_value": "vip", "orders_365d": "14"}},
        language="de",
        owner_team=support,
    )
    ticket_workflow_start(ticket_id=ticket.pk, now=timezone.now())
    ticket.refresh_from_db()
    assert (ticket.priority, ticket.assignee_id, ticket.tags) == ("high", senior_free.pk, ["vip"])
    assert (ticket.custom_fields["queue"], ticket.custom_fields["sla_policy_requested"]) == (
        "priority",
        "vip",
    )
    # priority high alone matches the `high` policy (120 min); the rule tightens it to `vip` (60)
    clocks = SlaClock.objects.filter(ticket=ticket, metric="first_response")
    assert list(clocks.values_list("policy_id", "target_minutes")) == [("vip", 60)]


@pytest.mark.django_db
def test_a_language_nobody_speaks_is_tagged_needs_translation_and_left_unassigned() -> None:
    support = Team.objects.create(slug="support", name="Support")
    agent("de_only", support, languages=["de"])
    ruleset_save(yaml_text=DEFAULT_RULES.read_text(), actor=ACTOR, now=timezone.now())
    ticket = enriched_ticket(language="pt", owner_team=support)
    ticket_workflow_start(ticket_id=ticket.pk, now=timezone.now())
    ticket.refresh_from_db()
    assert (ticket.assignee_id, ticket.tags) == (None, ["needs_translation"])
    event = AuditEvent.objects.get(action="workflow.rules_applied")
    assert event.context["actions"][0]["note"] == ("no agent speaks 'pt': left in the team queue")
