"""Regexes and lookup tables for :mod:`signaldesk.triage.text.entities` (internal)."""

from __future__ import annotations

import re
from functools import cache
from typing import Final

# --- e-mail, URL, SKU ------------------------------------------------------------------------

# The lookbehind anchors a match at the start of a token, which keeps the scan linear on long
# runs without spaces (otherwise every start position rescans the token: quadratic).
EMAIL_RE: Final = re.compile(
    r"(?<![A-Za-z0-9._%+-])[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}"
)
URL_RE: Final = re.compile(r"https?://\S+|www\.\S+", re.IGNORECASE)
SKU_LABEL_RE: Final = re.compile(
    r"(?<!\w)(?:sku|art(?:ikel)?\.?[\s-]?nr\.?|artikelnummer|item\s+(?:no\.?|number|\#)|"
    r"product\s+code|r[ée]f(?:[ée]rence)?\.?|referencia|codice\s+(?:articolo|prodotto))"
    r"\s*[:#]?\s*(?P<sku>[A-Za-z0-9][A-Za-z0-9\-_./]{2,30})",
    re.IGNORECASE,
)
SKU_TOKEN_RE: Final = re.compile(r"(?<![\w-])[A-Za-z0-9][A-Za-z0-9\-_.]{2,40}(?<![.-])(?![\w-])")

# --- tracking --------------------------------------------------------------------------------

_CARRIERS: Final = (
    r"ups|usps|fed ?ex|dhl(?: express| paket)?|dpd|gls|hermes|evri|royal mail|parcelforce|"
    r"yodel|postnl|colissimo|chronopost|la poste|correos|seur|mrw|brt|sda|poste italiane|"
    r"bpost|tnt|inpost|deutsche post|postnord|canada post|australia post|an post"
)
CARRIER_RE: Final = re.compile(rf"(?<!\w)(?:{_CARRIERS})(?!\w)", re.IGNORECASE)
TRACKING_CUE_RE: Final = re.compile(
    rf"(?<!\w)(?:{_CARRIERS}|tracking(?:[\s-]*(?:number|no|nr|code|id|ref))?|"
    r"track(?:ing)?\s*(?:&|and|\+|n)\s*trace|sendungs(?:nummer|verfolgung|nr)|trackingnummer|"
    r"paketnummer|num[ée]ro de suivi|n[°º] de suivi|suivi|n[úu]mero de (?:seguimiento|env[íi]o)|"
    r"seguimiento|codice (?:di )?(?:tracciamento|tracking|spedizione)|tracciamento|"
    r"zendingnummer|track(?:ing)?code|(?:air ?)?waybill|awb|consignment(?: number)?|"
    r"parcel (?:number|id))(?!\w)",
    re.IGNORECASE,
)
TOKEN_RE: Final = re.compile(r"\w+")
SENTENCE_END_RE: Final = re.compile(r"[!?\n,;]|\.\s+[A-Z]")
ORDER_WORDS: Final = frozenset(
    {"order", "ord", "bestellung", "commande", "pedido", "ordine", "bestelling", "encomenda",
     "auftrag", "phone", "tel", "call", "sku", "item"}
)  # fmt: skip
TRACKING_STRONG: Final[tuple[tuple[re.Pattern[str], str], ...]] = (
    (re.compile(r"(?<![A-Za-z0-9])1Z[0-9A-Z]{16}(?![A-Za-z0-9])", re.IGNORECASE), "ups"),
    (re.compile(r"(?<![A-Za-z0-9])JJD\d{16,20}(?![A-Za-z0-9])", re.IGNORECASE), "dhl"),
    (
        re.compile(
            r"(?<![A-Za-z0-9])[A-Z]{2} ?\d{3} ?\d{3} ?\d{3} ?[A-Z]{2}(?![A-Za-z0-9])", re.IGNORECASE
        ),
        "s10",
    ),
    (re.compile(r"(?<![\d.,/-])(?:\d ?){19,21}\d(?![\d])"), "usps"),
)
S10_COUNTRY_CARRIER: Final = {
    "GB": "royal_mail", "US": "usps", "DE": "deutsche_post", "FR": "la_poste", "NL": "postnl",
    "ES": "correos", "IT": "poste_italiane", "BE": "bpost", "SE": "postnord", "DK": "postnord",
    "PL": "poczta_polska", "CH": "swiss_post", "AT": "austrian_post", "IE": "an_post",
    "CN": "china_post", "CA": "canada_post", "AU": "australia_post",
}  # fmt: skip
DIGIT_LENGTH_CARRIER: Final = {10: "dhl", 12: "fedex", 15: "fedex", 14: "dpd"}


