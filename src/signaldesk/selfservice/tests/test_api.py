"""The public self-service API and help pages: uniform errors, a return end to end, answers,
hand-over, rate limits, CSRF, escaping, signed return links, and the deflection report."""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.test import Client, override_settings
from django.utils import timezone

from signaldesk.commerce.models import Return
from signaldesk.selfservice.models import Outcome, SelfServiceSession
from signaldesk.selfservice.tests.conftest import EMAIL, Store
from signaldesk.testing.factories import UserFactory
from signaldesk.tickets.models import Ticket

pytestmark = pytest.mark.django_db


def post(client: Client, path: str, body: dict[str, Any]) -> Any:
    return client.post(
        f"/api/v1/selfservice/{path}", json.dumps(body), content_type="application/json"
    )


def test_order_status_for_the_right_pair(client: Client, store: Store) -> None:
    response = post(client, "order-status", {"order_number": "20002", "email": EMAIL})
    body = response.json()
    assert response.status_code == 200
    assert (body["number"], body["headline"], body["late"], body["investigate"]) == (
        "#20002", "Your parcel is late.", True, True,
    )  # fmt: skip
    assert [(s["carrier"], s["status"], s["days_late"]) for s in body["shipments"]] == [
        ("UPS", "in_transit", 9)
    ]
    session = SelfServiceSession.objects.get(token=body["token"])
    assert (session.flow, session.answered, session.order_id) == (
        "order_status", True, store.late.pk,
    )  # fmt: skip


def test_wrong_email_and_unknown_order_look_the_same(client: Client, store: Store) -> None:
    wrong_email = post(client, "order-status", {"order_number": "#20001", "email": "x@example.com"})
    no_order = post(client, "order-status", {"order_number": "#55555", "email": EMAIL})
    assert (wrong_email.status_code, no_order.status_code) == (404, 404)
    assert (
        wrong_email.json()
        == no_order.json()
        == {
            "detail": "We could not find an order with that order number and email address.",
            "code": "order_not_found",
        }
    )


def test_a_return_through_the_api_and_its_signed_document(client: Client, store: Store) -> None:
    options = post(client, "returns/options", {"order_number": "#20001", "email": EMAIL}).json()
    assert [(ln["line_no"], ln["eligible"], ln["exchanges"]) for ln in options["lines"]] == [
        (1, True, [
            {"direction": "larger", "size": "L", "sku": "LIN-L-SND"},
            {"direction": "smaller", "size": "S", "sku": "LIN-S-SND"},
        ])
    ]  # fmt: skip
    body = {
        "token": options["token"], "order_number": "#20001", "email": EMAIL, "line_no": 1,
        "reason": "too_large", "condition": "unused", "exchange": True,
    }  # fmt: skip
    response = post(client, "returns", body)
    created = response.json()
    assert response.status_code == 201
    assert (created["rma"], created["exchange_sku"], created["outcome"]) == (
        "RMA-20001-1", "LIN-S-SND", "created",
    )  # fmt: skip
    document = client.get(created["document_url"].replace("http://testserver", ""))
    assert document.status_code == 200
    assert b"RMA-20001-1" in document.content
    tampered = client.get(created["document_url"].replace("http://testserver", "") + "x")
    assert tampered.status_code == 404


def test_answers_then_handover_through_the_api(
    client: Client, store: Store, articles: None
) -> None:
    answers = post(client, "answers", {"question": "How long do refunds take to reach my card?"})
    body = answers.json()
    assert [a["slug"] for a in body["answers"]] == ["refunds", "promo-codes", "returns-policy"]
    assert body["answers"][0]["url"] == "http://testserver/help/articles/refunds/"
    handover = client.post(
        f"/api/v1/selfservice/sessions/{body['token']}/handover",
        json.dumps({"email": EMAIL, "message": "Still waiting for 60 EUR"}),
        content_type="application/json",
    )
    ticket = Ticket.objects.get()
    assert (handover.status_code, handover.json()["ticket_ref"]) == (201, f"#{ticket.pk}")
    assert ticket.custom_fields["selfservice"]["articles_shown"] == [
        "refunds", "promo-codes", "returns-policy",
    ]  # fmt: skip


@override_settings(SIGNALDESK_RATE_LIMITS={"selfservice": (2, 60)})
def test_the_public_api_and_pages_are_rate_limited(client: Client, store: Store) -> None:
    codes = [post(client, "sessions", {"flow": "question"}).status_code for _ in range(3)]
    page = client.get("/help/")
    assert codes == [201, 201, 429]
    assert (page.status_code, page["Retry-After"].isdigit()) == (429, True)


def test_help_forms_require_csrf(store: Store) -> None:
    strict = Client(enforce_csrf_checks=True)
    response = strict.post("/help/order-status/", {"order_number": "#20001", "email": EMAIL})
    assert response.status_code == 403


def test_customer_text_is_escaped_on_the_help_page(client: Client, articles: None) -> None:
    response = client.post("/help/", {"q": "<script>alert(1)</script> refund"})
    assert b"<script>alert(1)</script>" not in response.content
    assert b"&lt;script&gt;alert(1)&lt;/script&gt; refund" in response.content


def test_the_returns_pages_end_with_an_rma(client: Client, store: Store) -> None:
    client.post("/help/returns/", {"step": "lookup", "order_number": "20001", "email": EMAIL})
    form = client.get("/help/returns/?line=1")
    assert b"Too small? We can send size <strong>L</strong>" in form.content
    done = client.post(
        "/help/returns/",
        {"step": "start", "line_no": "1", "reason": "too_small", "condition": "unused",
         "exchange": "yes"},
        follow=True,
    )  # fmt: skip
    assert b"RMA-20001-1" in done.content
    assert Return.objects.get().exchange_sku == "LIN-L-SND"


def test_another_browser_cannot_use_a_proven_order(client: Client, store: Store) -> None:
    client.post("/help/returns/", {"step": "lookup", "order_number": "20001", "email": EMAIL})
    stranger = Client()
    stranger.post("/help/returns/", {"step": "lookup", "order_number": "1", "email": EMAIL})
    response = stranger.post(
        "/help/returns/",
        {"step": "start", "line_no": "1", "reason": "too_small", "condition": "unused"},
    )
    assert (response.status_code, Return.objects.count()) == (200, 0)


def test_deflection_report_for_leads(client: Client, store: Store) -> None:
    SelfServiceSession.objects.create(
        token="t1", flow="returns", outcome=Outcome.RESOLVED,
        started_at=timezone.now(), updated_at=timezone.now(),
    )  # fmt: skip
    client.force_login(UserFactory(role="lead"))
    api = client.get("/api/v1/selfservice/deflection?days=7").json()
    csv = client.get("/selfservice/deflection.csv?days=7").content.decode()
    page = client.get("/selfservice/deflection/")
    assert [(r["flow"], r["resolved"], r["deflection_rate"]) for r in api] == [
        ("order_status", 0, None), ("returns", 1, 1.0), ("question", 0, None),
    ]  # fmt: skip
    assert csv.splitlines() == [
        "flow,started,open,resolved,handed_over,abandoned,deflection_rate",
        "order_status,0,0,0,0,0,",
        "returns,1,0,1,0,0,1.0000",
        "question,0,0,0,0,0,",
    ]
    assert b"100%" in page.content
