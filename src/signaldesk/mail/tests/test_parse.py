"""mail.parse: pure parsing of RFC 5322 bytes (no database)."""

from __future__ import annotations

import datetime as dt
from email.message import EmailMessage

import pytest

from signaldesk.mail.outbound import reply_subject, text_to_html
from signaldesk.mail.parse import (
    BounceReport,
    MailKind,
    MailLimits,
    MailRefused,
    parse_email,
)
from signaldesk.mail.selectors import subject_ticket_ref
from signaldesk.mail.tests.test_smtp import dsn


def mail(**headers: str) -> EmailMessage:
    message = EmailMessage()
    message["From"] = headers.pop("From", "Ana <ana@example.com>")
    message["Message-ID"] = headers.pop("Message_ID", "<a@x>")
    message["Subject"] = headers.pop("Subject", "Hello")
    for name, value in headers.items():
        message[name.replace("_", "-")] = value
    return message


def test_headers_threading_and_date() -> None:
    message = mail(
        In_Reply_To="<p2@x>",
        References="<root@x> <p1@x> <p2@x>",
        Date="Mon, 02 Mar 2026 09:00:00 +0100",
        To="a@s.local, B <b@s.local>",
    )
    message.set_content("Hi")
    parsed = parse_email(message.as_bytes())
    assert (parsed.message_id, parsed.in_reply_to, parsed.references) == (
        "<a@x>", "<p2@x>", ("<root@x>", "<p1@x>", "<p2@x>"),
    )  # fmt: skip
    assert parsed.thread_ids() == ("<p2@x>", "<p1@x>", "<root@x>")
    assert parsed.to == ("a@s.local", "b@s.local")
    assert parsed.date == dt.datetime(2026, 3, 2, 8, 0, tzinfo=dt.UTC)
    assert (parsed.from_name, parsed.from_address, parsed.kind) == ("Ana", "ana@example.com",
                                                                    MailKind.CUSTOMER)  # fmt: skip


def test_unknown_charset_and_bad_bytes_are_replaced() -> None:
    raw = (
        b"From: a@b.example\r\nSubject: =?x-unknown?q?hi?=\r\nMessage-ID: <1@b>\r\n"
        b"Content-Type: text/plain; charset=x-unknown\r\n\r\nhello \xff world\r\n"
    )
    parsed = parse_email(raw)
    assert (parsed.subject, parsed.text) == ("hi", "hello \ufffd world")


def test_html_only_mail_is_sanitised_and_trimmed_for_classification() -> None:
    message = mail()
    message.set_content(
        '<div>Where is <b>my</b> order?<img src="https://t.example/p.gif"></div>'
        '<div class="gmail_quote">On Mon, Shop wrote:<blockquote>old</blockquote></div>',
        subtype="html",
    )
    parsed = parse_email(message.as_bytes())
    assert parsed.html == "<div>Where is <b>my</b> order?</div><div>On Mon, Shop wrote:" \
        "<blockquote>old</blockquote></div>"  # fmt: skip
    assert parsed.text == "Where is my order?\n\nOn Mon, Shop wrote:\nold"
    assert parsed.classification_text == "Where is my order?"


def test_outlook_history_and_phone_signature_are_trimmed() -> None:
    message = mail()
    message.set_content(
        "The lamp arrived broken.\n\nSent from my iPhone\n\n-----Original Message-----\n"
        "From: Shop\nSent: Monday\nSubject: Your order\n\nThanks for your order.\n"
    )
    parsed = parse_email(message.as_bytes())
    assert parsed.classification_text == "The lamp arrived broken."
    assert parsed.text.endswith("Thanks for your order.")


@pytest.mark.parametrize(
    ("headers", "kind"),
    [
        ({"Auto_Submitted": "auto-replied"}, MailKind.AUTO_REPLY),
        ({"X_Autoreply": "yes"}, MailKind.AUTO_REPLY),
        ({"X_Autorespond": "on"}, MailKind.AUTO_REPLY),
        ({"Precedence": "bulk"}, MailKind.AUTO_REPLY),
        ({"Precedence": "junk"}, MailKind.AUTO_REPLY),
        ({"Subject": "Automatic reply: Hello"}, MailKind.AUTO_REPLY),
        ({"Subject": "Out of Office"}, MailKind.AUTO_REPLY),
        ({"Auto_Submitted": "no"}, MailKind.CUSTOMER),
        ({"From": "MAILER-DAEMON@mx.example"}, MailKind.BOUNCE),
        ({"From": "postmaster@mx.example"}, MailKind.BOUNCE),
        ({"Subject": "Delivery Status Notification (Failure)"}, MailKind.BOUNCE),
    ],
)
def test_auto_replies_and_bounces_are_recognised(headers: dict[str, str], kind: MailKind) -> None:
    message = mail(**headers)
    message.set_content("Hello")
    assert parse_email(message.as_bytes()).kind == kind


def test_null_envelope_sender_is_not_a_customer() -> None:
    message = mail()
    message.set_content("Hello")
    assert parse_email(message.as_bytes(), envelope_from="").kind == MailKind.AUTO_REPLY
    assert parse_email(message.as_bytes(), envelope_from="ana@example.com").kind == "customer"


def test_delivery_status_notification_is_read() -> None:
    parsed = parse_email(dsn(original_id="<r1@signaldesk.local>"))
    assert parsed.kind == MailKind.BOUNCE
    assert parsed.bounce == BounceReport(
        recipients=("gone@example.com",),
        action="failed",
        status="5.1.1",
        diagnostic="smtp; 550 5.1.1 User unknown",
        original_message_id="<r1@signaldesk.local>",
    )
    assert parsed.bounce.permanent is True
    assert parsed.attachments == ()


def test_attachments_and_missing_message_id() -> None:
    message = EmailMessage()
    message["From"] = "ana@example.com"
    message.set_content("See attached")
    message.add_attachment(b"%PDF-1", maintype="application", subtype="pdf", filename="../x.pdf")
    message.add_attachment(b"\x00\x01", maintype="application", subtype="octet-stream")
    parsed = parse_email(message.as_bytes())
    assert [(a.filename, a.content_type, a.size) for a in parsed.attachments] == [
        (".._x.pdf", "application/pdf", 6),
        ("attachment-2.octetstream", "application/octet-stream", 2),
    ]
    assert parsed.message_id.startswith("<sha256.") and parsed.message_id.endswith("@signaldesk>")


def test_limits_refuse_before_anything_is_kept() -> None:
    message = mail()
    message.set_content("x" * 5000)
    with pytest.raises(MailRefused) as too_large:
        parse_email(message.as_bytes(), limits=MailLimits(max_message_bytes=1000))
    assert (too_large.value.code, too_large.value.smtp_status) == ("too_large", "552 5.3.4")


def test_subject_reference_and_reply_subject() -> None:
    assert [subject_ticket_ref(s) for s in ("Re: x [#12]", "SD-7 help", "no tag", "[#1] [#9]")] \
        == [12, 7, None, 9]  # fmt: skip
    assert reply_subject(subject="Re: AW: Parcel missing [#4]", ticket_id=4) == (
        "Re: Parcel missing [#4]"
    )
    assert reply_subject(subject="", ticket_id=5) == "Re: Your request [#5]"
    assert text_to_html("a <b>\nc\n\nd") == "<p>a &lt;b&gt;<br>c</p><p>d</p>"
