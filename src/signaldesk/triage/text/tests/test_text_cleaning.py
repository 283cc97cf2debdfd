from __future__ import annotations

import pytest

from signaldesk.triage.text.cleaning import (
    clean_for_classification,
    html_to_text,
    is_auto_reply,
    is_bounce,
    normalize_whitespace,
)

EN_GMAIL = """Hi,

My parcel never arrived.

Best regards,
John Smith
+44 20 7946 0958

On Mon, 4 Mar 2024 at 10:12, Shop Support <support@shop.com> wrote:
> Thanks for your message.
> We will check."""

EN_WRAPPED_ATTRIBUTION = """The zip broke again.

On Mon, 4 Mar 2024 at 10:12, Shop Support <
support@shop.com> wrote:
> Sorry to hear that."""

EN_OUTLOOK = """Please refund me, the mug is cracked.

________________________________
From: Shop Support <support@shop.com>
Sent: Monday, March 4, 2024 10:12 AM
To: John Smith
Subject: RE: Order 1234

Hello John,"""

EN_ORIGINAL_MESSAGE = """Still waiting for an answer!

-----Original Message-----
From: Shop <support@shop.com>
Sent: Monday
Old text"""

DE_OUTLOOK = """Hallo,

die Jacke ist kaputt.

Mit freundlichen Grüßen
Anna Müller

Von: Shop Support <support@shop.de>
Gesendet: Montag, 4. März 2024 10:12
An: Anna Müller
Betreff: Ihre Bestellung

Vielen Dank für Ihre Nachricht."""

DE_APPLE = """Wo bleibt mein Paket?

Von meinem iPhone gesendet

Am 04.03.2024 um 10:12 schrieb Shop Support <support@shop.de>:
> Ihr Paket ist unterwegs."""

FR_GMAIL = """Bonjour,

Je n'ai pas reçu ma commande.

Cordialement,
Marie

Le lun. 4 mars 2024 à 10:12, Support <support@shop.fr> a écrit :
> Bonjour Marie,"""

FR_OUTLOOK = """La taille ne convient pas.

-------- Message d'origine --------
De : Support <support@shop.fr>
Envoyé : lundi 4 mars 2024
Ancien message"""

FORWARD_ONLY = """---------- Forwarded message ---------
From: Bob <b@x.com>
Date: Mon, 4 Mar 2024
Subject: Broken item

The lamp is broken"""

SIGNATURE_DASHES = """Thanks, the parcel arrived!

--
Jane Doe
www.jane.example"""

THANKS_NOT_SIGNATURE = """Thanks,
I still have not received the refund for the jacket and it has been three weeks now.
Could you check please?"""

HTML_GMAIL = (
    '<html><head><style>p{color:red}</style></head><body><div dir="ltr">Hello,<br>the '
    "<b>mug</b> is&nbsp;broken.</div><br>"
    '<div class="gmail_quote"><div class="gmail_attr">On Mon wrote:</div>'
    "<blockquote>old text</blockquote></div></body></html>"
)
HTML_OUTLOOK = (
    '<html><body><p>Where is my order?</p><div id="divRplyFwdMsg"><b>From:</b> Shop</div>'
    "<div>Old reply</div></body></html>"
)


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        (EN_GMAIL, "Hi,\nMy parcel never arrived."),
        (EN_WRAPPED_ATTRIBUTION, "The zip broke again."),
        (EN_OUTLOOK, "Please refund me, the mug is cracked."),
        (EN_ORIGINAL_MESSAGE, "Still waiting for an answer!"),
        (DE_OUTLOOK, "Hallo,\ndie Jacke ist kaputt."),
        (DE_APPLE, "Wo bleibt mein Paket?"),
        (FR_GMAIL, "Bonjour,\nJe n'ai pas reçu ma commande."),
        (FR_OUTLOOK, "La taille ne convient pas."),
        (FORWARD_ONLY, "The lamp is broken"),
        (SIGNATURE_DASHES, "Thanks, the parcel arrived!"),
        ("Where is my order?\n\nSent from my iPhone", "Where is my order?"),
        ("Où est mon colis ?\nEnvoyé de mon iPhone", "Où est mon colis ?"),
        ("Where is it?\n\nGet Outlook for iOS", "Where is it?"),
        (THANKS_NOT_SIGNATURE, THANKS_NOT_SIGNATURE),
        (HTML_GMAIL, "Hello,\nthe mug is broken."),
        (HTML_OUTLOOK, "Where is my order?"),
        ("  lots   of\t\tspace \r\n\r\n\r\nnext\u200b line  ", "lots of space\nnext line"),
        ("", ""),
    ],
)
def test_clean_for_classification(raw: str, expected: str) -> None:
    assert clean_for_classification(raw) == expected


def test_html_to_text_keeps_quotes_when_asked() -> None:
    assert normalize_whitespace(html_to_text(HTML_GMAIL, drop_quotes=False)) == (
        "Hello,\nthe mug is broken.\nOn Mon wrote:\nold text"
    )


@pytest.mark.parametrize(
    ("subject", "headers", "body", "expected"),
    [
        ("Out of Office: Re: your order", {}, "", True),
        ("Automatic reply: Order 1234", None, "", True),
        ("Abwesenheitsnotiz: Ihre Bestellung", None, "", True),
        ("Réponse automatique : commande", None, "", True),
        ("Respuesta automática", None, "", True),
        ("Re: order", {"Auto-Submitted": "auto-replied"}, "", True),
        ("Re: order", {"auto-submitted": "auto-generated"}, "", True),
        ("Re: order", {"X-Autoreply": "yes"}, "", True),
        ("Re: order", {"Precedence": "bulk"}, "", True),
        ("Re: order", {"Precedence": "auto_reply"}, "", True),
        ("Re: order", {}, "I am currently out of the office until Monday.", True),
        ("Re: order", {}, "Ich bin bis 12.03. nicht im Büro.", True),
        ("Re: order", {"Auto-Submitted": "no"}, "Where is my parcel?", False),
        ("Where is my order?", {}, "It has not arrived.", False),
        ("Office chair broken", {}, "The office chair arrived broken.", False),
    ],
)
def test_is_auto_reply(
    subject: str, headers: dict[str, str] | None, body: str, expected: bool
) -> None:
    assert is_auto_reply(subject, headers, body) is expected


@pytest.mark.parametrize(
    ("subject", "headers", "body", "sender", "expected"),
    [
        ("Undeliverable: Your order", None, "", "", True),
        ("Undelivered Mail Returned to Sender", None, "", "", True),
        ("Delivery Status Notification (Failure)", None, "", "", True),
        ("Mail delivery failed: returning message to sender", None, "", "", True),
        ("Unzustellbar: Ihre Bestellung", None, "", "", True),
        ("hello", {"From": "MAILER-DAEMON@mx.example.com"}, "", "", True),
        ("hello", None, "", "postmaster@example.com", True),
        ("hello", {"X-Failed-Recipients": "a@b.com"}, "", "", True),
        (
            "hello",
            {"Content-Type": 'multipart/report; report-type="delivery-status"'},
            "",
            "",
            True,
        ),
        ("Returned", None, "550 5.1.1 user unknown", "", True),
        ("Re: my order", None, "Your message could not be delivered? I got that error", "", False),
        ("Where is my order", None, "It was not delivered yet.", "jo@example.com", False),
    ],
)
def test_is_bounce(
    subject: str, headers: dict[str, str] | None, body: str, sender: str, expected: bool
) -> None:
    assert is_bounce(subject, headers, body, sender) is expected