def carrier_name(raw: str) -> str:
    name = " ".join(raw.lower().split())
    if name.startswith("dhl"):
        return "dhl"
    return name.replace("fed ex", "fedex").replace(" ", "_")


def is_tracking_token(token: str) -> bool:
    digits = sum(ch.isdigit() for ch in token)
    return 8 <= len(token) <= 30 and token.isascii() and token.isalnum() and digits >= 6


# --- dates -----------------------------------------------------------------------------------

MONTHS: Final[dict[str, int]] = {
    # en
    "january": 1, "february": 2, "march": 3, "april": 4, "may": 5, "june": 6, "july": 7,
    "august": 8, "september": 9, "october": 10, "november": 11, "december": 12,
    "jan": 1, "feb": 2, "mar": 3, "apr": 4, "jun": 6, "jul": 7, "aug": 8, "sep": 9, "sept": 9,
    "oct": 10, "nov": 11, "dec": 12,
    # de
    "januar": 1, "jänner": 1, "februar": 2, "märz": 3, "maerz": 3, "mai": 5, "juni": 6,
    "juli": 7, "oktober": 10, "dezember": 12, "okt": 10, "dez": 12,
    # fr
    "janvier": 1, "février": 2, "fevrier": 2, "mars": 3, "avril": 4, "juin": 6, "juillet": 7,
    "août": 8, "aout": 8, "septembre": 9, "octobre": 10, "novembre": 11, "décembre": 12,
    "decembre": 12, "janv": 1, "févr": 2, "déc": 12,
    # es
    "enero": 1, "febrero": 2, "marzo": 3, "abril": 4, "mayo": 5, "junio": 6, "julio": 7,
    "agosto": 8, "septiembre": 9, "setiembre": 9, "octubre": 10, "noviembre": 11,
    "diciembre": 12,
    # it
    "gennaio": 1, "febbraio": 2, "aprile": 4, "maggio": 5, "giugno": 6, "luglio": 7,
    "settembre": 9, "ottobre": 10, "dicembre": 12,
    # nl
    "januari": 1, "februari": 2, "maart": 3, "mei": 5, "augustus": 8, "mrt": 3,
}  # fmt: skip
_MONTH_ALT: Final = "|".join(sorted(MONTHS, key=len, reverse=True))
ISO_DATE_RE: Final = re.compile(
    r"(?<![\d-])(?P<y>\d{4})([-/])(?P<m>\d{1,2})\2(?P<d>\d{1,2})(?![\d-])"
)
NUMERIC_DATE_RE: Final = re.compile(
    r"(?<![\d.,/-])(?P<a>\d{1,2})(?P<sep>[./-])(?P<b>\d{1,2})(?P=sep)(?P<y>\d{4}|\d{2})"
    r"(?!\d|[./-]\d)"
)
DAY_MONTH_RE: Final = re.compile(
    rf"(?<!\w)(?P<d>\d{{1,2}})(?:st|nd|rd|th|er|\.|º)?\s+(?:of\s+|de\s+)?(?P<mon>{_MONTH_ALT})\.?"
    r"(?:,?\s+(?:de\s+)?(?P<y>\d{4}))?(?!\w)",
    re.IGNORECASE,
)
MONTH_DAY_RE: Final = re.compile(
    rf"(?<!\w)(?P<mon>{_MONTH_ALT})\.?\s+(?P<d>\d{{1,2}})(?:st|nd|rd|th)?(?!\d)"
    r"(?:,?\s+(?P<y>\d{4}))?(?!\w)",
    re.IGNORECASE,
)
_RELATIVE: Final[tuple[tuple[str, str, str], ...]] = (
    ("en", r"yesterday", "yesterday"), ("en", r"today", "today"), ("en", r"tomorrow", "tomorrow"),
    ("en", r"last week|a week ago", "last_week"), ("en", r"last month", "last_month"),
    ("en", r"\d+ days ago", "days_ago"),
    ("de", r"gestern", "yesterday"), ("de", r"heute", "today"), ("de", r"morgen", "tomorrow"),
    ("de", r"letzte[n]? woche|vorige[n]? woche", "last_week"),
    ("de", r"letzte[n]? monat", "last_month"), ("de", r"vor \d+ tagen", "days_ago"),
    ("fr", r"hier", "yesterday"), ("fr", r"aujourd['’]hui", "today"), ("fr", r"demain", "tomorrow"),
    ("fr", r"la semaine derni[èe]re", "last_week"), ("fr", r"le mois dernier", "last_month"),
    ("fr", r"il y a \d+ jours", "days_ago"),
    ("es", r"ayer", "yesterday"), ("es", r"hoy", "today"), ("es", r"ma[ñn]ana", "tomorrow"),
    ("es", r"la semana pasada", "last_week"), ("es", r"el mes pasado", "last_month"),
    ("es", r"hace \d+ d[íi]as", "days_ago"),
    ("it", r"ieri", "yesterday"), ("it", r"oggi", "today"), ("it", r"domani", "tomorrow"),
    ("it", r"la settimana scorsa", "last_week"), ("it", r"il mese scorso", "last_month"),
    ("it", r"\d+ giorni fa", "days_ago"),
    ("nl", r"gisteren", "yesterday"), ("nl", r"vandaag", "today"), ("nl", r"morgen", "tomorrow"),
    ("nl", r"vorige week", "last_week"), ("nl", r"vorige maand", "last_month"),
    ("nl", r"\d+ dagen geleden", "days_ago"),
)  # fmt: skip
# Ordinary words in another language ("hier" = here in German/Dutch, "morgen" = morning).
_RELATIVE_LOCAL: Final = frozenset({r"hier", r"morgen"})


