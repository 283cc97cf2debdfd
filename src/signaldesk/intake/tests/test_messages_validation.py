"""Payload validation: 422 with one entry per offending field."""

import pytest

from signaldesk.commerce.models import Customer
from signaldesk.core.errors import ValidationError
from signaldesk.intake.identity import IdentityClaims
from signaldesk.intake.services import InboundMessage, message_ingest
from signaldesk.tickets.models import Message

pytestmark = pytest.mark.django_db

VALID = {"channel": "email", "customer": {"email": "ana@example.com"}, "text": "Hello"}


def errors(response) -> list[tuple[tuple, str]]:
    body = response.json()
    assert (response.status_code, body["code"]) == (422, "invalid")
    return [(tuple(e["loc"]), e["msg"]) for e in body["detail"]]


def test_identity_is_required(post_message) -> None:
    response = post_message({**VALID, "customer": {"name": "Ana"}})

    assert errors(response) == [
        (
            ("body", "payload", "customer"),
            "Value error, Give at least one of email, phone, social_handle, marketplace_id.",
        )
    ]
    assert Message.objects.count() == 0


def test_unknown_channel(post_message) -> None:
    response = post_message({**VALID, "channel": "fax"})

    assert errors(response) == [
        (
            ("body", "payload", "channel"),
            "Input should be 'email', 'chat', 'social', 'marketplace', 'form', 'phone', "
            "'whatsapp', 'api' or 'self_service'",
        )
    ]


def test_text_longer_than_100_kb(post_message) -> None:
    response = post_message({**VALID, "text": "ä" * 51_201})

    assert errors(response) == [
        (("body", "payload", "text"), "Value error, Text is longer than 102400 bytes (UTF-8).")
    ]


def test_text_of_exactly_100_kb_is_accepted(post_message) -> None:
    response = post_message({**VALID, "text": "a" * 102_400})

    assert response.status_code == 201


def test_attachment_too_large_and_malformed(post_message) -> None:
    attachment = {"filename": "photo.jpg", "content_type": "image/jpeg", "size": 26_214_401}
    response = post_message(
        {**VALID, "attachments": [attachment, {**attachment, "size": 1, "sha256": "xyz"}]}
    )

    assert errors(response) == [
        (
            ("body", "payload", "attachments", 0, "size"),
            "Input should be less than or equal to 26214400",
        ),
        (
            ("body", "payload", "attachments", 1, "sha256"),
            "String should match pattern '^([0-9a-f]{64})?$'",
        ),
    ]


def test_valid_attachment_metadata_is_stored(post_message) -> None:
    attachment = {
        "filename": "photo.jpg",
        "content_type": "image/jpeg",
        "size": 26_214_400,
        "url": "https://files.example.com/photo.jpg",
        "sha256": "a" * 64,
    }
    response = post_message({**VALID, "attachments": [attachment]})

    assert Message.objects.get(pk=response.json()["message_id"]).attachments == [attachment]


def test_text_and_html_both_empty(post_message) -> None:
    response = post_message({**VALID, "text": "  ", "html": ""})

    assert errors(response) == [
        (("body", "payload"), "Value error, Give text or html; both are empty.")
    ]


def test_html_that_sanitises_to_nothing_is_refused(post_message) -> None:
    response = post_message({**VALID, "text": "", "html": "<script>alert(1)</script>"})

    assert response.status_code == 422
    assert response.json() == {
        "detail": "The message has no text (the HTML was empty once sanitised).",
        "code": "invalid",
    }


def test_bad_email_and_national_phone(post_message) -> None:
    response = post_message({**VALID, "customer": {"email": "ana@", "phone": "0151 1234567"}})

    assert errors(response) == [
        (("body", "payload", "customer", "email"), "Value error, Not an email address."),
        (
            ("body", "payload", "customer", "phone"),
            "Value error, Phone numbers need a country code, e.g. +4915112345678.",
        ),
    ]


def test_sent_at_needs_a_time_zone(post_message) -> None:
    response = post_message({**VALID, "sent_at": "2025-03-01T10:00:00"})

    assert errors(response) == [(("body", "payload", "sent_at"), "Input should have timezone info")]


def test_service_callers_get_the_same_checks(system_actor) -> None:
    inbound = InboundMessage(
        channel="email", identity=IdentityClaims(phone="0151 1234567"), text="Hi"
    )

    with pytest.raises(
        ValidationError, match=r"customer\.phone: Phone numbers need a country code"
    ):
        message_ingest(inbound=inbound, actor=system_actor)
    with pytest.raises(ValidationError, match="channel: unknown channel 'fax'"):
        message_ingest(
            inbound=InboundMessage(
                channel="fax", identity=IdentityClaims(email="a@b.de"), text="x"
            ),
            actor=system_actor,
        )


def test_service_callers_get_normalised_identities(system_actor) -> None:
    result = message_ingest(
        inbound=InboundMessage(
            channel="email", identity=IdentityClaims(email=" Ana@Example.com"), text="Hi"
        ),
        actor=system_actor,
    )

    assert Customer.objects.get(pk=result.customer_id).email == "ana@example.com"
