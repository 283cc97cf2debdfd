"""Real SMTP servers on loopback: the SignalDesk listener, and a relay that records what our
outbox sends. Messages are built with the stdlib like a mail client would."""

from __future__ import annotations

import smtplib
import socket
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from email.message import EmailMessage
from pathlib import Path
from typing import Any

import pytest
from aiosmtpd.controller import Controller

from signaldesk.mail.smtp import InboundMailHandler, smtp_controller


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@dataclass
class Listener:
    port: int

    def send(self, message: EmailMessage | bytes, *, sender: str = "ana@example.com") -> Any:
        """Deliver over SMTP; returns sendmail's refused-recipients dict ({} = accepted)."""
        raw = message if isinstance(message, bytes) else message.as_bytes()
        raw = raw.replace(b"\r\n", b"\n").replace(b"\n", b"\r\n")  # SMTP wants CRLF lines
        with smtplib.SMTP("127.0.0.1", self.port, timeout=30) as client:
            return client.sendmail(sender, ["support@signaldesk.local"], raw)


@pytest.fixture
def mail_media(settings: Any, tmp_path: Path) -> Path:
    settings.MEDIA_ROOT = str(tmp_path / "media")
    return tmp_path / "media"


@pytest.fixture
def listener(mail_media: Path) -> Iterator[Listener]:
    port = free_port()
    handler = InboundMailHandler(accept_domains=["signaldesk.local"], workers=1)
    controller = smtp_controller(host="127.0.0.1", port=port, handler=handler)
    controller.start()
    try:
        yield Listener(port=port)
    finally:
        controller.stop()
        handler.close()


@dataclass
class RelayHandler:
    received: list[tuple[str, list[str], bytes]] = field(default_factory=list)

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        self.received.append((envelope.mail_from, list(envelope.rcpt_tos), envelope.content))
        return "250 OK"


@dataclass
class Relay:
    port: int
    received: list[tuple[str, list[str], bytes]]

    def mailers(self) -> dict[str, dict[str, object]]:
        return {
            "default": {
                "BACKEND": "django.core.mail.backends.smtp.EmailBackend",
                "OPTIONS": {"host": "127.0.0.1", "port": self.port, "timeout": 10},
            }
        }


@pytest.fixture
def relay() -> Iterator[Relay]:
    handler = RelayHandler()
    port = free_port()
    controller = Controller(handler, hostname="127.0.0.1", port=port)
    controller.start()
    try:
        yield Relay(port=port, received=handler.received)
    finally:
        controller.stop()


@pytest.fixture
def make_mail() -> Callable[..., EmailMessage]:
    def make(
        *,
        text: str = "Hi,\nmy parcel for order 10023 has not arrived.\n",
        html: str = "",
        subject: str = "Parcel missing",
        message_id: str = "<m1@mail.example.com>",
        sender: str = "Ana Example <ana@example.com>",
        in_reply_to: str = "",
        references: str = "",
        headers: dict[str, str] | None = None,
    ) -> EmailMessage:
        message = EmailMessage()
        message["From"] = sender
        message["To"] = "support@signaldesk.local"
        message["Subject"] = subject
        message["Message-ID"] = message_id
        message["Date"] = "Mon, 02 Mar 2026 09:00:00 +0100"
        if in_reply_to:
            message["In-Reply-To"] = in_reply_to
        if references:
            message["References"] = references
        for name, value in (headers or {}).items():
            message[name] = value
        message.set_content(text)
        if html:
            message.add_alternative(html, subtype="html")
        return message

    return make
