"""Sending through the outbox (idempotent), replies threading into tagged tickets through the
intake API, and the response report."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from decimal import Decimal
from typing import Any

import pytest

from signaldesk.approvals.models import MoneyRequest
from signaldesk.core.models import AuditEvent, OutboxMessage
from signaldesk.proactive.models import CampaignRecipient, ProactiveCampaign
from signaldesk.proactive.selectors import campaign_csv, campaign_report
from signaldesk.proactive.services import campaign_send
from signaldesk.proactive.tests.helpers import ACTOR, NOW, campaign, customer, shipped_order
from signaldesk.tickets.models import Ticket

pytestmark = pytest.mark.django_db
LATER = NOW + dt.timedelta(hours=1)


def sent_campaign() -> ProactiveCampaign:
    shipped_order(customer("ann@example.com", "Ann Lee"), "#1")
    shipped_order(customer("bob@example.com", "Bob Roe"), "#2")
    shipped_order(customer("cy@example.com", "Cy Doe"), "#3")
    shipped_order(customer("dpd@example.com"), "#4", carrier="DPD")
    made = campaign(carrier="GLS", region="South")
    campaign_send(campaign_id=made.pk, actor=ACTOR, now=NOW)
    return made


def recipient(made: ProactiveCampaign, email: str) -> CampaignRecipient:
    return CampaignRecipient.objects.get(campaign=made, email=email)


def reply(email: str, subject: str, text: str = "Where is it?", **extra: Any) -> dict[str, Any]:
    return {
        "channel": "email",
        "customer": {"email": email},
        "subject": subject,
        "text": text,
        **extra,
    }


def test_send_queues_one_email_per_customer_and_twice_is_once() -> None:
    made = sent_campaign()
    ann = recipient(made, "ann@example.com")
    assert OutboxMessage.objects.filter(kind="email").count() == 3
    mail = OutboxMessage.objects.get(dedupe_key=f"proactive:{made.pk}:{ann.customer_id}")
    assert (mail.target, mail.body) == (
        "ann@example.com",
        "Hello Ann, order #1 with GLS in South is late.",
    )
    assert mail.headers["Subject"] == f"Your order #1 is late [PC-{made.pk}-{ann.token}]"
    again = campaign_send(campaign_id=made.pk, actor=ACTOR, now=LATER)
    assert (again.notified, again.already) == (0, 3)
    assert OutboxMessage.objects.filter(kind="email").count() == 3
    made.refresh_from_db()
    assert (made.status, made.sent_at) == ("sent", NOW)
    assert AuditEvent.objects.filter(action="proactive.campaign_sent").count() == 2


def test_a_customer_affected_after_sending_is_told_by_the_next_send() -> None:
    made = sent_campaign()
    shipped_order(customer("late@example.com"), "#5")
    again = campaign_send(campaign_id=made.pk, actor=ACTOR, now=LATER)
    assert (again.notified, again.already) == (1, 3)
    assert recipient(made, "late@example.com").notified_at == LATER


def test_reply_by_subject_threads_into_one_tagged_ticket(
    post_message: Callable[..., Any],
) -> None:
    made = sent_campaign()
    ann = recipient(made, "ann@example.com")
    subject = f"Re: Your order #1 is late [PC-{made.pk}-{ann.token}]"
    first = post_message(reply("ann@example.com", subject)).json()
    second = post_message(reply("ann@example.com", subject, "Any news?")).json()
    assert first["ticket_id"] == second["ticket_id"]
    ticket = Ticket.objects.get(pk=first["ticket_id"])
    assert ticket.tags == [f"campaign:{made.slug}"]
    ann.refresh_from_db()
    assert (ann.ticket_id, ann.replied_at is not None) == (ticket.pk, True)
    assert Ticket.objects.filter(customer_id=ann.customer_id).count() == 1


def test_reply_through_api_metadata_links_the_recipient(post_message: Callable[..., Any]) -> None:
    made = sent_campaign()
    bob = recipient(made, "bob@example.com")
    response = post_message(
        reply("bob@example.com", "Late parcel", metadata={"campaign_ref": bob.reference})
    )
    assert response.status_code == 201
    bob.refresh_from_db()
    assert bob.ticket_id == response.json()["ticket_id"]
    assert Ticket.objects.get(pk=bob.ticket_id).tags == [f"campaign:{made.slug}"]


def test_bad_or_foreign_references(post_message: Callable[..., Any]) -> None:
    made = sent_campaign()
    ann = recipient(made, "ann@example.com")
    bad = reply("ann@example.com", "Hi", metadata={"campaign_ref": "PC-1-nothex"})
    assert post_message(bad).status_code == 422
    unknown = post_message(reply("ann@example.com", f"Re: [PC-{made.pk}-000000000000]")).json()
    assert Ticket.objects.get(pk=unknown["ticket_id"]).tags == []
    # a forwarded notice answered by someone else: the ticket is tagged, Ann is not counted
    other = post_message(reply("friend@example.com", f"Fwd: [{ann.reference}]")).json()
    assert Ticket.objects.get(pk=other["ticket_id"]).tags == [f"campaign:{made.slug}"]
    ann.refresh_from_db()
    assert (ann.ticket_id, ann.replied_at) == (None, None)


def test_report_counts_who_was_told_answered_and_asked_for_money(
    post_message: Callable[..., Any],
) -> None:
    made = sent_campaign()
    tickets = {}
    for email in ("ann@example.com", "bob@example.com"):
        row = recipient(made, email)
        body = reply(email, "Late", metadata={"campaign_ref": row.reference})
        tickets[email] = post_message(body).json()["ticket_id"]
    Ticket.objects.filter(pk=tickets["ann@example.com"]).update(contact_reason="refund_status")
    MoneyRequest.objects.create(
        ticket_id=tickets["bob@example.com"],
        kind="replacement",
        amount=Decimal("49.90"),
        currency="EUR",
        reason="Send a new one",
        requested_at=NOW,
    )
    report = campaign_report(campaign=made)
    assert report.counts() == {
        "recipients": 3,
        "notified": 3,
        "replied": 2,
        "asked_refund": 1,
        "asked_replacement": 1,
    }
    lines = campaign_csv(report).splitlines()
    assert lines[0] == (
        "customer_id,email,orders,notified_at,replied_at,ticket_id,contact_reason,"
        "asked_refund,asked_replacement,reference"
    )
    ann = recipient(made, "ann@example.com")
    assert lines[1].split(",")[1:3] == ["ann@example.com", "#1"]
    assert lines[1].split(",")[5:] == [
        str(tickets["ann@example.com"]),
        "refund_status",
        "1",
        "0",
        ann.reference,
    ]
