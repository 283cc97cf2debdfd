"""The transactional outbox against a real HTTP server on loopback."""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import http.server
import socket
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

import pytest
from django.test import override_settings

from signaldesk.core.models import OutboxMessage
from signaldesk.core.outbox import backoff_after, hmac_signature, outbox_deliver_due, outbox_enqueue

NOW = dt.datetime(2026, 3, 2, 9, 0, tzinfo=dt.UTC)
SECRET = "s3cret"
pytestmark = pytest.mark.django_db


class Receiver(http.server.BaseHTTPRequestHandler):
    received: list[tuple[bool, str]] = []

    def do_POST(self) -> None:
        body = self.rfile.read(int(self.headers["Content-Length"])).decode()
        # Verify the signature here, in the receiver, as a subscriber would.
        signed = f"{self.headers.get('X-SignalDesk-Timestamp', '')}.{body}".encode()
        expected = hmac.new(SECRET.encode(), signed, hashlib.sha256).hexdigest()
        verified = self.headers.get("X-SignalDesk-Signature", "") == f"sha256={expected}"
        type(self).received.append((verified, body))
        self.send_response(204)
        self.end_headers()

    def log_message(self, *args: object) -> None:
        return


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@contextmanager
def receiver(port: int) -> Iterator[list[tuple[bool, str]]]:
    handler = type("Handler", (Receiver,), {"received": []})
    server = http.server.HTTPServer(("127.0.0.1", port), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield handler.received
    finally:
        server.shutdown()
        server.server_close()


def enqueue(url: str, n: int, *, headers: dict[str, str] | None = None) -> OutboxMessage:
    return outbox_enqueue(
        kind="webhook",
        target=url,
        body=f'{{"n": {n}}}',
        headers=headers or {},
        dedupe_key=f"test:{n}",
        now=NOW,
    )


def test_backoff_doubles_and_caps() -> None:
    seconds = [backoff_after(n).total_seconds() for n in (1, 2, 3, 4, 10, 11, 30)]
    assert seconds == [1.0, 2.0, 4.0, 8.0, 512.0, 600.0, 600.0]


def test_enqueue_is_deduplicated() -> None:
    first = enqueue("http://127.0.0.1:9/x", 1)
    again = enqueue("http://127.0.0.1:9/other", 1)
    assert again.pk == first.pk
    assert OutboxMessage.objects.count() == 1


def test_delivers_signed_webhook_that_verifies_on_the_server() -> None:
    port = free_port()
    timestamp = "1772442000"
    body = '{"n": 1}'
    signature = hmac_signature(secret=SECRET, timestamp=timestamp, body=body)
    enqueue(
        f"http://127.0.0.1:{port}/hook",
        1,
        headers={"X-SignalDesk-Timestamp": timestamp, "X-SignalDesk-Signature": signature},
    )
    with receiver(port) as received:
        report = outbox_deliver_due(now=NOW)
    assert report.delivered == 1
    assert received == [(True, body)]
    message = OutboxMessage.objects.get()
    assert (message.status, message.attempts, message.delivered_at) == ("delivered", 1, NOW)


def test_receiver_down_then_back_gets_everything_once_in_order() -> None:
    port = free_port()
    url = f"http://127.0.0.1:{port}/hook"
    for n in range(3):
        enqueue(url, n)
    first = outbox_deliver_due(now=NOW)
    assert (first.delivered, first.retried) == (0, 1)
    head = OutboxMessage.objects.order_by("id").first()
    assert head is not None
    assert (head.attempts, head.next_attempt_at) == (1, NOW + dt.timedelta(seconds=1))
    early = outbox_deliver_due(now=NOW + dt.timedelta(milliseconds=500))
    assert (early.delivered, early.retried) == (0, 0)
    second = outbox_deliver_due(now=NOW + dt.timedelta(seconds=1))
    assert second.retried == 1
    head.refresh_from_db()
    assert (head.attempts, head.next_attempt_at) == (2, NOW + dt.timedelta(seconds=3))
    assert "ConnectionRefusedError" in head.last_error or "URLError" in head.last_error
    with receiver(port) as received:
        third = outbox_deliver_due(now=NOW + dt.timedelta(seconds=3))
        again = outbox_deliver_due(now=NOW + dt.timedelta(seconds=60))
    assert (third.delivered, again.delivered) == (3, 0)
    assert [body for _, body in received] == ['{"n": 0}', '{"n": 1}', '{"n": 2}']
    assert list(OutboxMessage.objects.order_by("id").values_list("status", "attempts")) == [
        ("delivered", 3),
        ("delivered", 1),
        ("delivered", 1),
    ]


@override_settings(SIGNALDESK_OUTBOX_MAX_ATTEMPTS=2)
def test_gives_up_after_max_attempts() -> None:
    enqueue(f"http://127.0.0.1:{free_port()}/hook", 1)
    outbox_deliver_due(now=NOW)
    report = outbox_deliver_due(now=NOW + dt.timedelta(seconds=1))
    message = OutboxMessage.objects.get()
    assert report.failed == 1
    assert (message.status, message.attempts) == ("failed", 2)
    assert outbox_deliver_due(now=NOW + dt.timedelta(hours=1)).failed == 0


def test_rolled_back_change_leaves_no_message() -> None:
    from django.db import transaction

    with pytest.raises(RuntimeError), transaction.atomic():
        enqueue("http://127.0.0.1:9/x", 7)
        raise RuntimeError("the change failed")
    assert OutboxMessage.objects.count() == 0


def test_delivery_is_triggered_on_commit(
    django_capture_on_commit_callbacks: Callable[..., Any],
) -> None:
    port = free_port()
    capture = django_capture_on_commit_callbacks(execute=True)
    with receiver(port) as received, capture as callbacks:
        outbox_enqueue(
            kind="webhook",
            target=f"http://127.0.0.1:{port}/hook",
            body='{"n": 8}',
            dedupe_key="test:8",
            now=dt.datetime.now(dt.UTC),
        )
    assert len(callbacks) == 1
    assert [body for _, body in received] == ['{"n": 8}']
    assert OutboxMessage.objects.get().status == "delivered"


@override_settings(SIGNALDESK_OUTBOX_MAX_ATTEMPTS=1)
def test_failed_message_shows_in_admin_and_can_be_retried(admin_client: Any) -> None:
    message = enqueue(f"http://127.0.0.1:{free_port()}/hook", 9)
    outbox_deliver_due(now=NOW)
    listing = admin_client.get("/admin/core/outboxmessage/?status__exact=failed")
    assert f"/admin/core/outboxmessage/{message.pk}/change/" in listing.content.decode()
    admin_client.post(
        "/admin/core/outboxmessage/",
        {"action": "retry_now", "_selected_action": [message.pk]},
    )
    message.refresh_from_db()
    assert (message.status, message.attempts) == ("pending", 0)


class SmtpRelay:
    """aiosmtpd handler that records every message it is given."""

    def __init__(self) -> None:
        self.received: list[tuple[list[str], bytes]] = []

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        self.received.append((list(envelope.rcpt_tos), envelope.content))
        return "250 OK"


def test_email_carries_threading_headers_reply_to_and_html_over_smtp() -> None:
    from email import message_from_bytes, policy

    from aiosmtpd.controller import Controller

    from signaldesk.core.outbox import EMAIL_HTML_KEY

    relay = SmtpRelay()
    port = free_port()
    controller = Controller(relay, hostname="127.0.0.1", port=port)
    mailers = {
        "default": {
            "BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            "OPTIONS": {"host": "127.0.0.1", "port": port, "timeout": 10},
        }
    }
    outbox_enqueue(
        kind="email",
        target="ana@example.com",
        body="Hello Ana",
        dedupe_key="test:mail",
        now=NOW,
        headers={
            "Subject": "Re: Parcel [#7]",
            "Message-ID": "<r1@signaldesk.local>",
            "In-Reply-To": "<c1@example.com>",
            "References": "<c0@example.com> <c1@example.com>",
            "Reply-To": "help@signaldesk.local",
            EMAIL_HTML_KEY: "<p>Hello Ana</p>",
        },
    )
    controller.start()
    try:
        with override_settings(MAILERS=mailers):
            report = outbox_deliver_due(now=NOW)
    finally:
        controller.stop()
    assert report.delivered == 1
    assert [rcpts for rcpts, _ in relay.received] == [["ana@example.com"]]
    sent = message_from_bytes(relay.received[0][1].replace(b"\r\n", b"\n"), policy=policy.default)
    names = ("Subject", "Message-ID", "In-Reply-To", "References", "Reply-To", "From")
    assert {name: str(sent[name]) for name in names} == {
        "Subject": "Re: Parcel [#7]",
        "Message-ID": "<r1@signaldesk.local>",
        "In-Reply-To": "<c1@example.com>",
        "References": "<c0@example.com> <c1@example.com>",
        "Reply-To": "help@signaldesk.local",
        "From": "support@signaldesk.local",
    }
    assert sent[EMAIL_HTML_KEY] is None
    assert sent.get_content_type() == "multipart/alternative"
    assert sent.get_body(("html",)).get_content().strip() == "<p>Hello Ana</p>"  # type: ignore[union-attr]
