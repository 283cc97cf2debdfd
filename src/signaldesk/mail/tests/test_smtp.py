"""The e-mail channel end to end over real SMTP on loopback: mail sent to the SignalDesk listener
becomes a ticket; replies thread; bounces and auto-replies are recorded only; limits refuse;
an agent's reply leaves through the outbox to an SMTP relay."""

from __future__ import annotations

import hashlib
import smtplib
from collections.abc import Callable
from email import message_from_bytes, policy
from email.message import EmailMessage
from email.mime.multipart import MIMEMultipart
from email.mime.text import MIMEText
from pathlib import Path
from typing import Any

import pytest
from django.test import override_settings

from signaldesk.core.audit import Actor
from signaldesk.core.models import AuditEvent, OutboxMessage
from signaldesk.mail.attachments import attachment_path
from signaldesk.mail.models import BouncingAddress, MailMessage
from signaldesk.mail.tests.conftest import Listener, Relay
from signaldesk.replies.services import reply_send
from signaldesk.testing.factories import UserFactory
from signaldesk.tickets.models import Direction, Message, Ticket

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("transactional_db_with_audit_log"),
]

MakeMail = Callable[..., EmailMessage]

QUOTED = (
    "Hi,\nmy parcel for order 10023 has not arrived.\n\nBest regards,\nAna\n\n"
    "On Sun, 1 Mar 2026 at 10:00, Shop <support@signaldesk.local> wrote:\n> Your order shipped.\n"
)
HTML = (
    '<p>Hi,</p><p onclick="steal()">my parcel <b>has not</b> arrived.</p>'
    '<script>alert(1)</script><img src="https://track.example/p.gif">'
    '<a href="javascript:alert(1)">x</a>'
)


def inbound(ticket: Ticket) -> list[str]:
    return list(
        Message.objects.filter(ticket=ticket, direction=Direction.INBOUND)
        .order_by("id")
        .values_list("idempotency_key", flat=True)
    )


def test_mail_to_the_listener_becomes_a_ticket_once(
    listener: Listener, make_mail: MakeMail
) -> None:
    mail = make_mail(text=QUOTED, html=HTML)
    assert listener.send(mail) == {}
    assert listener.send(mail) == {}  # the same Message-ID again: accepted, ignored

    row = MailMessage.objects.get()
    ticket = Ticket.objects.get()
    message = Message.objects.get()
    assert (row.kind, row.direction, row.source, row.ticket_id) == (
        "customer", "inbound", "smtp", ticket.pk,
    )  # fmt: skip
    assert (ticket.channel, ticket.subject, ticket.customer.email) == (
        "email", "Parcel missing", "ana@example.com",
    )  # fmt: skip
    assert message.idempotency_key == "<m1@mail.example.com>"
    assert message.author_label == "Ana Example"
    assert message.body_text == QUOTED.strip()
    assert message.body_html == (
        '<p>Hi,</p><p>my parcel <b>has not</b> arrived.</p><a rel="noopener noreferrer nofollow">'
        "x</a>"
    )
    assert row.classification_text == "Hi,\nmy parcel for order 10023 has not arrived."
    assert ticket.threads.get().external_thread_id == "<m1@mail.example.com>"


def test_a_reply_threads_by_in_reply_to(listener: Listener, make_mail: MakeMail) -> None:
    listener.send(make_mail())
    listener.send(
        make_mail(
            text="Any news?",
            subject="Re: Parcel missing",
            message_id="<m2@mail.example.com>",
            in_reply_to="<m1@mail.example.com>",
            references="<m1@mail.example.com>",
        )
    )
    ticket = Ticket.objects.get()
    assert inbound(ticket) == ["<m1@mail.example.com>", "<m2@mail.example.com>"]


def test_subject_tag_threads_only_for_the_tickets_customer(
    listener: Listener, make_mail: MakeMail
) -> None:
    listener.send(make_mail())
    ticket = Ticket.objects.get()
    tagged = f"Re: Parcel missing [#{ticket.pk}]"
    listener.send(make_mail(text="Still nothing.", subject=tagged, message_id="<m2@x.example>"))
    listener.send(
        make_mail(
            text="I am someone else.",
            subject=f"About SD-{ticket.pk}",
            message_id="<m3@x.example>",
            sender="mallory@example.net",
        ),
        sender="mallory@example.net",
    )
    assert inbound(ticket) == ["<m1@mail.example.com>", "<m2@x.example>"]
    other = Ticket.objects.exclude(pk=ticket.pk).get()
    assert (other.customer.email, inbound(other)) == ("mallory@example.net", ["<m3@x.example>"])


