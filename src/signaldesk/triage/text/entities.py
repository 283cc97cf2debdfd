"""Entity extraction from customer text: order/tracking/phone numbers, e-mails, money, dates,
SKUs and catalog products, each with its character span in the input.

Every span is reported at most once. Extractors run in this order and each skips text already
claimed by an earlier one: e-mails → SKUs → tracking numbers → dates → money → order numbers →
phones (URLs block dates, money, orders and phones). So "order 0612345678" is an order, not a
phone; "€1234" and "2024" are never orders; digits inside an e-mail are nothing.

Order numbers (:class:`OrderNumberFormat` makes the store's pattern configurable):

* after an order keyword ("order", "order no.", "ord-", "Bestellung", "commande n°", "pedido",
  "ordine", "bestelling" …) – bare 4-digit years 1990–2039 are skipped unless a number marker
  ("#", "no.", "n°" …) is present;
* with a configured prefix anywhere ("#1234", "SD-100234", "sd 100234");
* marketplace ids ``123-1234567-1234567``.

Phones are E.164-normalised with ``phonenumbers``. A national number needs either separators
("07911 123456") or a cue word ("call", "Tel.", "téléphone" …) before it; the region comes from
``default_region`` or the language (en→US, then GB/IE/AU/CA are tried).

Tracking numbers: UPS ``1Z…``, UPU S10 (``AA123456789GB`` → carrier by country), DHL ``JJD…``,
USPS 20–22 digits, and any 8–30 character token with ≥ 6 digits right after a carrier name or a
tracking keyword (10 digits → dhl, 12/15 → fedex, 14 → dpd when no carrier is named).
"""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Final

import phonenumbers

from signaldesk.triage.text import _entity_patterns as P
from signaldesk.triage.text.products import (
    DEFAULT_THRESHOLD,
    Catalog,
    ProductMatch,
    match_products,
)

__all__ = [
    "DEFAULT_ORDER_FORMAT",
    "DateMention",
    "EmailAddress",
    "Entities",
    "MoneyAmount",
    "OrderNumber",
    "OrderNumberFormat",
    "PhoneNumber",
    "SkuMention",
    "TrackingNumber",
    "extract_entities",
]


@dataclass(frozen=True, slots=True)
class OrderNumberFormat:
    """Store order-number pattern: literal ``prefixes`` ("#", "SD-") and the digit count range."""

    prefixes: tuple[str, ...] = ("#",)
    min_digits: int = 4
    max_digits: int = 10


DEFAULT_ORDER_FORMAT: Final = OrderNumberFormat()


@dataclass(frozen=True, slots=True)
class OrderNumber:
    value: str  # digits only (marketplace ids keep their dashes)
    raw: str
    start: int
    end: int


@dataclass(frozen=True, slots=True)
class EmailAddress:
    value: str  # lower-cased
    start: int
    end: int


@dataclass(frozen=True, slots=True)
class PhoneNumber:
    e164: str
    raw: str
    start: int
    end: int


@dataclass(frozen=True, slots=True)
class TrackingNumber:
    value: str  # upper-case, spaces removed
    carrier: str  # "ups", "usps", "dhl", "royal_mail", … or "unknown"
    raw: str
    start: int
    end: int


@dataclass(frozen=True, slots=True)
class MoneyAmount:
    amount: Decimal
    currency: str  # ISO 4217
    raw: str
    start: int
    end: int


@dataclass(frozen=True, slots=True)
class DateMention:
    """An absolute (``day``/``month``/``year``, year may be missing) or ``relative`` date."""

    raw: str
    start: int
    end: int
    year: int | None = None
    month: int | None = None
    day: int | None = None
    relative: str | None = None  # "yesterday", "today", "tomorrow", "last_week", "days_ago"


@dataclass(frozen=True, slots=True)
class SkuMention:
    sku: str
    in_catalog: bool
    start: int
    end: int


