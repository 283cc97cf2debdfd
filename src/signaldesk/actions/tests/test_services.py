"""Action lifecycle (status flow, invalid transitions, edits, audit), one-click creation from a
signal with a suggested owner team, and notifying customers once each."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core import mail

from signaldesk.actions.models import Action, ActionNotice
from signaldesk.actions.owners import suggest_owner, suggest_type
from signaldesk.actions.services import (
    ActionDraft,
    action_create,
    action_create_from_signal,
    action_notify_customers,
    action_transition,
    action_update,
)
from signaldesk.core.audit import Actor
from signaldesk.core.errors import ValidationError
from signaldesk.core.models import AuditEvent, OutboxMessage
from signaldesk.core.outbox import outbox_deliver_due
from signaldesk.signals.tests.alerts import ONSET, make_alert
from signaldesk.signals.tests.conftest import make_ticket
from signaldesk.suppression.models import SuppressionEntry
from signaldesk.testing.factories import CustomerFactory, TicketFactory

pytestmark = pytest.mark.django_db
ACTOR = Actor.system("test")
NOW = dt.datetime(2026, 11, 2, 9, 0, tzinfo=dt.UTC)


def draft(**kw: object) -> ActionDraft:
    base: dict[str, object] = {
        "title": "Clarify the size chart", "action_type": "sizing_guide",
        "owner_team": "merchandising", "reasons": ["sizing"], "skus": ["DRS-1"],
    }  # fmt: skip
    base.update(kw)
    return ActionDraft(**base)  # type: ignore[arg-type]


def test_status_flow_and_invalid_transitions() -> None:
    action = action_create(draft=draft(), actor=ACTOR)
    with pytest.raises(ValidationError, match="cannot go from proposed to done"):
        action_transition(action=action, to="done", actor=ACTOR)
    started = action_transition(action=action, to="in_progress", actor=ACTOR, at=NOW)
    done = action_transition(action=started, to="done", actor=ACTOR, at=NOW)
    assert (done.status, done.started_at, done.done_at) == ("done", NOW, NOW)
    for to in ("in_progress", "cancelled", "proposed", "measured"):
        with pytest.raises(ValidationError, match=f"cannot go from done to {to}"):
            action_transition(action=done, to=to, actor=ACTOR)
    with pytest.raises(ValidationError, match="A done action cannot be edited"):
        action_update(action=done, changes={"title": "x"}, actor=ACTOR)
    cancelled = action_transition(
        action=action_create(draft=draft(), actor=ACTOR), to="cancelled", actor=ACTOR
    )
    with pytest.raises(ValidationError, match="cannot go from cancelled to in_progress"):
        action_transition(action=cancelled, to="in_progress", actor=ACTOR)
    events = AuditEvent.objects.filter(object_id=str(action.pk), object_type="actions.action")
    assert list(events.order_by("id").values_list("action", flat=True)) == [
        "actions.created", "actions.status_changed", "actions.status_changed",
    ]  # fmt: skip


def test_edits_are_validated_and_audited() -> None:
    action = action_create(draft=draft(), actor=ACTOR)
    with pytest.raises(ValidationError, match="Unknown owner team 'marketing'"):
        action_update(action=action, changes={"owner_team": "marketing"}, actor=ACTOR)
    with pytest.raises(ValidationError, match="Cannot edit status"):
        action_update(action=action, changes={"status": "done"}, actor=ACTOR)
    with pytest.raises(ValidationError, match="An action needs a title"):
        action_create(draft=draft(title="  "), actor=ACTOR)
    updated = action_update(
        action=action, changes={"due_date": dt.date(2026, 12, 1), "skus": ["DRS-1", "DRS-2"]},
        actor=ACTOR,
    )  # fmt: skip
    assert (updated.due_date, updated.skus) == (dt.date(2026, 12, 1), ["DRS-1", "DRS-2"])
    event = AuditEvent.objects.get(action="actions.updated")
    assert (event.before["skus"], event.after["skus"]) == (["DRS-1"], ["DRS-1", "DRS-2"])


def test_owner_team_suggestions() -> None:
    assert [
        suggest_owner(reason="sizing"), suggest_owner(reason="damaged_item", dimension="batch"),
        suggest_owner(reason="delivery_delay", dimension="carrier+region"),
        suggest_owner(reason="checkout_problem", dimension="discount_code"),
        suggest_owner(reason="order_status"), suggest_owner(reason="payment_issue"),
        suggest_owner(reason="fit"),
    ] == [
        "merchandising", "operations", "operations", "ecommerce", "lifecycle", "finance",
        "product",
    ]  # fmt: skip
    assert [suggest_type(reason="sizing"), suggest_type(reason="x", dimension="campaign")] == [
        "sizing_guide", "pause_promotion",
    ]  # fmt: skip


def test_one_click_action_from_a_spike_links_alert_and_its_tickets() -> None:
    alert = make_alert()
    tickets = [make_ticket(ONSET, "damaged_item", minute=k, sku="BAD").pk for k in range(3)]
    make_ticket(ONSET, "damaged_item", minute=5, sku="OTHER")
    action = action_create_from_signal(signal=f"spike:{alert.pk}", actor=ACTOR)
    assert (action.title, action.action_type, action.owner_team, action.status) == (
        "Fix damaged item on reason=damaged_item x sku=BAD", "packaging", "operations", "proposed",
    )  # fmt: skip
    assert (action.reasons, action.skus, action.signal_keys) == (
        ["damaged_item"], ["BAD"], [f"spike:{alert.pk}"],
    )  # fmt: skip
    assert list(action.alerts.values_list("pk", flat=True)) == [alert.pk]
    assert sorted(action.tickets.values_list("pk", flat=True)) == tickets
    with pytest.raises(ValidationError, match="Unknown signal 'spike:x'"):
        action_create_from_signal(signal="spike:x", actor=ACTOR)


def test_notify_customers_once_each_skipping_suppressed(monkeypatch: pytest.MonkeyPatch) -> None:
    ana = CustomerFactory(name="Ana", email="ana@example.com")
    bo = CustomerFactory(name="Bo", email="bo@example.com")
    cy = CustomerFactory(name="Cy", email="cy@example.com")
    nomail = CustomerFactory(name="Dee", email="")
    tickets = [TicketFactory(customer=c) for c in (ana, ana, bo, cy, nomail)]
    SuppressionEntry.objects.create(
        customer=cy, reason="open complaint", started_at=NOW, expires_at=NOW + dt.timedelta(days=9),
        updated_at=NOW,
    )  # fmt: skip
    action = action_create(draft=draft(), actor=ACTOR, ticket_ids=[t.pk for t in tickets])
    with pytest.raises(ValidationError, match="once the action is done"):
        action_notify_customers(action=action, actor=ACTOR, now=NOW)
    action_transition(action=action, to="in_progress", actor=ACTOR)
    action = action_transition(action=action, to="done", actor=ACTOR)
    first = action_notify_customers(action=action, actor=ACTOR, now=NOW)
    again = action_notify_customers(action=action, actor=ACTOR, now=NOW)
    assert (first.sent, first.skipped, first.already) == (2, {"suppressed": 1, "no_email": 1}, 0)
    assert (again.sent, again.skipped, again.already) == (0, {}, 4)
    outbox_deliver_due(now=NOW)
    assert sorted(m.to[0] for m in mail.outbox) == ["ana@example.com", "bo@example.com"]
    assert mail.outbox[0].subject == "An update on what you told us: Clarify the size chart"
    assert "Hi Ana," in next(m.body for m in mail.outbox if m.to == ["ana@example.com"])
    notices = ActionNotice.objects.order_by("customer_id")
    assert [(n.customer_id, n.ticket_id, n.status) for n in notices] == [
        (ana.pk, tickets[0].pk, "sent"), (bo.pk, tickets[2].pk, "sent"),
        (cy.pk, tickets[3].pk, "suppressed"), (nomail.pk, tickets[4].pk, "no_email"),
    ]  # fmt: skip
    assert OutboxMessage.objects.count() == 2
    monkeypatch.setenv("SIGNALDESK_ACTION_UPDATES_REQUIRE_CONSENT", "1")
    other = action_create(draft=draft(), actor=ACTOR, ticket_ids=[tickets[2].pk])
    action_transition(action=other, to="in_progress", actor=ACTOR)
    other = action_transition(action=other, to="done", actor=ACTOR)
    assert action_notify_customers(action=other, actor=ACTOR, now=NOW).skipped == {"no_consent": 1}
    assert Action.objects.count() == 2