def test_out_of_office_and_bounce_are_not_customer_messages(
    listener: Listener, make_mail: MakeMail
) -> None:
    listener.send(
        make_mail(
            subject="Out of office: Parcel missing",
            text="I am out of the office until Monday.",
            message_id="<ooo@x.example>",
            headers={"Auto-Submitted": "auto-replied"},
        )
    )
    listener.send(dsn(original_id="<never-sent@signaldesk.local>"), sender="")
    kinds = list(MailMessage.objects.order_by("id").values_list("kind", "detection"))
    assert kinds == [
        ("auto_reply", "auto-reply header, precedence or subject"),
        ("bounce", "multipart/report delivery status notification"),
    ]
    assert (Ticket.objects.count(), Message.objects.count()) == (0, 0)
    assert list(BouncingAddress.objects.values_list("address", "bounces", "last_status")) == [
        ("gone@example.com", 1, "5.1.1")
    ]


def test_oversized_and_forbidden_attachments_are_rejected(
    listener: Listener, make_mail: MakeMail, mail_media: Path
) -> None:
    mail = make_mail()
    mail.add_attachment(b"\x89PNG small", maintype="image", subtype="png", filename="photo.png")
    mail.add_attachment(b"%PDF" + b"x" * 2000, maintype="application", subtype="pdf",
                        filename="big.pdf")  # fmt: skip
    mail.add_attachment(b"MZ", maintype="application", subtype="octet-stream", filename="a.exe")
    with override_settings(SIGNALDESK_MAIL_MAX_ATTACHMENT_BYTES=1000):
        listener.send(mail)
    message = Message.objects.get()
    sha = hashlib.sha256(b"\x89PNG small").hexdigest()
    assert message.attachments == [
        {"filename": "photo.png", "content_type": "image/png", "size": 10, "url": "",
         "sha256": sha}
    ]  # fmt: skip
    assert (mail_media / attachment_path(sha)).read_bytes() == b"\x89PNG small"
    assert MailMessage.objects.get().attachments_rejected == [
        {"filename": "big.pdf", "content_type": "application/pdf", "size": 2004,
         "reason": "2004 bytes, the limit is 1000"},
        {"filename": "a.exe", "content_type": "application/octet-stream", "size": 2,
         "reason": "file type .exe is not accepted"},
    ]  # fmt: skip


def nested(depth: int) -> bytes:
    part: Any = MIMEText("deep")
    for _ in range(depth):
        outer = MIMEMultipart()
        outer.attach(part)
        part = outer
    part["From"] = "ana@example.com"
    part["Message-ID"] = "<bomb@x.example>"
    return bytes(part.as_bytes())


def test_mime_bombs_are_refused_and_nothing_is_stored(listener: Listener) -> None:
    with pytest.raises(smtplib.SMTPDataError) as deep:
        listener.send(nested(30))
    wide = MIMEMultipart()
    wide["From"] = "ana@example.com"
    for n in range(150):
        wide.attach(MIMEText(f"part {n}"))
    with pytest.raises(smtplib.SMTPDataError) as broad:
        listener.send(wide.as_bytes())
    assert (deep.value.smtp_code, deep.value.smtp_error) == (
        554, b"5.6.0 Message refused: MIME parts nested deeper than 8 levels.",
    )  # fmt: skip
    assert (broad.value.smtp_code, broad.value.smtp_error) == (
        554, b"5.6.0 Message refused: more than 100 MIME parts.",
    )  # fmt: skip
    assert (MailMessage.objects.count(), Message.objects.count(), Ticket.objects.count()) == (
        0, 0, 0,
    )  # fmt: skip
    refusals = AuditEvent.objects.filter(action="mail.refused").order_by("id")
    assert [e.context["code"] for e in refusals] == ["too_deep", "too_many_parts"]


def test_unknown_recipient_domain_is_refused_at_rcpt(
    listener: Listener, make_mail: MakeMail
) -> None:
    with (
        smtplib.SMTP("127.0.0.1", listener.port, timeout=30) as client,
        pytest.raises(smtplib.SMTPRecipientsRefused),
    ):
        client.sendmail("ana@example.com", ["someone@elsewhere.example"], b"Subject: x\n\nx")
    assert MailMessage.objects.count() == 0


