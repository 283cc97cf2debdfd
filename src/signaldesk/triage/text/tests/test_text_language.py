from __future__ import annotations

import pytest

from signaldesk.triage.text.language import LanguageGuess, detect_language


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("Where is my order? It has not arrived yet and I need it for Friday.", "en"),
        ("Wo ist meine Bestellung? Sie ist noch nicht angekommen, bitte helfen Sie mir.", "de"),
        ("Où est ma commande ? Elle n'est pas encore arrivée, pouvez-vous vérifier ?", "fr"),
        ("¿Dónde está mi pedido? Todavía no ha llegado y lo necesito urgentemente.", "es"),
        ("Dov'è il mio ordine? Non è ancora arrivato, potete controllare per favore?", "it"),
        ("Waar is mijn bestelling? Die is nog niet aangekomen, kunnen jullie kijken?", "nl"),
        ("Onde está a minha encomenda? Ainda não chegou, podem verificar por favor?", "pt"),
        ("Var är min beställning? Den har inte kommit än, kan ni kontrollera det?", "sv"),
        ("Gdzie jest moje zamówienie? Jeszcze nie dotarło, czy możecie sprawdzić?", "pl"),
        ("Order #123456 https://shop.example.com/orders/123456 still missing, please check", "en"),
    ],
)
def test_detects_supported_languages(text: str, code: str) -> None:
    assert detect_language(text).code == code


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("", LanguageGuess("und", 0.0)),
        ("1234 5678", LanguageGuess("und", 0.0)),
        ("ok", LanguageGuess("und", 0.0)),
        ("??? !!!", LanguageGuess("und", 0.0)),
        ("asdf qwer", LanguageGuess("und", 0.0)),
        ("Danke!", LanguageGuess("de", 0.5)),
        ("Vielen Dank", LanguageGuess("de", 0.5)),
        ("merci", LanguageGuess("fr", 0.5)),
        ("Gracias", LanguageGuess("es", 0.5)),
        ("grazie mille", LanguageGuess("it", 0.5)),
        ("bedankt", LanguageGuess("nl", 0.5)),
        ("ok thanks", LanguageGuess("en", 0.5)),
        ("hallo", LanguageGuess("und", 0.0)),
        ("hallo danke", LanguageGuess("de", 0.5)),
    ],
)
def test_short_text_falls_back(text: str, expected: LanguageGuess) -> None:
    assert detect_language(text) == expected


def test_confidence_is_a_probability() -> None:
    guess = detect_language("Thank you very much for the quick replacement, it fits perfectly.")
    assert (guess.code, guess.is_determined, 0.6 <= guess.confidence <= 1.0) == ("en", True, True)


def test_ambiguous_text_is_undetermined_when_threshold_is_high() -> None:
    assert detect_language("Super Produkt, top", min_confidence=0.999).code == "und"


def test_restricting_languages() -> None:
    assert detect_language("Where is my parcel, please?", languages=("de", "fr")).code in {
        "de",
        "fr",
        "und",
    }
