"""Every JSON endpoint that takes a body refuses bad bodies with a 4xx {"detail", "code"} and
stores nothing; a body over the limit is a 413 before it is read; mail inbound refuses MIME
bombs."""

from __future__ import annotations

import json
from collections.abc import Callable

import pytest
from django.test import Client
from django.test.utils import override_settings

from signaldesk.core.models import AuditEvent
from signaldesk.hostile.tests.corpus import (
    JSON_BODIES,
    MARKUP,
    many_parts,
    nested_multipart,
    plain_mail,
    ten_mb,
)
from signaldesk.testing.factories import MessageFactory, TicketFactory
from signaldesk.tickets.models import Message

pytestmark = pytest.mark.django_db

# PATCH /api/v1/tickets/{id} is left out of the bad-JSON list: every field is optional, and
# django-ninja reads a non-object JSON body (`[]`, `"x"`, `null`) as an empty patch: a 200 no-op.
STAFF_ENDPOINTS = (
    ("POST", "/api/v1/messages"),
    ("POST", "/api/v1/tickets/{ticket}/replies"),
    ("POST", "/api/v1/tickets/{ticket}/notes"),
    ("POST", "/api/v1/tickets/bulk"),
)
PUBLIC_ENDPOINTS = (
    ("POST", "/api/v1/selfservice/sessions"),
    ("POST", "/api/v1/selfservice/order-status"),
    ("POST", "/api/v1/selfservice/returns/options"),
    ("POST", "/api/v1/selfservice/returns"),
    ("POST", "/api/v1/selfservice/answers"),
    ("POST", "/api/v1/selfservice/sessions/{token}/handover"),
)


@pytest.fixture
def admin_key(api_key_for: Callable[..., str]) -> str:
    return api_key_for(role="admin", scopes=["admin"])


@pytest.mark.parametrize(("method", "url"), STAFF_ENDPOINTS + PUBLIC_ENDPOINTS)
@pytest.mark.parametrize("entry", sorted(JSON_BODIES))
def test_bad_json_bodies_are_a_clear_4xx_and_store_nothing(
    client: Client,
    admin_key: str,
    row_counts: Callable[[], dict[str, int]],
    method: str,
    url: str,
    entry: str,
) -> None:
    ticket = TicketFactory()
    MessageFactory(ticket=ticket)
    before = row_counts()

    response = client.generic(
        method,
        url.format(ticket=ticket.pk, token="nope"),
        JSON_BODIES[entry],
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Bearer {admin_key}",
    )

    body = response.json()
    assert (400 <= response.status_code < 500, sorted(body)) == (True, ["code", "detail"])
    assert row_counts() == before


@pytest.mark.parametrize(("method", "url"), STAFF_ENDPOINTS + PUBLIC_ENDPOINTS)
def test_a_10_mb_body_is_a_413_before_it_is_read(
    client: Client, admin_key: str, row_counts: Callable[[], dict[str, int]], method: str, url: str
) -> None:
    before = row_counts()

    response = client.generic(
        method,
        url.format(ticket=1, token="nope"),
        ten_mb(b'{"text": "'),
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Bearer {admin_key}",
    )

    assert (response.status_code, response.json()) == (
        413,
        {
            "detail": "The request body is 10485770 bytes; the limit is 2621440.",
            "code": "too_large",
        },
    )
    assert row_counts() == before


def test_a_10_mb_console_form_is_a_413(client: Client) -> None:
    response = client.post("/help/still-need-help/", {"message": "x" * (10 << 20)})

    assert (response.status_code, b"Request too large" in response.content) == (413, True)


def test_script_and_markup_are_stored_as_text(post_message: Callable[..., object]) -> None:
    response = post_message(
        {
            "channel": "email",
            "customer": {"email": "ana@example.com"},
            "subject": MARKUP,
            "text": MARKUP,
        }
    )

    assert response.status_code == 201  # type: ignore[attr-defined]
    assert list(Message.objects.values_list("body_text", "ticket__subject")) == [
        (MARKUP, MARKUP[:119] + "…")
    ]


def test_a_100k_subject_is_a_422(post_message: Callable[..., object]) -> None:
    response = post_message(
        {
            "channel": "email",
            "customer": {"email": "a@example.com"},
            "subject": "s" * 100_000,
            "text": "hi",
        }
    )

    assert (response.status_code, response.json()["code"]) == (422, "invalid")  # type: ignore[attr-defined]
    assert Message.objects.count() == 0


def _post_mail(client: Client, raw: bytes, key: str) -> object:
    return client.generic(
        "POST",
        "/api/v1/mail/inbound",
        raw,
        content_type="message/rfc822",
        HTTP_AUTHORIZATION=f"Bearer {key}",
    )


@pytest.mark.parametrize(
    ("raw", "code"),
    [
        (nested_multipart(50), "too_deep"),
        (many_parts(500), "too_many_parts"),
        (b"\xff\xfe\x00garbage without headers", "no_sender"),
        (b"", "no_sender"),
    ],
    ids=["nested_50", "parts_500", "binary", "empty"],
)
def test_mail_inbound_refuses_mime_bombs_and_garbage(
    client: Client,
    intake_key: str,
    row_counts: Callable[[], dict[str, int]],
    raw: bytes,
    code: str,
) -> None:
    before = row_counts()

    response = _post_mail(client, raw, intake_key)

    assert (response.status_code, response.json()["code"]) == (422, code)  # type: ignore[attr-defined]
    # the refusal itself is audited ("mail.refused"); nothing else is written
    assert row_counts() == {**before, "core.AuditEvent": before["core.AuditEvent"] + 1}
    assert AuditEvent.objects.latest("pk").action == "mail.refused"


@override_settings(SIGNALDESK_MAIL_MAX_MESSAGE_BYTES=1 << 20)
def test_mail_inbound_over_its_limit_is_a_413(
    client: Client, intake_key: str, row_counts: Callable[[], dict[str, int]]
) -> None:
    before = row_counts()

    response = _post_mail(
        client, plain_mail(subject="big", body="x" * (2 << 20), message_id="b@x"), intake_key
    )

    assert (response.status_code, response.json()["code"]) == (413, "too_large")  # type: ignore[attr-defined]
    assert row_counts() == before


def test_mail_inbound_keeps_hostile_subject_and_body_as_text(
    client: Client, intake_key: str
) -> None:
    raw = plain_mail(subject="s" * 100_000, body=MARKUP, message_id="hostile@example.com")

    response = _post_mail(client, raw, intake_key)

    assert response.status_code == 201  # type: ignore[attr-defined]
    message = Message.objects.get()
    assert (message.body_text.strip(), len(message.ticket.subject) <= 500) == (MARKUP, True)


def test_json_body_helper_is_valid_json() -> None:
    assert json.loads(JSON_BODIES["array"]) == []