@cache
def relative_date_re(language: str) -> re.Pattern[str]:
    known = {code for code, _, _ in _RELATIVE}
    if language in known:
        chosen = [p for code, p, _ in _RELATIVE if code in ("en", language)]
        if language != "en":
            chosen = [p for p in chosen if p not in _RELATIVE_LOCAL or _owner(p) == language]
    else:
        chosen = [p for _, p, _ in _RELATIVE if p not in _RELATIVE_LOCAL]
    return re.compile(rf"(?<!\w)(?:{'|'.join(chosen)})(?!\w)", re.IGNORECASE)


def _owner(pattern: str) -> str:
    return next(code for code, p, _ in _RELATIVE if p == pattern)


def relative_kind(raw: str) -> str:
    for _, pattern, kind in _RELATIVE:
        if re.fullmatch(pattern, raw, re.IGNORECASE):
            return kind
    return "unknown"


# --- money -----------------------------------------------------------------------------------

_NUM: Final = r"\d{1,3}(?:[.,'\u00a0\u202f]\d{3})+(?:[.,]\d{1,2})?|\d+(?:[.,]\d{1,2})?"
_CODES: Final = r"EUR|USD|GBP|CHF|SEK|PLN|NOK|DKK|AUD|CAD"
MONEY_BEFORE_RE: Final = re.compile(
    rf"(?<![\w$€£])(?P<cur>US\$|AU?\$|CA?\$|[€$£]|(?:{_CODES})(?=\s?\d))\s?(?P<num>{_NUM})"
    r"(?!\d|[.,]\d)"
)
MONEY_AFTER_RE: Final = re.compile(
    rf"(?<![\w.,$€£])(?P<num>{_NUM})\s?(?P<cur>€|{_CODES}|zł|euros?|dollars?|bucks|quid|"
    r"pounds sterling|kr|złotych|zlotys?|kronor)(?![\w-])",
    re.IGNORECASE,
)
_CURRENCY: Final = {
    "€": "EUR", "$": "USD", "us$": "USD", "£": "GBP", "a$": "AUD", "au$": "AUD", "c$": "CAD",
    "ca$": "CAD", "zł": "PLN", "euro": "EUR", "euros": "EUR", "dollar": "USD", "dollars": "USD",
    "bucks": "USD", "quid": "GBP", "pounds sterling": "GBP", "kr": "SEK", "kronor": "SEK",
    "złotych": "PLN", "zloty": "PLN", "zlotys": "PLN",
}  # fmt: skip


