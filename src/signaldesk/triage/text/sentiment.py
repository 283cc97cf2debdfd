"""Message-level sentiment for triage.

* English (``"en"``) uses VADER (``vaderSentiment``, a pip-packaged lexicon, offline) with a few
  retail-support words added to its lexicon ("broken", "missing", "refund" …).
* German, French, Spanish, Italian, Dutch and Portuguese use :data:`LEXICONS`, a small hand-written
  list of *strong* words on VADER's −4…+4 scale, with:

  - negation: a negator in the three preceding tokens flips and damps a word (× −0.74, as VADER);
  - intensity: each ``!`` (max 3) adds 0.292 to the magnitude, an ALL-CAPS word (when the text
    is not entirely in caps) weighs 1.5×.

* Any other language, or ``"und"``, is scored with the union of all lexicons (English strong words
  included) – crude, but it catches "DISGUSTING!!!" or "merci beaucoup" in a short message.

The summed valence ``s`` is normalised like VADER: ``s / sqrt(s² + 15)``, so the score is in
[−1, 1]. Labels: ``score <= -0.2`` negative, ``score >= 0.2`` positive, otherwise neutral.

Limits (documented, accepted): no sarcasm, no irony, no compositional phrases beyond the negator
window, lexicons are small (≈40 words per language) so mild complaints in non-English text
("es ist etwas spät") score neutral. Good enough to rank anger and delight, not to measure CSAT.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from functools import cache
from typing import Final, Literal

__all__ = ["LEXICONS", "NEGATIVE_THRESHOLD", "POSITIVE_THRESHOLD", "Sentiment", "score_sentiment"]

SentimentLabel = Literal["negative", "neutral", "positive"]

NEGATIVE_THRESHOLD: Final = -0.2
POSITIVE_THRESHOLD: Final = 0.2
_ALPHA: Final = 15.0
_NEGATION_SCALAR: Final = -0.74
_EXCLAMATION_BOOST: Final = 0.292
_CAPS_FACTOR: Final = 1.5


@dataclass(frozen=True, slots=True)
class Sentiment:
    """``score`` in [−1, 1] (rounded to 3 decimals) and its ``label``."""

    score: float
    label: SentimentLabel


# Retail-support additions to VADER's English lexicon.
_VADER_EXTRA: Final[dict[str, float]] = {
    "broken": -1.9, "missing": -1.3, "damaged": -1.9, "faulty": -2.0, "defective": -2.0,
    "late": -1.0, "delayed": -1.1, "wrong": -1.6, "refund": -0.6, "scam": -2.8,
    "rip-off": -2.4, "ripoff": -2.4, "unacceptable": -2.5, "useless": -2.0, "ridiculous": -2.0,
    "appalling": -2.6, "shambles": -2.3, "joke": -0.8, "flawless": 2.5, "speedy": 1.5,
}  # fmt: skip

# fmt: off
#: Strong words per language on VADER's −4…+4 scale. A trailing ``*`` matches as a prefix.
LEXICONS: Final[dict[str, dict[str, float]]] = {
    "en": {
        "worst": -3.1, "disgusting": -3.0, "terrible": -2.5, "awful": -2.4, "horrible": -2.5,
        "unacceptable": -2.5, "scam": -2.8, "furious": -3.0, "angry": -2.3, "useless": -2.0,
        "disappointed": -2.0, "broken": -1.9, "damaged": -1.9, "never": -0.5, "shit*": -2.6,
        "great": 3.1, "excellent": 3.2, "amazing": 2.8, "love": 3.2, "perfect": 2.7,
        "thanks": 1.9, "thank": 1.5, "happy": 2.7, "brilliant": 2.8, "wonderful": 2.7,
    },
    "de": {
        "schlecht*": -2.2, "schrecklich*": -2.7, "furchtbar*": -2.7, "katastroph*": -3.0,
        "enttäusch*": -2.1, "unverschämt*": -2.9, "frechheit": -2.8, "skandal*": -2.8,
        "betrug": -3.0, "betrüger*": -3.1, "abzocke": -2.9, "ärger*": -2.0, "wütend": -2.9,
        "sauer": -2.0, "inakzeptabel": -2.5, "kaputt*": -1.9, "beschädigt*": -1.9,
        "defekt*": -2.0, "mangelhaft*": -2.0, "unzufrieden*": -2.1, "lächerlich*": -2.2,
        "scheiß*": -2.8, "scheiss*": -2.8, "mist": -1.8, "nie": -0.5,
        "danke": 1.9, "dankeschön": 2.2, "super": 2.9, "toll*": 2.8, "perfekt*": 2.7,
        "zufrieden": 2.0, "begeistert": 3.0, "hervorragend*": 3.1, "klasse": 2.6,
        "freundlich*": 1.9, "schnell*": 1.2, "prima": 2.5, "liebe": 2.5, "gut": 1.9, "gute*": 1.9,
    },
    "fr": {
        "nul": -2.4, "nulle": -2.4, "horrible*": -2.7, "affreu*": -2.7, "scandal*": -2.9,
        "honte*": -2.7, "inadmissible": -2.8, "inacceptable": -2.5, "arnaque*": -3.0,
        "escroc*": -3.1, "escroquerie": -3.1, "déçu*": -2.1, "décevant*": -2.1, "pire": -3.0,
        "furieu*": -3.0, "colère": -2.5, "cassé*": -1.9, "abîmé*": -1.9, "défectu*": -2.0,
        "mécontent*": -2.1, "lamentable": -2.7, "merde": -2.8, "ridicule": -2.2, "jamais": -0.5,
        "merci": 1.9, "super": 2.9, "génial*": 3.0, "parfait*": 2.7, "excellent*": 3.1,
        "satisfait*": 2.0, "ravi*": 2.8, "content*": 2.1, "rapide*": 1.2, "adore": 3.0,
        "bravo": 2.6, "top": 2.4,
    },
    "es": {
        "pésim*": -3.0, "horrible*": -2.7, "terrible*": -2.6, "vergüenza": -2.7,
        "vergonzos*": -2.7, "inaceptable": -2.5, "estafa*": -3.0, "ladrones": -3.1,
        "timo": -2.9, "decepcion*": -2.1, "decepción": -2.1, "peor": -3.0, "furios*": -3.0,
        "enfadad*": -2.3, "harto": -2.3, "harta": -2.3, "roto": -1.9, "rota": -1.9,
        "dañad*": -1.9, "defectuos*": -2.0, "mierda": -2.8, "indignante": -2.8, "nunca": -0.5,
        "gracias": 1.9, "genial": 3.0, "excelente*": 3.1, "perfect*": 2.7, "encant*": 2.8,
        "contento": 2.1, "contenta": 2.1, "satisfech*": 2.0, "rápid*": 1.2, "maravillos*": 2.8,
    },
    "it": {
        "pessim*": -3.0, "orribil*": -2.7, "terribil*": -2.6, "vergogn*": -2.7,
        "inaccettabil*": -2.5, "truffa*": -3.0, "truffator*": -3.1, "ladri": -3.1,
        "delus*": -2.1, "deludent*": -2.1, "peggior*": -3.0, "furios*": -3.0,
        "arrabbiat*": -2.5, "rotto": -1.9, "rotta": -1.9, "danneggiat*": -1.9,
        "difettos*": -2.0, "schifo*": -3.0, "assurdo": -2.2, "ridicol*": -2.2, "mai": -0.5,
        "grazie": 1.9, "ottim*": 3.0, "perfett*": 2.7, "eccellent*": 3.1, "fantastic*": 3.0,
        "contento": 2.1, "contenta": 2.1, "soddisfatt*": 2.0, "veloc*": 1.2, "bravissim*": 2.8,
    },
    "nl": {
        "slecht*": -2.2, "verschrikkelijk*": -2.8, "vreselijk*": -2.7, "waardeloos": -2.7,
        "schandalig*": -2.9, "schande": -2.7, "belachelijk*": -2.3, "onacceptabel": -2.5,
        "oplichter*": -3.1, "oplichting": -3.0, "teleurgesteld": -2.1, "teleurstell*": -2.1,
        "woedend": -3.0, "boos": -2.3, "kapot": -1.9, "beschadigd": -1.9, "defect": -2.0,
        "ontevreden": -2.1, "kut": -2.6, "nooit": -0.5,
        "bedankt": 1.9, "dank": 1.7, "super": 2.9, "geweldig*": 3.0, "perfect": 2.7,
        "uitstekend*": 3.1, "tevreden": 2.0, "blij": 2.5, "snel*": 1.2, "top": 2.4,
    },
    "pt": {
        "péssim*": -3.0, "horrível": -2.7, "terrível": -2.6, "vergonha": -2.7,
        "inaceitável": -2.5, "golpe": -2.8, "fraude": -3.0, "ladrões": -3.1,
        "decepcion*": -2.1, "pior": -3.0, "furios*": -3.0, "irritad*": -2.3,
        "quebrad*": -1.9, "danificad*": -1.9, "defeituos*": -2.0, "nunca": -0.5,
        "obrigad*": 1.9, "ótim*": 3.0, "perfeit*": 2.7, "excelente*": 3.1, "adorei": 3.0,
        "satisfeit*": 2.0, "rápid*": 1.2, "maravilhos*": 2.8,
    },
}
# fmt: on

_NEGATORS: Final = frozenset(
    {
        "not", "no", "never", "isn't", "wasn't", "don't", "didn't", "nicht", "kein", "keine",
        "keinen", "nie", "niemals", "pas", "jamais", "ni", "nunca", "tampoco", "non",
        "mai", "niet", "geen", "nooit", "não", "nem",
    }
)  # fmt: skip

_EMOJI: Final[dict[str, float]] = {
    "😡": -2.8, "🤬": -3.0, "😠": -2.5, "😤": -2.0, "😞": -2.0, "😢": -2.0, "😭": -2.3,
    "👎": -2.0, "🙁": -1.7, "☹": -1.7, ":(": -1.9, ":-(": -1.9, "😊": 2.0, "😀": 2.0,
    "🙂": 1.5, "😍": 2.8, "❤": 2.6, "👍": 2.0, "🙏": 1.5, ":)": 2.0, ":-)": 2.0,
}  # fmt: skip
_EMOJI_RE: Final = re.compile("|".join(re.escape(key) for key in _EMOJI))
_TOKEN_RE: Final = re.compile(r"[^\W\d_]+(?:['’][^\W\d_]+)*")


@dataclass(frozen=True, slots=True)
class _Lexicon:
    exact: dict[str, float]
    prefixes: tuple[tuple[str, float], ...]

    def valence(self, token: str) -> float:
        value = self.exact.get(token)
        if value is not None:
            return value
        for prefix, weight in self.prefixes:
            if token.startswith(prefix):
                return weight
        return 0.0


def _build(entries: dict[str, float]) -> _Lexicon:
    exact = {word: val for word, val in entries.items() if not word.endswith("*")}
    prefixes = sorted(
        ((word[:-1], val) for word, val in entries.items() if word.endswith("*")),
        key=lambda item: -len(item[0]),
    )
    return _Lexicon(exact, tuple(prefixes))


@cache
def _lexicon(language: str) -> _Lexicon:
    if language in LEXICONS:
        return _build(LEXICONS[language])
    union: dict[str, float] = {}
    for entries in LEXICONS.values():
        union.update(entries)
    return _build(union)


class _Vader:
    def __init__(self) -> None:
        from vaderSentiment.vaderSentiment import SentimentIntensityAnalyzer

        self._analyzer = SentimentIntensityAnalyzer()
        self._analyzer.lexicon.update(_VADER_EXTRA)

    def compound(self, text: str) -> float:
        return float(self._analyzer.polarity_scores(text)["compound"])


@cache
def _vader() -> _Vader:
    return _Vader()


def _label(score: float) -> SentimentLabel:
    if score <= NEGATIVE_THRESHOLD:
        return "negative"
    if score >= POSITIVE_THRESHOLD:
        return "positive"
    return "neutral"


def _lexicon_score(text: str, lexicon: _Lexicon) -> float:
    tokens = _TOKEN_RE.findall(text)
    shouting = text.isupper()
    total = 0.0
    lowered = [token.casefold() for token in tokens]
    for index, token in enumerate(lowered):
        valence = lexicon.valence(token)
        if valence == 0.0:
            continue
        original = tokens[index]
        if not shouting and len(original) > 2 and original.isupper():
            valence *= _CAPS_FACTOR
        if any(prev in _NEGATORS for prev in lowered[max(0, index - 3) : index]):
            valence *= _NEGATION_SCALAR
        total += valence
    total += sum(_EMOJI[match] for match in _EMOJI_RE.findall(text))
    if total != 0.0:
        boost = min(text.count("!"), 3) * _EXCLAMATION_BOOST
        total += boost if total > 0 else -boost
    return total / math.sqrt(total * total + _ALPHA)


MAX_SENTIMENT_CHARS: Final = 4000
"""Only the first 4,000 characters are scored: VADER's cost grows quadratically with length, and a
ticket's tone is set by its opening (cleaned text has quoted history removed already)."""


def score_sentiment(text: str, language: str = "en") -> Sentiment:
    """Score ``text`` written in ``language`` (ISO 639-1 or ``"und"``); see module docstring."""
    text = text[:MAX_SENTIMENT_CHARS]
    if not text.strip():
        return Sentiment(0.0, "neutral")
    if language == "en":
        score = _vader().compound(text)
    else:
        score = _lexicon_score(text, _lexicon(language))
    score = round(max(-1.0, min(1.0, score)), 3)
    return Sentiment(score, _label(score))