@dataclass(frozen=True, slots=True)
class Entities:
    order_numbers: tuple[OrderNumber, ...] = ()
    emails: tuple[EmailAddress, ...] = ()
    phones: tuple[PhoneNumber, ...] = ()
    tracking_numbers: tuple[TrackingNumber, ...] = ()
    amounts: tuple[MoneyAmount, ...] = ()
    dates: tuple[DateMention, ...] = ()
    skus: tuple[SkuMention, ...] = ()
    products: tuple[ProductMatch, ...] = ()


class _Claims:
    def __init__(self) -> None:
        self.spans: list[tuple[int, int]] = []

    def free(self, start: int, end: int, extra: list[tuple[int, int]] | None = None) -> bool:
        spans = self.spans if extra is None else self.spans + extra
        return all(end <= s or start >= e for s, e in spans)

    def take(self, start: int, end: int) -> None:
        self.spans.append((start, end))


# --- e-mails, SKUs ---------------------------------------------------------------------------


def _emails(text: str, claims: _Claims) -> list[EmailAddress]:
    found = []
    for match in P.EMAIL_RE.finditer(text):
        claims.take(match.start(), match.end())
        found.append(EmailAddress(match.group().lower(), match.start(), match.end()))
    return found


def _skus(text: str, catalog: Catalog | None, claims: _Claims) -> list[SkuMention]:
    found: list[SkuMention] = []
    for match in P.SKU_LABEL_RE.finditer(text):
        sku = match.group("sku").upper().rstrip(".-/")
        start = match.start("sku")
        end = start + len(sku)
        if not any(ch.isdigit() for ch in sku) or not claims.free(start, end):
            continue
        in_catalog = catalog is not None and sku in catalog.sku_index
        claims.take(start, end)
        found.append(SkuMention(sku, in_catalog, start, end))
    if catalog is not None and catalog.sku_index:
        for match in P.SKU_TOKEN_RE.finditer(text):
            sku = match.group().upper()
            if sku in catalog.sku_index and claims.free(match.start(), match.end()):
                claims.take(match.start(), match.end())
                found.append(SkuMention(sku, True, match.start(), match.end()))
    return found


# --- tracking --------------------------------------------------------------------------------


def _s10_carrier(value: str) -> str:
    return P.S10_COUNTRY_CARRIER.get(value[-2:], "postal")


def _carrier_near(text: str, start: int, end: int) -> str | None:
    window = text[max(0, start - 40) : end + 25]
    match = P.CARRIER_RE.search(window)
    return P.carrier_name(match.group()) if match else None


def _guess_by_length(value: str) -> str:
    if value.isdigit():
        return P.DIGIT_LENGTH_CARRIER.get(len(value), "unknown")
    return "unknown"


def _tracking(text: str, claims: _Claims) -> list[TrackingNumber]:
    found: list[TrackingNumber] = []

    def add(value: str, carrier: str, start: int, end: int) -> None:
        if claims.free(start, end):
            claims.take(start, end)
            found.append(TrackingNumber(value, carrier, text[start:end], start, end))

    for regex, carrier in P.TRACKING_STRONG:
        for match in regex.finditer(text):
            value = re.sub(r"\s", "", match.group()).upper()
            if carrier == "usps" and not 20 <= len(value) <= 22:
                continue
            if carrier == "s10":
                name = _s10_carrier(value)
            elif carrier == "usps":
                name = _carrier_near(text, match.start(), match.end()) or "usps"
            else:
                name = carrier
            add(value, name, match.start(), match.end())
    for cue in P.TRACKING_CUE_RE.finditer(text):
        words = P.TOKEN_RE.finditer(text, cue.end(), min(len(text), cue.end() + 60))
        for skipped, word in enumerate(words):
            token = word.group()
            if P.SENTENCE_END_RE.search(text, cue.end(), word.start()):
                break
            if P.is_tracking_token(token):
                value = token.upper()
                named: str | None = (
                    P.carrier_name(cue.group())
                    if P.CARRIER_RE.fullmatch(cue.group())
                    else _carrier_near(text, cue.start(), word.end())
                )
                add(value, named or _guess_by_length(value), word.start(), word.end())
                break
            if skipped >= 4 or token.lower() in P.ORDER_WORDS:
                break
    return found


# --- dates -----------------------------------------------------------------------------------