def currency_code(raw: str) -> str | None:
    lowered = raw.lower()
    if lowered.upper() in _CODES.split("|"):
        return lowered.upper()
    return _CURRENCY.get(lowered)


# --- orders ----------------------------------------------------------------------------------

MARKETPLACE_ORDER_RE: Final = re.compile(r"(?<![\d-])\d{3}-\d{7}-\d{7}(?![\d-])")
_ORDER_KW: Final = (
    r"orders?|ordr|ord|bestellung(?:snummer)?|bestellnummer|bestell-?nr|auftrag(?:snummer)?|"
    r"auftragsnr|commande|cde|pedido|ordine|bestelling|bestelnummer|ordernummer|encomenda|"
    r"zam[óo]wienie"
)
_ORDER_MARKER: Final = (
    r"(?P<marker>(?:[\s:#.\-]+|(?:number|num|no|nr|n[°º]|id|ref(?:erence)?|nummer|num[ée]ro|"
    r"n[úu]mero|is|ist|est|es|de|d['’]ordine)(?![^\W\d_]))*)"
)


@cache
def order_regexes(
    prefixes: tuple[str, ...], min_digits: int, max_digits: int
) -> tuple[re.Pattern[str], re.Pattern[str] | None]:
    """(keyword-cued regex, prefix regex or None) for a store's order-number format."""
    digits = rf"(?P<digits>\d{{{min_digits},{max_digits}}})(?!\d|[.,]\d)"
    alpha = [p.rstrip("- ") for p in prefixes if p.strip("#- ")]
    alpha_alt = "|".join(re.escape(p) for p in alpha)
    prefix_group = rf"(?P<prefix>(?:{alpha_alt})[\s-]?)?" if alpha else r"(?P<prefix>)"
    keyword = re.compile(
        rf"(?<!\w)(?:{_ORDER_KW})(?!\w){_ORDER_MARKER}(?P<num>{prefix_group}{digits})",
        re.IGNORECASE,
    )
    parts = []
    if any(p.strip() == "#" for p in prefixes):
        parts.append(r"(?<![\w#&])#\s?")
    if alpha:
        parts.append(rf"(?<!\w)(?:{alpha_alt})[\s-]?")
    if not parts:
        return keyword, None
    prefixed = re.compile(rf"(?:{'|'.join(parts)}){digits}", re.IGNORECASE)
    return keyword, prefixed


# --- phones ----------------------------------------------------------------------------------

MAY_HAVE_PHONE_RE: Final = re.compile(r"\d[\d \t().\-/]{5,}\d")
PHONE_CANDIDATE_RE: Final = re.compile(r"(?<![\w+])(?:\+|\b00)?\(?\d[\d \t().\-/]{5,20}\d(?!\w)")
PHONE_CUE_RE: Final = re.compile(
    r"(?<!\w)(?:call|phone|tel(?:ephone)?|mobile|cell|number|reach me|whatsapp|sms|text me|"
    r"handy|telefon|rufnummer|mobil|t[ée]l[ée]phone|t[ée]l|portable|tel[ée]fono|m[óo]vil|"
    r"cellulare|telefoon|mobiel|bel me|appelez|ll[áa]mame|chiamami)(?!\w)",
    re.IGNORECASE,
)
_PHONE_REGIONS: Final[dict[str, tuple[str, ...]]] = {
    "en": ("US", "GB", "IE", "AU", "CA"), "de": ("DE", "AT", "CH"), "fr": ("FR", "BE", "CH"),
    "es": ("ES",), "it": ("IT",), "nl": ("NL", "BE"), "pt": ("PT", "BR"), "sv": ("SE",),
    "pl": ("PL",),
}  # fmt: skip
_DEFAULT_REGIONS: Final = ("US", "GB", "DE", "FR", "ES", "IT", "NL")


def phone_regions(language: str) -> tuple[str, ...]:
    return _PHONE_REGIONS.get(language, _DEFAULT_REGIONS)
