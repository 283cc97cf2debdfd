"""Macros, grounded drafts, reply_send (blocking, override, audit), stats and summaries."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.test import Client

from signaldesk.commerce.models import Refund
from signaldesk.core.audit import Actor
from signaldesk.core.errors import PermissionDenied, ValidationError
from signaldesk.core.models import AuditEvent
from signaldesk.knowledge.services import articles_load
from signaldesk.replies.drafts import draft_build
from signaldesk.replies.models import GuardrailReport, Macro, MacroUse
from signaldesk.replies.selectors import macro_stats
from signaldesk.replies.services import macros_sync_from_taxonomy, reply_send
from signaldesk.replies.summaries import summary_build
from signaldesk.testing.factories import (
    CustomerFactory,
    MessageFactory,
    OrderFactory,
    OrderLineFactory,
    ShipmentFactory,
    TicketFactory,
    UserFactory,
)
from signaldesk.tickets.models import Direction, Message
from signaldesk.triage.text.entities import extract_entities

pytestmark = pytest.mark.django_db
ACTOR = Actor.system("test")


@pytest.fixture
def ticket():
    articles_load(actor=ACTOR)
    customer = CustomerFactory(name="Ana Lopez", email="ana@example.com")
    order = OrderFactory(customer=customer, number="#10023", total=Decimal("59.90"))
    OrderLineFactory(order=order, name="Linen dress / M", price=Decimal("59.90"))
    ShipmentFactory(
        order=order, carrier="DHL", tracking_number="JJD0001234567",
        promised_at=dt.date(2026, 11, 20),
    )  # fmt: skip
    ticket = TicketFactory(
        customer=customer, order=order, contact_reason="delivery_delay", subject="Late parcel"
    )
    MessageFactory(ticket=ticket, body_text="My parcel is late. Where is my order #10023?")
    other = CustomerFactory(name="Bob Miller", email="bob@example.com")
    OrderFactory(customer=other, number="#20077")
    return ticket


def test_macro_sync_is_idempotent_and_keeps_admin_edits() -> None:
    first = macros_sync_from_taxonomy(actor=ACTOR)
    assert (first["created"], first["updated"]) == (31, 0)
    assert macros_sync_from_taxonomy(actor=ACTOR) == {
        "created": 0, "updated": 0, "unchanged": 31, "kept_manual": 0,
    }  # fmt: skip
    Macro.objects.filter(slug="sizing_advice").update(source="manual", body="Edited")
    assert macros_sync_from_taxonomy(actor=ACTOR)["kept_manual"] == 1
    assert Macro.objects.get(slug="sizing_advice").body == "Edited"


def test_draft_is_grounded_and_traceable(ticket) -> None:
    macros_sync_from_taxonomy(actor=ACTOR)
    draft = draft_build(ticket=ticket)
    assert draft.macro_id == "delivery_delay_update"
    assert draft.text.startswith(
        "Hi Ana, I'm sorry order #10023 is running late. DHL now expects to deliver it on "
        "20 November 2026; you can follow it here: "
        "https://www.dhl.com/track?tracking-id=JJD0001234567."
    )
    assert draft.missing == ()
    assert draft.articles == ("delivery",)
    assert draft.findings == ()
    for sentence in draft.sentences:
        entities = extract_entities(sentence.text)
        has_fact = bool(
            entities.amounts or entities.dates or entities.order_numbers
            or entities.tracking_numbers
        )  # fmt: skip
        assert not has_fact or sentence.sources != ()
    assert draft.sentences[-1].sources == ("kb:delivery#2",)


def test_missing_data_stays_visible_and_blocks_sending(ticket) -> None:
    ticket.contact_reason = "refund_status"
    ticket.save(update_fields=["contact_reason"])
    draft = draft_build(ticket=ticket)
    assert draft.missing == ("refund_amount", "refund_date")
    # the macro also states the refund "was issued" while no refund is approved: a promise
    assert [f.check for f in draft.findings] == ["missing_variable", "promise", "missing_variable"]
    agent = UserFactory(role="agent")
    result = reply_send(ticket=ticket, text=draft.text, actor=Actor.of_user(agent), author=agent)
    assert result.sent is False
    lead = UserFactory(role="lead")
    with pytest.raises(ValidationError, match="missing_variable"):
        reply_send(ticket=ticket, text=draft.text, actor=Actor.of_user(lead), override_reason="x")


def test_refund_promise_is_blocked_then_sent_once_approved(ticket) -> None:
    agent = UserFactory(role="agent")
    text = "Hi Ana, we have refunded €59.90 to your card."
    result = reply_send(ticket=ticket, text=text, actor=Actor.of_user(agent))
    assert (result.sent, result.report.blocked, result.report.origin) == (False, True, "human")
    assert [f["check"] for f in result.report.findings] == ["promise"]
    assert Message.objects.filter(ticket=ticket, direction=Direction.OUTBOUND).count() == 0
    assert AuditEvent.objects.filter(action="reply.blocked").count() == 1
    Refund.objects.create(
        external_id="r1", order=ticket.order, amount=Decimal("59.90"), currency="EUR",
        status="approved", created_at=ticket.created_at,
    )  # fmt: skip
    sent = reply_send(ticket=ticket, text=text, actor=Actor.of_user(agent))
    assert (sent.sent, sent.report.blocked, sent.findings) == (True, False, ())
    assert sent.message is not None and sent.message.body_text == text


def test_override_needs_a_lead_and_is_audited(ticket) -> None:
    text = "Hi Ana, we'll send you a voucher for the delay."
    agent = UserFactory(role="agent")
    with pytest.raises(PermissionDenied):
        reply_send(ticket=ticket, text=text, actor=Actor.of_user(agent), override_reason="VIP")
    lead = UserFactory(role="lead")
    result = reply_send(
        ticket=ticket, text=text, actor=Actor.of_user(lead), override_reason="Goodwill approved"
    )
    assert result.sent is True
    assert (result.report.blocked, result.report.overridden_by_id) == (True, lead.pk)
    event = AuditEvent.objects.get(action="reply.guardrails_overridden")
    assert event.after == {"override_reason": "Goodwill approved", "message_id": result.message.pk}
    assert event.context == {"report_id": result.report.pk, "checks": ["promise"]}


def test_another_customers_order_is_blocked(ticket) -> None:
    agent = UserFactory(role="agent")
    result = reply_send(
        ticket=ticket, text="Hi Ana, order #20077 has shipped.", actor=Actor.of_user(agent)
    )
    assert [f["check"] for f in result.report.findings] == ["other_customer_pii"]
    assert result.sent is False


def test_macro_use_and_stats(ticket) -> None:
    macros_sync_from_taxonomy(actor=ACTOR)
    agent = UserFactory(role="agent")
    draft = draft_build(ticket=ticket)
    result = reply_send(
        ticket=ticket, text=draft.text, actor=Actor.of_user(agent),
        macro_slug="delivery_delay_update",
    )  # fmt: skip
    assert (result.sent, result.report.origin) == (True, "draft")
    ticket.reopened_count = 1
    ticket.satisfaction_score = "good"
    ticket.save(update_fields=["reopened_count", "satisfaction_score"])
    stats = macro_stats(macro=Macro.objects.get(slug="delivery_delay_update"))
    assert (stats.uses, stats.tickets, stats.reopen_rate, stats.csat_rate) == (1, 1, 1.0, 1.0)
    assert MacroUse.objects.get().message_id == result.message.pk


def test_summary_for_escalation(ticket) -> None:
    ticket.workflow_state = "awaiting_approval"
    ticket.save(update_fields=["workflow_state"])
    summary = summary_build(ticket=ticket)
    assert summary.ask == "Where is my order #10023?"
    assert [(f.label, f.value, f.source) for f in summary.facts] == [
        ("Order", "#10023", "order.number"),
        ("Items", "Linen dress / M", "order.lines"),
        ("Carrier", "DHL", "shipment.carrier"),
        ("Tracking", "JJD0001234567", "shipment.tracking_number"),
        ("Delivery status", "pending", "shipment.status"),
        ("Promised date", "20 November 2026", "shipment.promised_at"),
    ]
    assert summary.tried == ()
    assert summary.pending == ("Refund/credit approval is open",)


def test_console_reply_goes_through_the_guardrails(ticket) -> None:
    client = Client()
    client.force_login(UserFactory(role="agent"))
    page = client.get(f"/tickets/{ticket.pk}/")
    assert b'data-testid="replies-panel"' in page.content
    assert b"kb:delivery#2" in page.content
    response = client.post(
        f"/tickets/{ticket.pk}/reply/", {"body": "We will refund you €59.90 today."}
    )
    assert response.status_code == 302
    assert GuardrailReport.objects.get().blocked is True
    assert Message.objects.filter(ticket=ticket, direction=Direction.OUTBOUND).count() == 0
    page = client.get(f"/tickets/{ticket.pk}/")
    assert b'data-testid="guardrail-report"' in page.content
