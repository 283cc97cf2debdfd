"""Console pages and API: who may use them, the prefilled form, preview, send and CSV."""

from __future__ import annotations

import json

import pytest
from django.test import Client

from signaldesk.core.models import OutboxMessage
from signaldesk.proactive.models import ProactiveCampaign
from signaldesk.proactive.tests.helpers import campaign, customer, shipped_order
from signaldesk.testing.factories import TicketFactory, UserFactory

pytestmark = pytest.mark.django_db


def signed_in(role: str) -> Client:
    client = Client()
    client.force_login(UserFactory(username=f"{role}_user", role=role))
    return client


def test_agents_and_stakeholders_may_not_open_or_send() -> None:
    shipped_order(customer("ann@example.com"), "#1")
    made = campaign(carrier="GLS")
    for role in ("agent", "stakeholder"):
        client = signed_in(role)
        assert client.get("/proactive/").status_code == 403
        assert client.post(f"/proactive/{made.pk}/send/").status_code == 403
        assert client.post(f"/api/v1/proactive/campaigns/{made.pk}/send").status_code == 403
    assert OutboxMessage.objects.count() == 0


def test_lead_creates_from_a_prefilled_form_previews_sends_and_exports() -> None:
    ann = customer("ann@example.com", "Ann Lee")
    TicketFactory(customer=ann, order=shipped_order(ann, "#1"))
    shipped_order(customer("quiet@example.com"), "#2")
    client = signed_in("lead")
    form = client.get("/proactive/new/?kind=carrier_delay&carrier=GLS&region=South&alert=7")
    assert form.status_code == 200
    assert 'name="carrier" value="GLS"' in form.content.decode()
    response = client.post(
        "/proactive/new/",
        {
            "name": "GLS South <delay>",
            "kind": "carrier_delay",
            "carrier": "GLS",
            "region": "South",
            "subject": "Your order {orders}",
            "body": "Hello {first_name}",
            "alert": "7",
        },
    )
    made = ProactiveCampaign.objects.get()
    assert response["Location"] == f"/proactive/{made.pk}/"
    assert (made.slug, made.source_alert_id) == ("gls-south-delay", 7)
    page = client.get(f"/proactive/{made.pk}/").content.decode()
    assert "GLS South &lt;delay&gt;" in page
    assert "2 customers with 2 affected orders; 1 of them have not written yet." in page
    client.post(f"/proactive/{made.pk}/send/")
    assert OutboxMessage.objects.filter(kind="email").count() == 2
    csv = client.get(f"/proactive/{made.pk}/report.csv")
    assert csv["Content-Type"] == "text/csv; charset=utf-8"
    assert len(csv.content.decode().splitlines()) == 3


def test_api_create_preview_send_and_report() -> None:
    shipped_order(customer("ann@example.com"), "#1")
    client = signed_in("manager")
    created = client.post(
        "/api/v1/proactive/campaigns",
        json.dumps(
            {
                "name": "Recall",
                "kind": "recall",
                "subject": "Recall",
                "body": "Hi {name}",
                "carrier": "GLS",
            }
        ),
        content_type="application/json",
    )
    assert created.status_code == 201
    cid = created.json()["id"]
    audience = client.get(f"/api/v1/proactive/campaigns/{cid}/audience").json()
    assert (audience["customers"], audience["members"][0]["order_numbers"]) == (1, ["#1"])
    sent = client.post(f"/api/v1/proactive/campaigns/{cid}/send").json()
    assert (sent["notified"], sent["already"]) == (1, 0)
    detail = client.get(f"/api/v1/proactive/campaigns/{cid}").json()
    assert detail["report"] == {
        "recipients": 1,
        "notified": 1,
        "replied": 0,
        "asked_refund": 0,
        "asked_replacement": 0,
    }
    rows = client.get(f"/api/v1/proactive/campaigns/{cid}/recipients").json()
    assert [r["email"] for r in rows] == ["ann@example.com"]
    invalid = client.post(
        "/api/v1/proactive/campaigns",
        json.dumps({"name": "x", "kind": "recall", "subject": "s", "body": "b"}),
        content_type="application/json",
    )
    assert invalid.status_code == 422
