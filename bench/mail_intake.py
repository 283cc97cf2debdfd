"""E-mail channel speed: parsing (pure) and SMTP → ticket end to end (embedded SQLite).

    .venv/bin/python bench/mail_intake.py --parse 2000 --smtp 300

1. parse: `mail.parse.parse_email` on four shapes (plain reply with quoted history, HTML with a
   Gmail quote, a 1 MiB PDF attachment, a DSN bounce); messages/s and p50/p95 per shape.
2. smtp: a fresh embedded installation in a temporary SIGNALDESK_HOME (migrated SQLite), the
   aiosmtpd listener on a free loopback port, `smtplib` sending N new customer e-mails one after
   another on one connection (half of them replies threading onto earlier tickets); latency is
   DATA sent → 250 received, which includes parsing, intake (customer, thread, ticket, message)
   and the in-process triage run after commit — the embedded mode's real path."""

from __future__ import annotations

import argparse
import os
import smtplib
import socket
import statistics
import sys
import tempfile
import time
from email.message import EmailMessage
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))


def shapes() -> dict[str, bytes]:
    def base(subject: str) -> EmailMessage:
        message = EmailMessage()
        message["From"] = "Ana <ana@example.com>"
        message["To"] = "support@shop.example"
        message["Subject"] = subject
        message["Message-ID"] = "<b1@example.com>"
        return message

    plain = base("Re: Parcel")
    plain.set_content(
        "Hi,\nthe parcel for order 10023 is still missing.\n\nBest regards,\nAna\n\n"
        "On Mon, 2 Mar 2026, Shop <support@shop.example> wrote:\n" + "> old text\n" * 40
    )
    html = base("Broken lamp")
    html.set_content("The lamp arrived broken.")
    html.add_alternative(
        "<div>The lamp <b>arrived broken</b>.</div><div class='gmail_quote'>"
        + "<blockquote>old</blockquote>" * 40
        + "</div>",
        subtype="html",
    )
    attachment = base("Invoice")
    attachment.set_content("Invoice attached.")
    attachment.add_attachment(
        os.urandom(1 << 20), maintype="application", subtype="pdf", filename="invoice.pdf"
    )
    from signaldesk.mail.tests.test_smtp import dsn

    return {
        "plain+quote": plain.as_bytes(),
        "html+gmail quote": html.as_bytes(),
        "1 MiB attachment": attachment.as_bytes(),
        "DSN bounce": dsn(original_id="<r1@shop.example>"),
    }


def pct(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))]


def bench_parse(n: int) -> None:
    from signaldesk.mail.parse import parse_email

    print(f"== parse ({n} per shape)")
    for name, raw in shapes().items():
        times = []
        for _ in range(n):
            start = time.perf_counter()
            parse_email(raw)
            times.append(time.perf_counter() - start)
        print(
            f"{name:18s} {len(raw):>8d} B  {n / sum(times):8.0f} msg/s  "
            f"p50 {statistics.median(times) * 1000:6.2f} ms  p95 {pct(times, 0.95) * 1000:6.2f} ms"
        )


def setup() -> str:
    """A fresh embedded installation in a temporary home."""
    home = tempfile.mkdtemp(prefix="sd-mailbench-")
    os.environ["SIGNALDESK_HOME"] = home
    os.environ["DJANGO_SETTINGS_MODULE"] = "signaldesk.config.settings.embedded"
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    return home


def bench_smtp(n: int, home: str) -> None:
    from signaldesk.mail.smtp import InboundMailHandler, smtp_controller

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = int(sock.getsockname()[1])
    handler = InboundMailHandler(workers=1)
    controller = smtp_controller(host="127.0.0.1", port=port, handler=handler)
    controller.start()
    times: list[float] = []
    try:
        with smtplib.SMTP("127.0.0.1", port, timeout=60) as client:
            for i in range(n):
                message = EmailMessage()
                customer = i // 2
                message["From"] = f"Customer {customer} <c{customer}@example.com>"
                message["To"] = "support@shop.example"
                message["Subject"] = f"Order {10000 + customer} has not arrived"
                message["Message-ID"] = f"<bench-{i}@example.com>"
                if i % 2:
                    message["In-Reply-To"] = f"<bench-{i - 1}@example.com>"
                message.set_content(
                    f"Hi,\nmy order {10000 + customer} has not arrived yet.\n\nThanks,\nC\n"
                )
                raw = message.as_bytes().replace(b"\n", b"\r\n")
                start = time.perf_counter()
                client.sendmail(f"c{customer}@example.com", ["support@shop.example"], raw)
                times.append(time.perf_counter() - start)
    finally:
        controller.stop()
        handler.close()
    from signaldesk.tickets.models import Message, Ticket

    print(f"== smtp → ticket ({n} messages, home {home})")
    print(
        f"{n / sum(times):.1f} msg/s  p50 {statistics.median(times) * 1000:.1f} ms  "
        f"p95 {pct(times, 0.95) * 1000:.1f} ms  max {max(times) * 1000:.1f} ms  "
        f"tickets {Ticket.objects.count()} messages {Message.objects.count()}"
    )


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--parse", type=int, default=2000)
    parser.add_argument("--smtp", type=int, default=300)
    args = parser.parse_args()
    print(f"load average at start: {os.getloadavg()}")
    home = setup()
    if args.parse:
        bench_parse(args.parse)
    if args.smtp:
        bench_smtp(args.smtp, home)
    print(f"load average at end: {os.getloadavg()}")


if __name__ == "__main__":
    main()
