from __future__ import annotations

import pytest

from signaldesk.triage.text.sentiment import score_sentiment


@pytest.mark.parametrize(
    ("text", "language", "label"),
    [
        ("This is the WORST service ever!!! I want a refund.", "en", "negative"),
        ("The item arrived broken and nobody answers.", "en", "negative"),
        ("Thanks so much, great help, love the jacket :)", "en", "positive"),
        ("Where is my order?", "en", "neutral"),
        ("Das ist eine Frechheit! Die Ware ist kaputt!!", "de", "negative"),
        ("Vielen Dank, super schnelle Lieferung", "de", "positive"),
        ("Wo ist meine Bestellung?", "de", "neutral"),
        ("Das ist nicht gut", "de", "negative"),
        ("Service nul, je suis très déçue", "fr", "negative"),
        ("Merci beaucoup, c'est parfait", "fr", "positive"),
        ("Où est ma commande ?", "fr", "neutral"),
        ("Pésimo servicio, una vergüenza", "es", "negative"),
        ("Muchas gracias, todo perfecto", "es", "positive"),
        ("Servizio pessimo, una truffa", "it", "negative"),
        ("Grazie mille, ottimo servizio", "it", "positive"),
        ("Waardeloos, ik ben erg teleurgesteld", "nl", "negative"),
        ("Bedankt, super snel geleverd", "nl", "positive"),
        ("Péssimo atendimento, que vergonha", "pt", "negative"),
        ("DISGUSTING!!!", "und", "negative"),
        ("😡😡", "und", "negative"),
        ("merci 😊", "und", "positive"),
        ("", "en", "neutral"),
        ("   ", "de", "neutral"),
    ],
)
def test_labels(text: str, language: str, label: str) -> None:
    assert score_sentiment(text, language).label == label


@pytest.mark.parametrize(
    ("text", "language"),
    [
        ("ein schlechter Service", "de"),
        ("nul", "fr"),
        ("Great!!!", "en"),
        ("super", "nl"),
    ],
)
def test_score_is_bounded(text: str, language: str) -> None:
    score = score_sentiment(text, language).score
    assert -1.0 <= score <= 1.0


def test_exclamations_and_caps_intensify() -> None:
    plain = score_sentiment("Das ist schlecht", "de").score
    loud = score_sentiment("Das ist SCHLECHT!!!", "de").score
    assert loud < plain < 0


def test_negation_flips_positive_word() -> None:
    assert score_sentiment("pas parfait", "fr").score < 0 < score_sentiment("parfait", "fr").score


def test_neutral_is_exactly_zero() -> None:
    assert score_sentiment("Wo ist meine Bestellung?", "de").score == 0.0
