import datetime as dt

import pytest
from django.core import mail
from django.utils import timezone

from signaldesk.core.audit import Actor
from signaldesk.core.errors import Conflict
from signaldesk.core.models import AuditEvent, OutboxMessage
from signaldesk.core.outbox import outbox_deliver_due
from signaldesk.insights.gather import last_complete_week, store_facts
from signaldesk.insights.models import NoteRecipient, WeeklyNote
from signaldesk.insights.note.numbers import unsupported_numbers
from signaldesk.insights.services import note_edit, note_publish, notes_draft_week
from signaldesk.testing.factories import UserFactory

SYSTEM = Actor.system("test")


def test_last_complete_week_is_the_monday_to_sunday_before_this_week() -> None:
    assert last_complete_week(dt.date(2026, 11, 23)) == (
        dt.date(2026, 11, 16),
        dt.date(2026, 11, 22),
    )
    assert last_complete_week(dt.date(2026, 11, 29)) == (
        dt.date(2026, 11, 16),
        dt.date(2026, 11, 22),
    )


def test_store_facts_come_from_the_rollups_and_alerts_of_the_week(week: dt.date) -> None:
    facts = store_facts(week_start=week + dt.timedelta(days=3), themes=False)

    assert (facts.week_start, facts.week_end) == ("2026-11-16", "2026-11-22")
    assert (facts.contacts, facts.prev_contacts, facts.change_pct) == (60, 50, 20)
    assert (facts.orders, facts.per_1000_orders) == (2000, 30.0)
    assert (facts.cost_total, facts.prev_cost_total, facts.cost_change_pct) == (150, 80, 88)
    assert [
        (r.reason, r.label, r.owner_team, r.contacts, r.prev_contacts, r.change_pct,
         r.per_1000_orders, r.cost, r.prev_cost)
        for r in facts.reasons
    ] == [
        ("delivery_delay", "Delivery delay", "operations", 50, 40, 25, 25.0, 0, 0),
        ("damaged_item", "Damaged item", "supplier", 10, 10, 0, 5.0, 150, 80),
    ]  # fmt: skip
    (spike,) = facts.spikes
    assert (spike.label, spike.owner_team, spike.expected, spike.ratio, spike.onset) == (
        "Delivery delay — carrier DPD, region East", "operations", 11.5, 3.0, "2026-11-18",
    )  # fmt: skip
    assert facts.actions == ()
    assert facts.caveats == ()


def test_drafting_a_week_writes_one_grounded_note_per_audience(week: dt.date) -> None:
    notes = notes_draft_week(week_start=week, actor=SYSTEM, themes=False)

    assert [(n.audience, n.status, n.week_end) for n in notes] == [
        ("product", "draft", dt.date(2026, 11, 22)),
        ("operations", "draft", dt.date(2026, 11, 22)),
        ("ecommerce", "draft", dt.date(2026, 11, 22)),
        ("lifecycle", "draft", dt.date(2026, 11, 22)),
        ("leadership", "draft", dt.date(2026, 11, 22)),
    ]
    assert [unsupported_numbers(n.body_md, n.facts) for n in notes] == [set()] * 5
    ops = notes[1].body_md.splitlines()
    assert ops[4] == (
        "**In short.** 60 customer contacts this week, up 20% on the week before "
        "(30.0 per 1,000 orders). Reasons your teams own: 50 contacts, €0 in refunds, "
        "replacements and discounts. 1 spike needs attention."
    )
    assert (
        "- **Operations**: Open a root-cause action for Delivery delay — carrier DPD, region "
        "East. _34 contacts against 11.5 expected since 18 Nov._" in ops
    )
    assert AuditEvent.objects.filter(action="insights.note_drafted").count() == 5


def test_redrafting_refreshes_untouched_drafts_and_keeps_edited_and_published_notes(
    week: dt.date,
) -> None:
    lead = UserFactory(username="lead", role="lead")
    product, operations, *_ = notes_draft_week(week_start=week, actor=SYSTEM, themes=False)
    note_edit(note=product, body_md="# Product\n\nEdited by hand.", actor=Actor.of_user(lead))
    note_publish(note=operations, actor=Actor.of_user(lead))

    again = notes_draft_week(week_start=week, actor=SYSTEM, themes=False)

    assert WeeklyNote.objects.count() == 5
    assert [n.pk for n in again][:2] == [product.pk, operations.pk]
    assert again[0].body_md == "# Product\n\nEdited by hand.\n"
    assert again[1].status == "published"


