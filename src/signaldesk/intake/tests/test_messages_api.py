"""The messages endpoints: who may call them, HTML handling, the audit trail, reading back."""

import json

import pytest
from django.test import Client

from signaldesk.core.models import AuditEvent
from signaldesk.testing.factories import UserFactory
from signaldesk.tickets.models import Message

pytestmark = pytest.mark.django_db

PAYLOAD = {"channel": "chat", "customer": {"email": "ana@example.com"}, "text": "Hi"}
CSRF_SECRET = "a" * 32


def post_json(client: Client, payload: dict, **headers):
    return client.post(
        "/api/v1/messages", data=json.dumps(payload), content_type="application/json", **headers
    )


def test_no_credentials_is_401(client) -> None:
    response = post_json(client, PAYLOAD)

    assert (response.status_code, response.json()) == (
        401,
        {"detail": "Authentication required.", "code": "unauthenticated"},
    )


def test_token_without_intake_scope_is_403(post_message, api_key_for) -> None:
    response = post_message(PAYLOAD, key=api_key_for(role="agent", scopes=["read"]))

    assert (response.status_code, response.json()) == (
        403,
        {
            "detail": "This API token lacks a scope for messages.ingest.",
            "code": "permission_denied",
        },
    )


def test_stakeholder_session_is_403(client) -> None:
    client.force_login(UserFactory(role="stakeholder"))
    response = post_json(client, PAYLOAD)

    assert (response.status_code, response.json()["code"]) == (403, "permission_denied")


def test_agent_session_with_csrf_token_may_ingest() -> None:
    client = Client(enforce_csrf_checks=True)
    client.force_login(UserFactory(role="agent"))
    client.cookies["csrftoken"] = CSRF_SECRET
    response = post_json(client, PAYLOAD, HTTP_X_CSRFTOKEN=CSRF_SECRET)

    assert response.status_code == 201
    assert AuditEvent.objects.get(action="message.received").actor_label.startswith("user:")


def test_agent_session_without_csrf_token_is_403() -> None:
    client = Client(enforce_csrf_checks=True)
    client.force_login(UserFactory(role="agent"))
    response = post_json(client, PAYLOAD)

    assert (response.status_code, response.json()) == (
        403,
        {"detail": "CSRF check Failed", "code": "http_403"},
    )


def test_html_is_sanitised_and_converted_to_text(post_message) -> None:
    html = (
        '<p>My <b>order</b> <a href="javascript:steal()" onclick="x()">broke</a></p>'
        "<script>alert('x')</script><img src='https://tracker.example/p.gif'><p>Thanks&nbsp;!</p>"
    )
    response = post_message({**PAYLOAD, "text": "", "html": html})

    message = Message.objects.get(pk=response.json()["message_id"])
    assert message.body_html == (
        '<p>My <b>order</b> <a rel="noopener noreferrer nofollow">broke</a></p><p>Thanks&nbsp;!</p>'
    )
    assert message.body_text == "My order broke\n\nThanks !"


def test_text_wins_over_html_for_body_text(post_message) -> None:
    response = post_message({**PAYLOAD, "text": "Plain version", "html": "<p>HTML version</p>"})

    message = Message.objects.get(pk=response.json()["message_id"])
    assert (message.body_text, message.body_html) == ("Plain version", "<p>HTML version</p>")


def test_a_new_conversation_writes_these_audit_events(post_message) -> None:
    post_message({**PAYLOAD, "external_thread_id": "chat-7"})

    assert sorted(AuditEvent.objects.values_list("action", flat=True)) == [
        "api_token.created",
        "customer.created",
        "customer.identity_added",
        "message.received",
        "ticket.created",
        "ticket.thread_attached",
    ]
    received = AuditEvent.objects.get(action="message.received")
    assert (received.object_type, received.after["channel"], received.after["text_chars"]) == (
        "tickets.message",
        "chat",
        2,
    )


def test_read_back_a_message(post_message, api_key_for, client) -> None:
    created = post_message({**PAYLOAD, "idempotency_key": "chat-7-1"}).json()
    response = client.get(
        f"/api/v1/messages/{created['message_id']}",
        HTTP_AUTHORIZATION=f"Bearer {api_key_for(role='agent', scopes=['read'])}",
    )

    body = response.json()
    assert response.status_code == 200
    assert {k: body[k] for k in ("id", "ticket_id", "customer_id", "direction", "channel")} == {
        "id": created["message_id"],
        "ticket_id": created["ticket_id"],
        "customer_id": created["customer_id"],
        "direction": "inbound",
        "channel": "chat",
    }
    assert (body["body_text"], body["idempotency_key"]) == ("Hi", "chat-7-1")


def test_reading_needs_tickets_read(post_message, intake_key, client) -> None:
    created = post_message(PAYLOAD).json()
    response = client.get(
        f"/api/v1/messages/{created['message_id']}", HTTP_AUTHORIZATION=f"Bearer {intake_key}"
    )

    assert response.status_code == 403


def test_reading_an_unknown_message_is_404(api_key_for, client) -> None:
    response = client.get(
        "/api/v1/messages/999999",
        HTTP_AUTHORIZATION=f"Bearer {api_key_for(role='agent', scopes=['read'])}",
    )

    assert (response.status_code, response.json()) == (
        404,
        {"detail": "Message 999999 does not exist.", "code": "not_found"},
    )
