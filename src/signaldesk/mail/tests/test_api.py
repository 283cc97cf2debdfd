"""POST /api/v1/mail/inbound: raw MIME from a provider, with a token or an HMAC signature."""

from __future__ import annotations

import time
from collections.abc import Callable
from email.message import EmailMessage
from typing import Any

import pytest
from django.core.cache import cache
from django.test import Client, override_settings

from signaldesk.mail.api import inbound_signature
from signaldesk.mail.models import MailMessage
from signaldesk.mail.tests.test_smtp import nested
from signaldesk.tickets.models import Message, Ticket

pytestmark = pytest.mark.django_db
URL = "/api/v1/mail/inbound"
SECRET = "mail-secret"


@pytest.fixture(autouse=True)
def _fresh_rate_limits(mail_media: Any) -> None:
    cache.clear()


def post(client: Client, raw: bytes, **headers: str) -> Any:
    return client.post(URL, data=raw, content_type="message/rfc822", headers=headers)


def signed(raw: bytes, *, at: int | None = None) -> dict[str, str]:
    timestamp = str(at if at is not None else int(time.time()))
    return {
        "X-SignalDesk-Timestamp": timestamp,
        "X-SignalDesk-Signature": inbound_signature(secret=SECRET, timestamp=timestamp, body=raw),
    }


def test_token_with_intake_scope_stores_once(
    client: Client, intake_key: str, make_mail: Callable[..., EmailMessage]
) -> None:
    raw = make_mail().as_bytes()
    first = post(client, raw, Authorization=f"Bearer {intake_key}")
    again = post(client, raw, Authorization=f"Bearer {intake_key}")
    ticket = Ticket.objects.get()
    assert (first.status_code, again.status_code) == (201, 200)
    assert first.json() == {
        "kind": "customer",
        "message_id": "<m1@mail.example.com>",
        "mail_id": MailMessage.objects.get().pk,
        "ticket_id": ticket.pk,
        "ticket_message_id": Message.objects.get().pk,
        "created": True,
        "ticket_created": True,
        "attachments_rejected": [],
    }
    assert again.json()["created"] is False
    assert MailMessage.objects.get().source == "http"


@override_settings(SIGNALDESK_MAIL_INBOUND_SECRET=SECRET)
def test_hmac_signature_is_checked(client: Client, make_mail: Callable[..., EmailMessage]) -> None:
    raw = make_mail().as_bytes()
    forged = {**signed(raw), "X-SignalDesk-Signature": "sha256=" + "0" * 64}
    stale = signed(raw, at=int(time.time()) - 3600)
    assert post(client, raw, **forged).status_code == 401
    assert post(client, raw, **stale).json()["detail"] == (
        "The signature timestamp is too old or in the future."
    )
    assert post(client, raw).status_code == 401
    assert Ticket.objects.count() == 0
    assert post(client, raw, **signed(raw)).status_code == 201
    assert Ticket.objects.count() == 1


def test_token_without_intake_scope_is_denied(
    client: Client, api_key_for: Callable[..., str], make_mail: Callable[..., EmailMessage]
) -> None:
    key = api_key_for(role="agent", scopes=["read"])
    response = post(client, make_mail().as_bytes(), Authorization=f"Bearer {key}")
    assert (response.status_code, response.json()["code"]) == (403, "permission_denied")


def test_refusals_map_to_413_and_422(client: Client, intake_key: str) -> None:
    auth = {"Authorization": f"Bearer {intake_key}"}
    with override_settings(SIGNALDESK_MAIL_MAX_MESSAGE_BYTES=100):
        too_large = post(client, b"x" * 200, **auth)
    bomb = post(client, nested(20), **auth)
    assert (too_large.status_code, too_large.json()["code"]) == (413, "too_large")
    assert (bomb.status_code, bomb.json()) == (
        422, {"detail": "Message refused: MIME parts nested deeper than 8 levels.",
              "code": "too_deep"},
    )  # fmt: skip
    assert MailMessage.objects.count() == 0


def test_calls_are_rate_limited(client: Client, make_mail: Callable[..., EmailMessage]) -> None:
    limits = {"inbound_webhook": (2, 60)}
    with override_settings(SIGNALDESK_RATE_LIMITS=limits):
        codes = [post(client, make_mail().as_bytes()).status_code for _ in range(3)]
    assert codes == [401, 401, 429]
