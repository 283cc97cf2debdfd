from __future__ import annotations

from decimal import Decimal

import pytest

from signaldesk.triage.text.entities import (
    DateMention,
    EmailAddress,
    MoneyAmount,
    OrderNumber,
    OrderNumberFormat,
    PhoneNumber,
    SkuMention,
    TrackingNumber,
    extract_entities,
)
from signaldesk.triage.text.products import ProductMatch, build_catalog

STORE = OrderNumberFormat(prefixes=("#", "SD-"), min_digits=4, max_digits=8)


def orders(text: str, fmt: OrderNumberFormat = STORE) -> list[str]:
    return [o.value for o in extract_entities(text, order_format=fmt).order_numbers]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Where is #1234?", ["1234"]),
        ("Where is # 1234?", ["1234"]),
        ("my order 1234 is late", ["1234"]),
        ("Order no. 123456", ["123456"]),
        ("order number: 555123", ["555123"]),
        ("Order Nr. 98765", ["98765"]),
        ("ord-1234", ["1234"]),
        ("order #SD-100234", ["100234"]),
        ("SD-100234 never arrived", ["100234"]),
        ("sd 100234 never arrived", ["100234"]),
        ("SD100234 never arrived", ["100234"]),
        ("Bestellung 45678 fehlt", ["45678"]),
        ("Bestellnummer: 45678", ["45678"]),
        ("commande n° 1234", ["1234"]),
        ("numéro de commande : 77881", ["77881"]),
        ("pedido nº 33445", ["33445"]),
        ("numero d'ordine 99887", ["99887"]),
        ("bestelling 556677", ["556677"]),
        ("Amazon order 123-1234567-1234567", ["123-1234567-1234567"]),
        ("orders 1111 and 2222", ["1111"]),
        ("order no. 2024", ["2024"]),
    ],
)
def test_order_number_forms(text: str, expected: list[str]) -> None:
    assert orders(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "I ordered in 2024",
        "my order 2024 was fine",
        "order 123",
        "order 123456789",
        "I paid 1234 EUR for the order",
        "order €1234",
        "order 1234.50",
        "call me on 07911 123456",
        "1234 is my PIN",
        "email me at order1234@example.com",
        "see https://shop.example.com/order/123456",
        "order 12/03/2024",
        "&#1234;",
        "item 1234",
    ],
)
def test_order_number_false_positives(text: str) -> None:
    assert orders(text) == []


def test_order_format_is_configurable() -> None:
    fmt = OrderNumberFormat(prefixes=("W",), min_digits=6, max_digits=6)
    assert (orders("W123456 and #123456 and order 1234", fmt)) == ["123456"]


def test_order_span() -> None:
    assert extract_entities("Order no. 123456 please").order_numbers == (
        OrderNumber("123456", "123456", 10, 16),
    )


def test_emails() -> None:
    assert extract_entities("Write to Jane.Doe+shop@Example.co.uk or x@y.de").emails == (
        EmailAddress("jane.doe+shop@example.co.uk", 9, 36),
        EmailAddress("x@y.de", 40, 46),
    )


@pytest.mark.parametrize(
    ("text", "language", "expected"),
    [
        ("call me on +44 20 7946 0958", "en", ["+442079460958"]),
        ("call me on 07911 123456", "en", ["+447911123456"]),
        ("my cell is (415) 555-2671", "en", ["+14155552671"]),
        ("Tel. 030 12345678", "de", ["+493012345678"]),
        ("Handy: 0151 23456789", "de", ["+4915123456789"]),
        ("téléphone : 06 12 34 56 78", "fr", ["+33612345678"]),
        ("mi teléfono es 612 345 678", "es", ["+34612345678"]),
        ("cellulare 347 123 4567", "it", ["+393471234567"]),
        ("bel me op 06 12345678", "nl", ["+31612345678"]),
        ("0049 30 901820", "und", ["+4930901820"]),
        ("order 0612345678, phone 0612345679", "nl", ["+31612345679"]),
        ("12345678", "en", []),
        ("the date 12.03.2024", "de", []),
        ("Tracking 1Z999AA10123456784", "en", []),
    ],
)
def test_phones(text: str, language: str, expected: list[str]) -> None:
    assert [p.e164 for p in extract_entities(text, language=language).phones] == expected