def test_publishing_emails_the_audience_recipients_through_the_outbox(week: dt.date) -> None:
    lead = UserFactory(username="lead", role="lead")
    NoteRecipient.objects.create(audience="operations", email="ops-head@example.com")
    NoteRecipient.objects.create(audience="operations", email="cs-lead@example.com")
    NoteRecipient.objects.create(audience="operations", email="gone@example.com", active=False)
    NoteRecipient.objects.create(audience="product", email="pm@example.com")
    operations = notes_draft_week(week_start=week, actor=SYSTEM, themes=False)[1]

    published = note_publish(note=operations, actor=Actor.of_user(lead))
    outbox_deliver_due(now=timezone.now() + dt.timedelta(seconds=1))

    assert published.status == "published"
    assert published.published_by == lead
    assert published.emailed_to == ["cs-lead@example.com", "ops-head@example.com"]
    assert sorted(OutboxMessage.objects.values_list("kind", "target", "status")) == [
        ("email", "cs-lead@example.com", "delivered"),
        ("email", "ops-head@example.com", "delivered"),
    ]
    assert sorted(m.to[0] for m in mail.outbox) == ["cs-lead@example.com", "ops-head@example.com"]
    assert mail.outbox[0].subject == "Operations insight note, week of 16 Nov 2026"
    assert mail.outbox[0].body == operations.body_md
    with pytest.raises(Conflict):
        note_publish(note=published, actor=Actor.of_user(lead))
    with pytest.raises(Conflict):
        note_edit(note=published, body_md="too late", actor=Actor.of_user(lead))


def test_stored_themes_and_tracked_actions_reach_the_facts(week: dt.date) -> None:
    from decimal import Decimal

    from signaldesk.actions.models import Action, ActionImpact
    from signaldesk.signals.models import Theme, ThemeRun

    now = dt.datetime(2026, 11, 20, 12, 0, tzinfo=dt.UTC)
    run = ThemeRun.objects.create(
        as_of=dt.date(2026, 11, 22), window_days=28, n_texts=90, n_themes=2, created_at=now
    )
    Theme.objects.create(
        run=run, scope="discount_code", label="flash25 / code", keywords=["flash25", "code"],
        size=40, recent_count=36, previous_count=4, growth=9.0, sources={"ticket": 40},
        quotes=[{"text": "FLASH25 fails, write me at a@b.example", "kind": "ticket", "id": 1}],
    )  # fmt: skip
    Theme.objects.create(
        run=run, scope="unexplained", label="steady", keywords=["steady"], size=50,
        recent_count=25, previous_count=25, growth=1.0, sources={"ticket": 50}, quotes=[],
    )  # fmt: skip
    action = Action.objects.create(
        title="Fix FLASH25 on the app", action_type="checkout_fix", owner_team="ecommerce",
        status="measured", reasons=["discount_code"], created_at=now, updated_at=now,
    )  # fmt: skip
    ActionImpact.objects.create(
        action=action, measured_at=now, action_day=dt.date(2026, 11, 10), window_days=14,
        dimension="discount_code", n_control=5, rate_ratio=0.4, relative_change=-0.6,
        ci_low=-0.75, ci_high=-0.4, p_value=0.001, significant=True,
        verdict="Contacts fell 60% (95% CI 40%–75%) relative to the other codes.",
        cov_type="cluster", treated_rate_before=1.0, treated_rate_after=0.4,
        control_rate_before=1.0, control_rate_after=1.0, cost_before=Decimal("0"),
        cost_after=Decimal("0"),
    )  # fmt: skip

    facts = store_facts(week_start=week, themes=True)

    assert facts.theme_window_days == 28
    assert [(t.keywords, t.recent, t.previous, t.growth_pct, t.new, t.owner_team, t.quote)
            for t in facts.themes] == [
        (("flash25", "code"), 36, 4, 800, False, "ecommerce", "FLASH25 fails, write me at [email]")
    ]  # fmt: skip
    assert [(a.title, a.status, a.owner_team, a.change_pct, a.significant, a.reason)
            for a in facts.actions] == [
        ("Fix FLASH25 on the app", "measured", "ecommerce", -60, True, "discount_code")
    ]  # fmt: skip
    assert facts.caveats == ()
