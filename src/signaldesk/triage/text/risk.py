"""Urgency/risk flags with evidence spans, and the priority they imply.

:func:`detect_risks` looks for keyword patterns per kind (:data:`RISK_KINDS`) in English plus the
ticket's language (de, fr, es, it, nl have lists; for ``"und"`` or any other code every list is
used except the few ``risk_patterns.LOCAL_ONLY`` patterns that are ordinary words in another
language, e.g. Dutch/German "brand" = fire). Keyword tables live in :mod:`.risk_patterns`. Each hit
becomes a :class:`RiskFlag` with the matched text, its character span in the input and a
weight in (0, 1].

Negation (kept deliberately simple): a keyword hit is dropped when one of :data:`NEGATORS`
("not", "no", "without", "…n't", "kein", "nicht", "pas", "sans", "sin", "non", "senza", "niet",
"geen" …) is among the three words before it *in the same clause* (a clause ends at
``. , ; : ! ? newline`` or "but/aber/mais/pero/ma/maar"). So "this is not a legal matter" and
"no injury" are not flagged, "not happy, I will call my lawyer" is. "never" is not a negator
("I never had a rash before"). Shouting and "!!!" are never negated. Known misses: negation
after the keyword ("lawyer? no"), double negation, hypotheticals ("if a child got hurt").

:func:`priority_from_signals` mapping (first rule that applies, then the VIP bump):

======================================================  ========
signal                                                  priority
======================================================  ========
``safety_health``/``legal_threat`` with weight >= 0.7   urgent
weaker ``safety_health`` ("doctor", "blisters")         high
any ``chargeback``                                      high
``anger`` and sentiment negative                        high
``public_threat`` or ``cancel_threat`` and negative     high
any other flag, or negative sentiment                   normal
no flag and positive sentiment                          low
no flag, neutral sentiment (or none given)              normal
======================================================  ========

``is_vip`` bumps one level (low→normal→high→urgent; urgent stays urgent).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache
from typing import Final, Literal

from signaldesk.triage.text.risk_patterns import (
    DEFAULT_WEIGHT,
    EN_EXCLUDED,
    LOCAL_ONLY,
    PATTERNS,
)
from signaldesk.triage.text.sentiment import Sentiment

__all__ = [
    "NEGATORS",
    "PRIORITIES",
    "RISK_KINDS",
    "URGENT_MIN_WEIGHT",
    "Priority",
    "RiskFlag",
    "RiskKind",
    "detect_risks",
    "priority_from_signals",
]

RiskKind = Literal[
    "legal_threat", "chargeback", "safety_health", "anger", "cancel_threat", "public_threat"
]
Priority = Literal["low", "normal", "high", "urgent"]
RISK_KINDS: Final[tuple[RiskKind, ...]] = (
    "legal_threat", "chargeback", "safety_health", "anger", "cancel_threat", "public_threat",
)  # fmt: skip
PRIORITIES: Final[tuple[Priority, ...]] = ("low", "normal", "high", "urgent")
URGENT_MIN_WEIGHT: Final = 0.7


@dataclass(frozen=True, slots=True)
class RiskFlag:
    """One piece of evidence: ``text[start:end] == evidence``."""

    kind: RiskKind
    evidence: str
    weight: float
    start: int
    end: int


NEGATORS: Final = frozenset(
    {
        "not", "no", "without", "kein", "keine", "keinen", "keiner", "keinerlei", "nicht",
        "ohne", "pas", "sans", "aucun", "aucune", "ni", "sin", "ningún", "ninguna", "non",
        "senza", "nessun", "nessuno", "nessuna", "niet", "geen", "zonder",
    }
)  # fmt: skip
_NEGATION_RESET: Final = frozenset({"hesitate", "zögern", "hésiterai", "dudaré", "esiterò"})
_CLAUSE_END_RE: Final = re.compile(r"[.,;:!?\n]|\b(?:but|aber|mais|pero|ma|maar)\b", re.IGNORECASE)
_WORD_RE: Final = re.compile(r"[^\W\d_]+(?:['’][^\W\d_]+)*")
_UPPER: Final = "A-ZÀ-ÖØ-ÞŒŠŽŸŁŚŻŹĆŃ"
_SHOUT_RE: Final = re.compile(
    rf"(?<!\w)[{_UPPER}]{{2,}}(?:[\s,.'’!?-]+[{_UPPER}]{{2,}}){{2,}}(?!\w)"
)
_BANGS_RE: Final = re.compile(r"[!?]*!{3,}[!?]*|(?:\?!|!\?){2,}")
_SHOUT_WEIGHT: Final = 0.4
_BANGS_WEIGHT: Final = 0.3
_PATTERN_LANGUAGES: Final = frozenset({"de", "fr", "es", "it", "nl"})


def _entries(kind: RiskKind, language: str) -> list[tuple[str, float]]:
    per_language = PATTERNS[kind]
    if language in per_language:
        codes = ["en", language] if language != "en" else ["en"]
        allow_local = True
    else:
        codes = list(per_language)
        allow_local = False
    result: list[tuple[str, float]] = []
    for code in codes:
        for entry in per_language[code]:
            pattern, weight = (entry, DEFAULT_WEIGHT[kind]) if isinstance(entry, str) else entry
            if code == "en" and pattern in EN_EXCLUDED.get(language, frozenset()):
                continue
            if allow_local or code == "en" or pattern not in LOCAL_ONLY:
                result.append((pattern, weight))
    return result


def _anchor(pattern: str) -> str:
    """Longest literal run every match of ``pattern`` must contain ("" when there is none).

    Used as a cheap ``in`` pre-check so only the few patterns whose anchor occurs in the text
    are run as regexes.
    """
    runs: list[str] = []
    current: list[str] = []
    depth = 0
    index = 0

    def flush() -> None:
        if current:
            runs.append("".join(current))
            current.clear()

    while index < len(pattern):
        char = pattern[index]
        if char == "\\":
            flush()
            index += 2
        elif char == "[":
            flush()
            index = pattern.index("]", index + 2) + 1
        elif char in "()":
            flush()
            depth += 1 if char == "(" else -1
            index += 1
        elif depth > 0:
            index += 1
        elif char == "|":
            return ""
        elif char in "?*{":
            if current:
                current.pop()
            flush()
            index = pattern.index("}", index) + 1 if char == "{" else index + 1
        elif char in "+.":
            flush()
            index += 1
        else:
            current.append(char)
            index += 1
    flush()
    return max(runs, key=len, default="").strip().lower()


@dataclass(frozen=True, slots=True)
class _Rule:
    anchor: str
    regex: re.Pattern[str]
    weight: float


@cache
def _rules(kind: RiskKind, language: str) -> tuple[_Rule, ...]:
    return tuple(
        _Rule(_anchor(pattern), re.compile(rf"(?<!\w)(?:{pattern})(?!\w)", re.IGNORECASE), weight)
        for pattern, weight in _entries(kind, language)
    )


def _is_negated(text: str, start: int) -> bool:
    window = text[max(0, start - 60) : start]
    boundaries = list(_CLAUSE_END_RE.finditer(window))
    if boundaries:
        window = window[boundaries[-1].end() :]
    words = [word.casefold() for word in _WORD_RE.findall(window)][-3:]
    if any(word in _NEGATION_RESET for word in words):
        return False
    return any(word in NEGATORS or word.endswith(("n't", "n’t")) for word in words)


def _keyword_flags(text: str, lowered: str, kind: RiskKind, language: str) -> list[RiskFlag]:
    hits: list[tuple[int, int, float]] = []
    for rule in _rules(kind, language):
        if rule.anchor and rule.anchor not in lowered:
            continue
        hits.extend((m.start(), m.end(), rule.weight) for m in rule.regex.finditer(text))
    # Overlapping hits of one kind: keep the leftmost, then the longest.
    hits.sort(key=lambda hit: (hit[0], hit[0] - hit[1]))
    flags: list[RiskFlag] = []
    last_end = -1
    for start, end, weight in hits:
        if start < last_end or _is_negated(text, start):
            continue
        flags.append(RiskFlag(kind, text[start:end], weight, start, end))
        last_end = end
    return flags


def _structural_anger(text: str) -> list[RiskFlag]:
    flags: list[RiskFlag] = []
    shout = max(_SHOUT_RE.finditer(text), key=lambda m: m.end() - m.start(), default=None)
    if shout is not None:
        flags.append(RiskFlag("anger", shout.group(), _SHOUT_WEIGHT, shout.start(), shout.end()))
    bangs = _BANGS_RE.search(text)
    if bangs is not None:
        flags.append(RiskFlag("anger", bangs.group(), _BANGS_WEIGHT, bangs.start(), bangs.end()))
    return flags


def detect_risks(text: str, language: str = "und") -> list[RiskFlag]:
    """All risk flags in ``text`` (ISO 639-1 ``language`` or ``"und"``), ordered by position."""
    code = language.lower() if language.lower() in _PATTERN_LANGUAGES | {"en"} else "und"
    lowered = text.lower()
    flags: list[RiskFlag] = []
    for kind in RISK_KINDS:
        flags.extend(_keyword_flags(text, lowered, kind, code))
    flags.extend(_structural_anger(text))
    flags.sort(key=lambda flag: (flag.start, RISK_KINDS.index(flag.kind), flag.end))
    return flags


def priority_from_signals(
    flags: Iterable[RiskFlag], sentiment: Sentiment | None = None, is_vip: bool = False
) -> Priority:
    """Map risk flags + sentiment (+ VIP) to low/normal/high/urgent; table in module docstring."""
    flag_list = list(flags)
    kinds = {flag.kind for flag in flag_list}
    critical = any(
        flag.kind in {"safety_health", "legal_threat"} and flag.weight >= URGENT_MIN_WEIGHT
        for flag in flag_list
    )
    negative = sentiment is not None and sentiment.label == "negative"
    positive = sentiment is not None and sentiment.label == "positive"
    level: Priority
    if critical:
        level = "urgent"
    elif kinds & {"chargeback", "safety_health", "legal_threat"} or (
        negative and kinds & {"anger", "public_threat", "cancel_threat"}
    ):
        level = "high"
    elif kinds or negative or not positive:
        level = "normal"
    else:
        level = "low"
    if is_vip:
        level = PRIORITIES[min(PRIORITIES.index(level) + 1, len(PRIORITIES) - 1)]
    return level
