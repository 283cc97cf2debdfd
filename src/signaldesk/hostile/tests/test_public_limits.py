"""Every public (anonymous) endpoint counts against its rate limit: the N+1th request in the window
is a 429 with Retry-After and {"detail", "code"}. The HMAC-signed inbound mail webhook refuses a
wrong, missing or stale signature with a 401 and stores nothing."""

from __future__ import annotations

import time
from collections.abc import Callable

import pytest
from django.test import Client
from django.test.utils import override_settings

from signaldesk.hostile.tests.corpus import plain_mail
from signaldesk.mail.api import inbound_signature

pytestmark = pytest.mark.django_db

ALLOWED = 3
WINDOW = 10**9  # one window for the whole test run: no reset halfway through
LIMITS = {scope: (ALLOWED, WINDOW) for scope in ("selfservice", "survey", "inbound_webhook")}

ORDER = {"order_number": "#1", "email": "a@b.example"}
FORM = "application/x-www-form-urlencoded"
PUBLIC = [
    ("post", "/api/v1/selfservice/sessions", {"flow": "order_status"}),
    ("post", "/api/v1/selfservice/order-status", {"order_number": "#1", "email": "a@b.example"}),
    ("post", "/api/v1/selfservice/returns/options", {"order_number": "#1", "email": "a@b.example"}),
    (
        "post",
        "/api/v1/selfservice/returns",
        {**ORDER, "line_no": 1, "reason": "x", "condition": "x"},
    ),
    ("post", "/api/v1/selfservice/answers", {"question": "where is my parcel"}),
    ("post", "/api/v1/selfservice/sessions/nope/resolve", {}),
    ("post", "/api/v1/selfservice/sessions/nope/handover", {"email": "a@b.example"}),
    ("post", "/api/v1/mail/inbound", {}),
    ("get", "/help/", None),
    ("get", "/help/order-status/", None),
    ("get", "/help/returns/", None),
    ("post", "/help/still-need-help/", {"flow": "nope", FORM: "1"}),
    ("get", "/survey/not-a-signed-token/", None),
]


@override_settings(SIGNALDESK_RATE_LIMITS=LIMITS)
@pytest.mark.parametrize(("method", "url", "payload"), PUBLIC, ids=[p[1] for p in PUBLIC])
def test_the_request_over_the_limit_is_a_429(
    method: str, url: str, payload: dict[str, str] | None
) -> None:
    client = Client()
    send = getattr(client, method)
    as_form = payload is not None and FORM in payload
    kwargs = {"data": payload} if as_form else {"data": payload, "content_type": "application/json"}
    kwargs = kwargs if payload is not None else {}

    responses = [send(url, **kwargs) for _ in range(ALLOWED + 1)]

    assert [r.status_code == 429 for r in responses] == [False] * ALLOWED + [True]
    last = responses[-1]
    retry_after = int(last["Retry-After"])
    assert (0 < retry_after <= WINDOW, last.json()["code"]) == (True, "rate_limited")


SECRET = "hostile-test-secret"


def _signed(body: bytes, *, timestamp: int, secret: str = SECRET) -> dict[str, str]:
    signature = inbound_signature(secret=secret, timestamp=str(timestamp), body=body)
    return {"HTTP_X_SIGNALDESK_TIMESTAMP": str(timestamp), "HTTP_X_SIGNALDESK_SIGNATURE": signature}


def _bad_signatures(body: bytes, now: int) -> dict[str, dict[str, str]]:
    return {
        "wrong_secret": _signed(body, timestamp=now, secret="guess"),
        "other_body": _signed(body + b"tampered", timestamp=now),
        "stale": _signed(body, timestamp=now - 600),
        "future": _signed(body, timestamp=now + 600),
        "no_timestamp": {
            "HTTP_X_SIGNALDESK_SIGNATURE": _signed(body, timestamp=now)[
                "HTTP_X_SIGNALDESK_SIGNATURE"
            ]
        },
        "garbage": {"HTTP_X_SIGNALDESK_TIMESTAMP": "x", "HTTP_X_SIGNALDESK_SIGNATURE": "sha256=0"},
        "missing": {},
    }


@override_settings(SIGNALDESK_MAIL_INBOUND_SECRET=SECRET)
@pytest.mark.parametrize(
    "case", ["wrong_secret", "other_body", "stale", "future", "no_timestamp", "garbage", "missing"]
)
def test_a_bad_webhook_signature_is_a_401_and_stores_nothing(
    row_counts: Callable[[], dict[str, int]], case: str
) -> None:
    body = plain_mail(subject="hello", body="hi", message_id="signed@example.com")
    headers = _bad_signatures(body, int(time.time()))[case]
    before = row_counts()

    response = Client().generic(
        "POST", "/api/v1/mail/inbound", body, content_type="message/rfc822", **headers
    )

    assert (response.status_code, response.json()["code"]) == (401, "unauthenticated")
    assert row_counts() == before


@override_settings(SIGNALDESK_MAIL_INBOUND_SECRET=SECRET)
def test_a_good_webhook_signature_is_accepted() -> None:
    body = plain_mail(subject="hello", body="hi", message_id="signed@example.com")

    response = Client().generic(
        "POST",
        "/api/v1/mail/inbound",
        body,
        content_type="message/rfc822",
        **_signed(body, timestamp=int(time.time())),
    )

    assert (response.status_code, response.json()["created"]) == (201, True)