def dsn(*, original_id: str, recipient: str = "gone@example.com") -> bytes:
    return (
        "From: Mail Delivery System <MAILER-DAEMON@mx.example.com>\r\n"
        "To: support@signaldesk.local\r\n"
        "Subject: Undelivered Mail Returned to Sender\r\n"
        f"Message-ID: <dsn-{original_id.strip('<>')}>\r\n"
        "MIME-Version: 1.0\r\n"
        'Content-Type: multipart/report; report-type=delivery-status; boundary="B"\r\n'
        "\r\n--B\r\nContent-Type: text/plain\r\n\r\n"
        f"Delivery to {recipient} failed permanently.\r\n"
        "\r\n--B\r\nContent-Type: message/delivery-status\r\n\r\n"
        "Reporting-MTA: dns; mx.example.com\r\n\r\n"
        f"Final-Recipient: rfc822; {recipient}\r\nAction: failed\r\nStatus: 5.1.1\r\n"
        "Diagnostic-Code: smtp; 550 5.1.1 User unknown\r\n"
        "\r\n--B\r\nContent-Type: text/rfc822-headers\r\n\r\n"
        f"Message-ID: {original_id}\r\nSubject: Re: Parcel missing\r\n"
        "\r\n--B--\r\n"
    ).encode()


def test_agent_reply_goes_out_by_smtp_and_the_answer_threads_back(
    listener: Listener, relay: Relay, make_mail: MakeMail
) -> None:
    listener.send(make_mail(references="<root@mail.example.com>"))
    ticket = Ticket.objects.get()
    agent = UserFactory(role="agent")
    text = "Hi Ana,\n\nthanks for writing. We are asking the carrier & will write again."
    with override_settings(MAILERS=relay.mailers()):
        result = reply_send(ticket=ticket, text=text, actor=Actor.of_user(agent), author=agent)
    assert result.sent is True
    outbound = MailMessage.objects.get(direction="outbound")
    assert OutboxMessage.objects.get().status == "delivered"
    assert [(sender, rcpts) for sender, rcpts, _ in relay.received] == [
        ("support@signaldesk.local", ["ana@example.com"])
    ]
    sent = message_from_bytes(relay.received[0][2].replace(b"\r\n", b"\n"), policy=policy.default)
    assert {k: str(sent[k]) for k in ("To", "Subject", "In-Reply-To", "References",
                                      "Reply-To", "Message-ID")} == {
        "To": "ana@example.com",
        "Subject": f"Re: Parcel missing [#{ticket.pk}]",
        "In-Reply-To": "<m1@mail.example.com>",
        "References": "<root@mail.example.com> <m1@mail.example.com>",
        "Reply-To": "support@signaldesk.local",
        "Message-ID": outbound.message_id,
    }  # fmt: skip
    assert sent.get_body(("plain",)).get_content().strip() == text  # type: ignore[union-attr]
    assert sent.get_body(("html",)).get_content().strip() == (  # type: ignore[union-attr]
        "<p>Hi Ana,</p><p>thanks for writing. We are asking the carrier &amp; will write again.</p>"
    )
    listener.send(
        make_mail(
            text="Thank you!",
            subject=str(sent["Subject"]).replace("Re: ", "Re: Re: "),
            message_id="<m2@mail.example.com>",
            in_reply_to=outbound.message_id,
        )
    )
    assert inbound(ticket) == ["<m1@mail.example.com>", "<m2@mail.example.com>"]


def test_bounce_of_our_reply_flags_the_ticket(
    listener: Listener, relay: Relay, make_mail: MakeMail
) -> None:
    listener.send(make_mail(sender="gone@example.com"), sender="gone@example.com")
    ticket = Ticket.objects.get()
    agent = UserFactory(role="agent")
    with override_settings(MAILERS=relay.mailers()):
        reply_send(ticket=ticket, text="Hi, we are on it.", actor=Actor.of_user(agent))
    outbound = MailMessage.objects.get(direction="outbound")
    listener.send(dsn(original_id=outbound.message_id), sender="")
    ticket.refresh_from_db()
    outbound.refresh_from_db()
    note = Message.objects.get(ticket=ticket, direction=Direction.NOTE)
    assert note.body_text == (
        "Our e-mail to gone@example.com could not be delivered (5.1.1 smtp; 550 5.1.1 User "
        "unknown). The address is marked as bouncing; reach the customer another way."
    )
    assert (ticket.tags, outbound.bounced) == (["email_bounced"], True)
    assert MailMessage.objects.get(kind="bounce").ticket_id == ticket.pk
    assert Message.objects.filter(ticket=ticket, direction=Direction.INBOUND).count() == 1
    assert BouncingAddress.objects.get().last_ticket_id == ticket.pk