def _valid_date(year: int | None, month: int, day: int) -> bool:
    if not (1 <= month <= 12 and 1 <= day <= 31):
        return False
    if year is not None and not 1900 <= year <= 2100:
        return False
    return day <= calendar.monthrange(year or 2000, month)[1]


def _full_year(raw: str) -> int:
    year = int(raw)
    return year + 2000 if len(raw) == 2 else year


def _dates(
    text: str, language: str, day_first: bool, claims: _Claims, blocked: list[tuple[int, int]]
) -> list[DateMention]:
    found: list[DateMention] = []

    def add(match: re.Match[str], year: int | None, month: int, day: int) -> None:
        if _valid_date(year, month, day) and claims.free(match.start(), match.end(), blocked):
            claims.take(match.start(), match.end())
            found.append(DateMention(match.group(), match.start(), match.end(), year, month, day))

    for match in P.ISO_DATE_RE.finditer(text):
        add(match, int(match["y"]), int(match["m"]), int(match["d"]))
    for match in P.NUMERIC_DATE_RE.finditer(text):
        first, second = int(match["a"]), int(match["b"])
        if first > 12 or (day_first and second <= 12):
            day, month = first, second
        else:
            day, month = second, first
        add(match, _full_year(match["y"]), month, day)
    for match in P.DAY_MONTH_RE.finditer(text):
        year = int(match["y"]) if match["y"] else None
        add(match, year, P.MONTHS[match["mon"].lower().rstrip(".")], int(match["d"]))
    for match in P.MONTH_DAY_RE.finditer(text):
        year = int(match["y"]) if match["y"] else None
        add(match, year, P.MONTHS[match["mon"].lower().rstrip(".")], int(match["d"]))
    for match in P.relative_date_re(language).finditer(text):
        if claims.free(match.start(), match.end(), blocked):
            claims.take(match.start(), match.end())
            relative = P.relative_kind(match.group())
            found.append(DateMention(match.group(), match.start(), match.end(), relative=relative))
    found.sort(key=lambda d: d.start)
    return found


# --- money -----------------------------------------------------------------------------------


def _parse_amount(raw: str) -> Decimal | None:
    number = raw.replace("\u00a0", "").replace("\u202f", "").replace("'", "")
    if "," in number and "." in number:
        decimal_sep = "," if number.rfind(",") > number.rfind(".") else "."
        thousands = "." if decimal_sep == "," else ","
        number = number.replace(thousands, "").replace(decimal_sep, ".")
    elif "," in number or "." in number:
        sep = "," if "," in number else "."
        parts = number.split(sep)
        if len(parts) == 2 and len(parts[1]) in (1, 2):
            number = parts[0] + "." + parts[1]
        else:
            number = "".join(parts)
    try:
        return Decimal(number)
    except InvalidOperation:
        return None


def _amounts(text: str, claims: _Claims, blocked: list[tuple[int, int]]) -> list[MoneyAmount]:
    found: list[MoneyAmount] = []
    for regex in (P.MONEY_BEFORE_RE, P.MONEY_AFTER_RE):
        for match in regex.finditer(text):
            amount = _parse_amount(match["num"])
            currency = P.currency_code(match["cur"])
            if amount is None or currency is None:
                continue
            if claims.free(match.start(), match.end(), blocked):
                claims.take(match.start(), match.end())
                found.append(MoneyAmount(amount, currency, match.group(), *match.span()))
    found.sort(key=lambda m: m.start)
    return found


# --- order numbers ---------------------------------------------------------------------------


def _orders(
    text: str, fmt: OrderNumberFormat, claims: _Claims, blocked: list[tuple[int, int]]
) -> list[OrderNumber]:
    found: list[OrderNumber] = []

    def add(value: str, start: int, end: int) -> None:
        if claims.free(start, end, blocked):
            claims.take(start, end)
            found.append(OrderNumber(value, text[start:end], start, end))

    for match in P.MARKETPLACE_ORDER_RE.finditer(text):
        add(match.group(), *match.span())
    keyword_re, prefix_re = P.order_regexes(fmt.prefixes, fmt.min_digits, fmt.max_digits)
    for match in keyword_re.finditer(text):
        digits = match["digits"]
        explicit = bool(match["prefix"]) or bool(re.search(r"[#°º]|[^\W\d_]", match["marker"]))
        if not explicit and len(digits) == 4 and 1990 <= int(digits) <= 2039:
            continue
        add(digits, match.start("num"), match.end("num"))
    if prefix_re is not None:
        for match in prefix_re.finditer(text):
            add(match["digits"], *match.span())
    found.sort(key=lambda o: o.start)
    return found