def test_phone_record() -> None:
    assert extract_entities("call +44 20 7946 0958").phones == (
        PhoneNumber("+442079460958", "+44 20 7946 0958", 5, 21),
    )


def test_phone_default_region_override() -> None:
    found = extract_entities("phone 0612345678", default_region="FR").phones
    assert [p.e164 for p in found] == ["+33612345678"]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("UPS 1Z999AA10123456784", [("1Z999AA10123456784", "ups")]),
        ("tracking: 1z999aa10123456784", [("1Z999AA10123456784", "ups")]),
        ("USPS 9400 1000 0000 0000 0000 00", [("9400100000000000000000", "usps")]),
        ("number 92001901755477000000000", []),
        ("label 9400100000000000000000", [("9400100000000000000000", "usps")]),
        ("Royal Mail AB123456789GB", [("AB123456789GB", "royal_mail")]),
        ("suivi RR 123 456 789 FR", [("RR123456789FR", "la_poste")]),
        ("Sendung CX123456789DE", [("CX123456789DE", "deutsche_post")]),
        ("DHL 1234567890", [("1234567890", "dhl")]),
        ("tracking number is 1234567890", [("1234567890", "dhl")]),
        ("Sendungsnummer JJD000390000012345678", [("JJD000390000012345678", "dhl")]),
        ("DPD tracking 01234567890123", [("01234567890123", "dpd")]),
        ("GLS: 12345678901", [("12345678901", "gls")]),
        ("FedEx 123456789012", [("123456789012", "fedex")]),
        ("tracking code AB12CD345678", [("AB12CD345678", "unknown")]),
        ("Evri H01ABC0012345678", [("H01ABC0012345678", "evri")]),
        ("tracking for order 12345678", []),
        ("DHL was late, 1234567890 is my number", []),
    ],
)
def test_tracking_numbers(text: str, expected: list[tuple[str, str]]) -> None:
    found = extract_entities(text).tracking_numbers
    assert [(t.value, t.carrier) for t in found] == expected


def test_tracking_record() -> None:
    assert extract_entities("UPS 1Z999AA10123456784").tracking_numbers == (
        TrackingNumber("1Z999AA10123456784", "ups", "1Z999AA10123456784", 4, 22),
    )


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("I paid €12.50", [("12.50", "EUR")]),
        ("12,50 EUR", [("12.50", "EUR")]),
        ("12,50 €", [("12.50", "EUR")]),
        ("49,99€", [("49.99", "EUR")]),
        ("$40", [("40", "USD")]),
        ("£9.99", [("9.99", "GBP")]),
        ("40 dollars", [("40", "USD")]),
        ("20 euros", [("20", "EUR")]),
        ("1.234,56 EUR", [("1234.56", "EUR")]),
        ("$1,234.56", [("1234.56", "USD")]),
        ("USD 15", [("15", "USD")]),
        ("CHF 30.00", [("30.00", "CHF")]),
        ("99 kr", [("99", "SEK")]),
        ("49,99 zł", [("49.99", "PLN")]),
        ("10 quid", [("10", "GBP")]),
        ("$40 and €12", [("40", "USD"), ("12", "EUR")]),
        ("order 1234 €40", [("40", "EUR")]),
        ("I bought 2 items", []),
        ("the 40 euro-pallet", []),
    ],
)
def test_money(text: str, expected: list[tuple[str, str]]) -> None:
    found = extract_entities(text).amounts
    assert [(str(m.amount), m.currency) for m in found] == expected


def test_money_record() -> None:
    assert extract_entities("paid 12,50 EUR").amounts == (
        MoneyAmount(Decimal("12.50"), "EUR", "12,50 EUR", 5, 14),
    )


