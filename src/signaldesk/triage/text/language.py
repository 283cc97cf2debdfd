"""Offline language identification for ticket text.

Backed by ``py3langid`` (a pip package that ships its own ~1 MB naive-Bayes model, nothing is
downloaded at run time). The model is restricted to :data:`DEFAULT_LANGUAGES` – the languages a
European/US retail helpdesk actually sees – which makes short messages far more accurate than
choosing among all 97 languages of the full model.

Rules on top of the model:

* URLs, e-mail addresses, digits and order/tracking-like tokens are removed first: they carry no
  language signal but shift the character n-grams.
* Text with fewer than ``min_letters`` letters is "too short": it is only recognised if every
  word is a known, language-specific courtesy word ("danke", "merci", "gracias" …, see
  :data:`SHORT_TEXT_HINTS`), otherwise :data:`UNDETERMINED` (``"und"``) is returned.
* A model answer whose probability is below ``min_confidence`` is "ambiguous" and also returns
  ``"und"`` (with the model's probability as confidence, so callers can still log it).

Limits: mixed-language messages get the majority language; code-switching inside one message is
not detected. Very close pairs (no/da/sv, es/pt/gl) are reliable only above ~40 letters.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
from typing import Final

__all__ = [
    "DEFAULT_LANGUAGES",
    "SHORT_TEXT_HINTS",
    "UNDETERMINED",
    "LanguageGuess",
    "detect_language",
]

UNDETERMINED: Final = "und"

#: ISO 639-1 codes the identifier chooses among.
DEFAULT_LANGUAGES: Final[tuple[str, ...]] = (
    "en", "de", "fr", "es", "it", "nl", "pt", "sv", "pl", "da", "no", "fi", "cs", "sk", "hu",
    "ro", "el", "tr", "ru", "uk", "ar", "he", "ja", "zh", "ko",
)  # fmt: skip

MIN_LETTERS: Final = 12
MIN_CONFIDENCE: Final = 0.6
_HINT_CONFIDENCE: Final = 0.5

#: Words that identify a language on their own in very short messages ("Danke!", "merci").
#: ``""`` marks words shared by several languages: allowed, but they decide nothing.
SHORT_TEXT_HINTS: Final[dict[str, str]] = {
    "thanks": "en", "thank": "en", "you": "en", "thx": "en", "cheers": "en", "please": "en",
    "hello": "en", "hi": "en", "great": "en", "yes": "en", "much": "en", "so": "",
    "danke": "de", "dankeschön": "de", "vielen": "de", "bitte": "de", "schön": "de",
    "tschüss": "de", "grüße": "de", "gut": "de", "hallo": "", "ok": "", "okay": "", "super": "",
    "merci": "fr", "beaucoup": "fr", "bonjour": "fr", "bonsoir": "fr", "oui": "fr", "salut": "fr",
    "gracias": "es", "muchas": "es", "hola": "es", "vale": "es", "sí": "es", "buenos": "es",
    "días": "es", "grazie": "it", "mille": "it", "ciao": "it", "buongiorno": "it",
    "prego": "it", "bedankt": "nl", "dank": "", "hartelijk": "nl", "goedemorgen": "nl",
    "obrigado": "pt", "obrigada": "pt", "olá": "pt", "tack": "sv", "hej": "sv",
    "dziękuję": "pl", "dzięki": "pl", "dzień": "pl", "dobry": "pl",
}  # fmt: skip

_NOISE_RE: Final = re.compile(
    r"https?://\S+|www\.\S+|[\w.+-]+@[\w-]+(?:\.[\w-]+)+|\S*\d\S*|[#@]\w+",
)
_WORD_RE: Final = re.compile(r"[^\W\d_]+(?:['’][^\W\d_]+)?")


@dataclass(frozen=True, slots=True)
class LanguageGuess:
    """Best language guess: ISO 639-1 ``code`` (or ``"und"``) and ``confidence`` in [0, 1]."""

    code: str
    confidence: float

    @property
    def is_determined(self) -> bool:
        return self.code != UNDETERMINED


class _Identifier:
    """Tiny typed facade over ``py3langid`` so the rest of the module stays typed."""

    def __init__(self, languages: tuple[str, ...]) -> None:
        from py3langid.langid import MODEL_FILE, LanguageIdentifier

        ident = LanguageIdentifier.from_model_file(MODEL_FILE, norm_probs=True)
        ident.set_languages(list(languages))
        self._ident = ident

    def classify(self, text: str) -> tuple[str, float]:
        code, prob = self._ident.classify(text)
        return str(code), float(prob)


@cache
def _identifier(languages: tuple[str, ...]) -> _Identifier:
    return _Identifier(languages)


def _strip_noise(text: str) -> str:
    return _NOISE_RE.sub(" ", text)


def _hint_language(words: list[str]) -> str | None:
    codes = {SHORT_TEXT_HINTS.get(word.casefold()) for word in words} - {""}
    if len(codes) == 1 and None not in codes:
        (code,) = codes
        return code
    return None


def detect_language(
    text: str,
    *,
    languages: tuple[str, ...] = DEFAULT_LANGUAGES,
    min_letters: int = MIN_LETTERS,
    min_confidence: float = MIN_CONFIDENCE,
) -> LanguageGuess:
    """Guess the language of ``text``.

    Returns ``LanguageGuess("und", confidence)`` when the text is too short (fewer than
    ``min_letters`` letters and not made of :data:`SHORT_TEXT_HINTS` words) or the model is less
    than ``min_confidence`` sure. Confidence is rounded to 3 decimals.
    """
    stripped = _strip_noise(text)
    words = _WORD_RE.findall(stripped)
    letters = sum(len(word) for word in words)
    if letters == 0:
        return LanguageGuess(UNDETERMINED, 0.0)
    if letters < min_letters:
        hinted = _hint_language(words)
        if hinted is not None and hinted in languages:
            return LanguageGuess(hinted, _HINT_CONFIDENCE)
        return LanguageGuess(UNDETERMINED, 0.0)
    code, prob = _identifier(tuple(languages)).classify(" ".join(words))
    confidence = round(prob, 3)
    if prob < min_confidence:
        return LanguageGuess(UNDETERMINED, confidence)
    return LanguageGuess(code, confidence)