# --- phones ----------------------------------------------------------------------------------


def _phones(
    text: str,
    regions: tuple[str, ...],
    claims: _Claims,
    blocked: list[tuple[int, int]],
) -> list[PhoneNumber]:
    found: list[PhoneNumber] = []
    masked = list(text)
    for start, end in claims.spans + blocked:
        masked[start:end] = "x" * (end - start)
    for match in P.PHONE_CANDIDATE_RE.finditer("".join(masked)):
        raw = text[match.start() : match.end()].rstrip(".-/ ")
        start, end = match.start(), match.start() + len(raw)
        digits = re.sub(r"\D", "", raw)
        if not 7 <= len(digits) <= 15 or not claims.free(start, end, blocked):
            continue
        international = raw.startswith(("+", "00"))
        separated = bool(re.search(r"[\s().\-/]", raw))
        cued = bool(P.PHONE_CUE_RE.search(text, max(0, start - 40), start))
        if not (international or separated or cued):
            continue
        number = _parse_phone("+" + raw[2:] if raw.startswith("00") else raw, regions)
        if number is None:
            continue
        claims.take(start, end)
        e164 = phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)
        found.append(PhoneNumber(e164, raw, start, end))
    return found


def _parse_phone(raw: str, regions: tuple[str, ...]) -> phonenumbers.PhoneNumber | None:
    for region in regions if not raw.startswith("+") else (None,):
        try:
            number = phonenumbers.parse(raw, region)
        except phonenumbers.NumberParseException:
            continue
        if phonenumbers.is_valid_number(number):
            return number
    return None


# --- public ----------------------------------------------------------------------------------


def extract_entities(
    text: str,
    *,
    language: str = "und",
    order_format: OrderNumberFormat = DEFAULT_ORDER_FORMAT,
    catalog: Catalog | None = None,
    product_threshold: float = DEFAULT_THRESHOLD,
    default_region: str | None = None,
    day_first: bool = True,
) -> Entities:
    """Extract all entities from ``text``; see the module docstring for the rules.

    ``day_first`` decides ambiguous numeric dates (03/04/2024); ``default_region`` (ISO 3166
    alpha-2) is used for national phone numbers, otherwise it is derived from ``language``.
    """
    claims = _Claims()
    urls = [m.span() for m in P.URL_RE.finditer(text)]
    emails = _emails(text, claims)
    skus = _skus(text, catalog, claims)
    tracking = _tracking(text, claims)
    dates = _dates(text, language, day_first, claims, urls)
    amounts = _amounts(text, claims, urls)
    orders = _orders(text, order_format, claims, urls)
    regions = (default_region,) if default_region else P.phone_regions(language)
    phones = _phones(text, regions, claims, urls) if P.MAY_HAVE_PHONE_RE.search(text) else []
    products: list[ProductMatch] = []
    if catalog is not None:
        products = match_products(text, catalog, product_threshold)
        seen = {product.sku for product in products}
        for sku in skus:
            if sku.in_catalog and sku.sku not in seen:
                item = catalog.items[catalog.sku_index[sku.sku]]
                products.append(ProductMatch(item.sku, item.title, 100.0, (), sku.start, sku.end))
                seen.add(sku.sku)
        products.sort(key=lambda p: (-p.score, -len(p.matched_attributes), p.sku))
    return Entities(
        order_numbers=tuple(orders),
        emails=tuple(emails),
        phones=tuple(phones),
        tracking_numbers=tuple(sorted(tracking, key=lambda t: t.start)),
        amounts=tuple(amounts),
        dates=tuple(dates),
        skus=tuple(sorted(skus, key=lambda s: s.start)),
        products=tuple(products),
    )