@pytest.mark.parametrize(
    ("text", "language", "expected"),
    [
        ("ordered on 12.03.2024", "de", [(2024, 3, 12, None)]),
        ("ordered on 12/03/2024", "en", [(2024, 3, 12, None)]),
        ("ordered on 2024-03-12", "en", [(2024, 3, 12, None)]),
        ("ordered on 25/12/23", "en", [(2023, 12, 25, None)]),
        ("on March 5th, 2024", "en", [(2024, 3, 5, None)]),
        ("on 5 May", "en", [(None, 5, 5, None)]),
        ("am 3. März 2024", "de", [(2024, 3, 3, None)]),
        ("le 1er mars 2024", "fr", [(2024, 3, 1, None)]),
        ("el 12 de marzo de 2024", "es", [(2024, 3, 12, None)]),
        ("il 4 luglio", "it", [(None, 7, 4, None)]),
        ("op 7 mei 2024", "nl", [(2024, 5, 7, None)]),
        ("yesterday", "en", [(None, None, None, "yesterday")]),
        ("3 days ago", "en", [(None, None, None, "days_ago")]),
        ("gestern", "de", [(None, None, None, "yesterday")]),
        ("Ich bin hier", "de", []),
        ("hier", "fr", [(None, None, None, "yesterday")]),
        ("la semana pasada", "es", [(None, None, None, "last_week")]),
        ("31/02/2024 is not a date", "en", []),
        ("I got 1 set", "en", []),
    ],
)
def test_dates(text: str, language: str, expected: list[tuple[object, ...]]) -> None:
    found = extract_entities(text, language=language).dates
    assert [(d.year, d.month, d.day, d.relative) for d in found] == expected


def test_month_first_dates() -> None:
    found = extract_entities("on 03/04/2024", day_first=False).dates
    assert found == (DateMention("03/04/2024", 3, 13, 2024, 3, 4),)


CATALOG = build_catalog(
    [
        ("LS-BLU-M", "Linen Shirt", {"color": "Blue", "size": "M"}),
        ("LS-RED-M", "Linen Shirt", {"color": "Red", "size": "M"}),
        ("LS-BLU-L", "Linen Shirt", {"color": "Blue", "size": "L"}),
        ("MUG-01", "Ceramic Coffee Mug", ()),
        ("TEE-9", "Organic Cotton Tee", ("White", "S")),
    ]
)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("the blue linen shirt in size M", [("LS-BLU-M", 100.0, ("Blue", "M"))]),
        ("my linen shirt, the red one", [("LS-RED-M", 100.0, ("Red",))]),
        ("the ceramic cofee mug broke", [("MUG-01", 94.4, ())]),
        ("Coffee mug ceramic", [("MUG-01", 100.0, ())]),
        ("it's a nice shirt", []),
        ("SKU TEE-9 is too small", [("TEE-9", 100.0, ())]),
    ],
)
def test_products(text: str, expected: list[tuple[str, float, tuple[str, ...]]]) -> None:
    found = extract_entities(text, catalog=CATALOG).products
    assert [(p.sku, p.score, p.matched_attributes) for p in found] == expected


def test_product_span() -> None:
    assert extract_entities(
        "Is the Ceramic Coffee Mug dishwasher safe?", catalog=CATALOG
    ).products == (ProductMatch("MUG-01", "Ceramic Coffee Mug", 100.0, (), 7, 25),)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("SKU: AB-1234", [SkuMention("AB-1234", False, 5, 12)]),
        ("Art.-Nr. 4711-02", [SkuMention("4711-02", False, 9, 16)]),
        ("réf. XJ9000", [SkuMention("XJ9000", False, 5, 11)]),
        ("I want ls-blu-m", [SkuMention("LS-BLU-M", True, 7, 15)]),
        ("SKU please", []),
    ],
)
def test_skus(text: str, expected: list[SkuMention]) -> None:
    assert list(extract_entities(text, catalog=CATALOG).skus) == expected


def test_everything_in_one_ticket_without_double_reporting() -> None:
    text = (
        "Hi, order #12345 (placed 12.03.2024) cost €49,99 but never came. DHL 1234567890. "
        "Call me on 07911 123456 or mail jo1234@example.com."
    )
    found = extract_entities(text, language="en")
    assert (
        [o.value for o in found.order_numbers],
        [d.raw for d in found.dates],
        [m.raw for m in found.amounts],
        [t.value for t in found.tracking_numbers],
        [p.e164 for p in found.phones],
        [e.value for e in found.emails],
    ) == (
        ["12345"],
        ["12.03.2024"],
        ["€49,99"],
        ["1234567890"],
        ["+447911123456"],
        ["jo1234@example.com"],
    )
