"""The inbound SMTP listener (aiosmtpd): `signaldesk mail listen --host 127.0.0.1 --port 2525`.

It accepts mail for any recipient, or only for SIGNALDESK_MAIL_INBOUND_DOMAINS when set (others
get 550 at RCPT time; it never relays). Each message is handed to mail.services.mail_receive in
a worker thread (Django's ORM is synchronous) and answered with
- 250 when stored (or already stored: the same Message-ID again is accepted and ignored),
- 552 over the size limit (also enforced while receiving, by aiosmtpd's data_size_limit),
- 554 refused (too many MIME parts, nested too deep, no sender) or rejected by intake,
- 451 on an unexpected error, so the sending server retries later.
Put it behind your MTA (Postfix/… relaying to it) or expose it with TLS in front."""

from __future__ import annotations

import asyncio
import logging
import re
from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor
from typing import Any

from aiosmtpd.controller import Controller
from django.conf import settings
from django.db import close_old_connections, connections

from signaldesk.core.audit import Actor
from signaldesk.core.errors import SignalDeskError
from signaldesk.mail.parse import MailRefused
from signaldesk.mail.services import mail_receive

logger = logging.getLogger(__name__)


def _one_line(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()[:400]


class InboundMailHandler:
    """aiosmtpd handler: RCPT domain check and DATA → mail_receive."""

    def __init__(self, *, accept_domains: Sequence[str] = (), workers: int = 2) -> None:
        self.accept_domains = frozenset(d.strip().lower() for d in accept_domains if d.strip())
        self.executor = ThreadPoolExecutor(max_workers=workers, thread_name_prefix="mail-in")

    async def handle_RCPT(
        self, server: Any, session: Any, envelope: Any, address: str, rcpt_options: list[str]
    ) -> str:
        domain = address.rpartition("@")[2].strip().lower()
        if self.accept_domains and domain not in self.accept_domains:
            return "550 5.1.1 Recipient not accepted here"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        raw = envelope.original_content or envelope.content
        data = raw if isinstance(raw, bytes) else str(raw).encode()
        loop = asyncio.get_running_loop()
        return await loop.run_in_executor(self.executor, self.store, data, envelope.mail_from)

    def store(self, raw: bytes, mail_from: str | None) -> str:
        """Runs in a worker thread; returns the SMTP reply line."""
        close_old_connections()
        try:
            receipt = mail_receive(
                raw=raw, source="smtp", actor=Actor.system("mail.smtp"), envelope_from=mail_from
            )
        except MailRefused as refused:
            return f"{refused.smtp_status} {_one_line(refused.reason)}"
        except SignalDeskError as rejected:
            return f"554 5.6.0 Message rejected: {_one_line(rejected.detail)}"
        except Exception:
            logger.exception("mail.smtp_error")
            return "451 4.3.0 Temporary failure, try again later"
        finally:
            connections.close_all()  # this worker thread's connections; reopened per message
        seen = "stored" if receipt.created else "already received"
        return f"250 2.0.0 {receipt.kind} {seen}: {receipt.message_id}"

    def close(self) -> None:
        self.executor.shutdown(wait=True)


def smtp_controller(
    *, host: str = "127.0.0.1", port: int = 2525, handler: InboundMailHandler | None = None
) -> Controller:
    """A started-on-demand listener (controller.start() / controller.stop())."""
    return Controller(
        handler
        or InboundMailHandler(accept_domains=list(settings.SIGNALDESK_MAIL_INBOUND_DOMAINS)),
        hostname=host,
        port=port,
        data_size_limit=int(settings.SIGNALDESK_MAIL_MAX_MESSAGE_BYTES),
        ident="SignalDesk",
    )
