"""Word patterns of the guardrails (en/de/fr/es), kept apart from the checks so they can grow.

A *promise* is a commitment cue ("we will", "I've", "you'll receive", "wir werden", "nous
allons", "vamos a", Spanish -remos futures …) followed within the same sentence (60 chars) by an
action word of one kind, with no negation in between; or an action word followed by a passive
completion ("refund has been issued", "Ersatz ist unterwegs", "remboursement a été effectué").
"""

from __future__ import annotations

import re
from typing import Final

_I = re.IGNORECASE | re.UNICODE

COMMITMENT_RE: Final = re.compile(
    r"\b(?:"
    # en
    r"(?:we|i)(?:'ll|’ll| will| shall|'ve|’ve| have| are going to| am going to|'m going to"
    r"|’m going to|'re going to|’re going to| can offer| would like to offer| are sending"
    r"|'re sending|’re sending| am sending|'m sending|’m sending| just)"
    r"|you(?:'ll|’ll| will) (?:receive|get|be)|you are getting|here is (?:a|your)"
    # de
    r"|(?:wir|ich) (?:werden|haben|habe|erstatten|senden|schicken|veranlassen|schreiben|bieten)"
    r"|sie (?:erhalten|bekommen)"
    # fr
    r"|nous allons|nous avons|je vais|j['’]ai|nous vous|je vous|vous recevrez|vous allez recevoir"
    r"|vous serez"
    # es
    r"|vamos a|voy a|hemos|he|recibir[aá]s?|recibir[aá]n|le daremos|te daremos"
    r"|\w+(?:aremos|eremos|iremos)"
    r")\b",
    _I,
)

PASSIVE_RE: Final = re.compile(
    r"\b(?:(?:is|are|ist|sind|est|está)\s+(?:on (?:its|their|the) way|unterwegs|en route|"
    r"en camino)|(?:has been|have been|was|were|will be|wird|wurde|a été|sera|ha sido|"
    r"será|fue)\s+(?:already\s+|bereits\s+|déjà\s+|ya\s+)?(?:issued|processed|sent|approved|"
    r"arranged|on (?:its|their|the) way|ausgestellt|veranlasst|bearbeitet|unterwegs|versandt|"
    r"gutgeschrieben|erstattet|émise?|effectuée?|envoyée?|en route|emitid[oa]|procesad[oa]|"
    r"enviad[oa]|aprobad[oa]|en camino))",
    _I,
)

NEGATION_RE: Final = re.compile(
    r"\b(?:not|never|cannot|can't|can’t|won't|won’t|unable|nicht|kein\w*|pas|jamais|no|nunca)\b"
    r"|n't|n’t",
    _I,
)

ACTION_RES: Final = {
    "refund": re.compile(
        r"\b(?:refund\w*|reimburs\w*|money back|(?:rück|zurück)?erstatt\w*|rembours\w*"
        r"|reembols\w*|devoluci[oó]n del dinero)",
        _I,
    ),
    "replacement": re.compile(
        r"\b(?:replac\w*|re-?ship\w*|new one|send(?:ing)? (?:it|them|you) (?:again|separately|"
        r"a new|another)|ersatz\w*|austausch\w*|nachliefer\w*|neue[nsm]? (?:artikel|paket|"
        r"lieferung)|remplac\w*|renvo\w*|nouvel (?:article|envoi)|reempla\w*|sustitu\w*"
        r"|reenv[ií]\w*|nuevo (?:artículo|envío))",
        _I,
    ),
    "compensation": re.compile(
        r"\b(?:compensat\w*|goodwill|entschädig\w*|kulanz\w*|dédommag\w*|geste commercial"
        r"|compens\w*|indemniz\w*)",
        _I,
    ),
    "discount": re.compile(
        r"\b(?:discount\w*|voucher\w*|coupon\w*|promo code|gift ?card|rabatt\w*|gutschein\w*"
        r"|réduction|bon d['’]achat|code promo|descuento\w*|cup[oó]n\w*|vale)\b",
        _I,
    ),
    "credit": re.compile(
        r"\b(?:store credit|account credit|credited|credit note|gutschrift\w*|gutgeschrieben"
        r"|avoir|saldo a favor|cr[eé]dito en tienda)\b",
        _I,
    ),
}

POLICY_CUE_RE: Final = re.compile(
    r"\b(?:our polic(?:y|ies)|policy|within \d+(?:\s*[-–]\s*\d+)?\s*(?:business |working )?days"
    r"|free returns?|free of charge|guarantee\w*|warrant\w*|money[- ]back"
    r"|richtlinie\w*|garantie\w*|innerhalb von \d+ tagen|kostenlose? rücksendung\w*"
    r"|politique|sous \d+ jours|retours? gratuits?"
    r"|pol[ií]tica|garant[ií]a|en un plazo de \d+ d[ií]as|devoluci[oó]n gratuita)",
    _I,
)

MISSING_RE: Final = re.compile(r"\[missing: ([a-z0-9_]+)\]")

# "12 Baker Street", "Hauptstraße 5", "5 rue de la Paix", "Calle Mayor 3"
ADDRESS_RE: Final = re.compile(
    r"\b\d{1,5}\s+(?:[A-Z][\w'-]+\s){1,3}(?:Street|St\.|Road|Rd\.|Avenue|Ave\.|Lane|Way|Drive"
    r"|Close|Court|Place|Square)\b"
    r"|\b[A-ZÄÖÜ][\wäöüß-]+(?:straße|strasse|weg|gasse|allee|platz)\s+\d{1,4}[a-z]?\b"
    r"|\b\d{1,4},?\s+(?:rue|avenue|boulevard|place|chemin)\s+(?:[\w'’-]+\s){0,3}[\w'’-]+"
    r"|\b(?:Calle|Avenida|Plaza|Paseo)\s+(?:[\w-]+\s){0,3}\d{1,4}\b",
    re.UNICODE,
)

_SENTENCE_END: Final = re.compile(r"(?<=[.!?])\s+|\n+")


def sentence_spans(text: str) -> list[tuple[int, int]]:
    """Character spans of sentences: split after . ! ? followed by white space, and at line
    breaks (so "59.90" and "e-mail.com" stay whole)."""
    spans: list[tuple[int, int]] = []
    start = 0
    for match in _SENTENCE_END.finditer(text):
        if text[start : match.start()].strip():
            spans.append(_trim(text, start, match.start()))
        start = match.end()
    if text[start:].strip():
        spans.append(_trim(text, start, len(text)))
    return spans


def _trim(text: str, start: int, end: int) -> tuple[int, int]:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return start, end
