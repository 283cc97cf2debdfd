from __future__ import annotations

import pytest

from signaldesk.triage.text.risk import RiskFlag, detect_risks, priority_from_signals
from signaldesk.triage.text.sentiment import Sentiment


def kinds_and_evidence(text: str, language: str) -> list[tuple[str, str]]:
    return [(flag.kind, flag.evidence) for flag in detect_risks(text, language)]


@pytest.mark.parametrize(
    ("text", "language", "expected"),
    [
        # legal_threat
        ("I will contact my lawyer about this.", "en", [("legal_threat", "lawyer")]),
        ("See you in small claims court.", "en", [("legal_threat", "small claims court")]),
        ("I'm going to sue you.", "en", [("legal_threat", "going to sue")]),
        ("I have reported you to Trading Standards", "en", [("legal_threat", "Trading Standards")]),
        ("Ich schalte meinen Anwalt ein", "de", [("legal_threat", "Anwalt")]),
        ("Ich gehe zur Verbraucherzentrale", "de", [("legal_threat", "Verbraucherzentrale")]),
        ("Je vais contacter mon avocat", "fr", [("legal_threat", "avocat")]),
        ("Voy a hablar con mi abogado", "es", [("legal_threat", "abogado")]),
        ("Contatterò il mio avvocato", "it", [("legal_threat", "avvocato")]),
        ("Ik schakel een advocaat in", "nl", [("legal_threat", "advocaat")]),
        ("Ich schalte meinen Anwalt ein", "und", [("legal_threat", "Anwalt")]),
        # chargeback
        ("I will file a chargeback.", "en", [("chargeback", "chargeback")]),
        (
            "I'll dispute the charge with my credit card company",
            "en",
            [("chargeback", "dispute the charge with my credit card")],
        ),
        ("I asked my bank to reverse the payment", "en", [("chargeback", "reverse the payment")]),
        ("Ich mache eine Rückbuchung", "de", [("chargeback", "Rückbuchung")]),
        ("Je vais ouvrir un litige avec PayPal", "fr", [("chargeback", "ouvrir un litige")]),
        ("Voy a pedir un contracargo", "es", [("chargeback", "contracargo")]),
        ("Ik laat de betaling terugboeken", "nl", [("chargeback", "terugboeken")]),
        # safety_health
        ("My son got a rash from the fabric", "en", [("safety_health", "rash")]),
        ("The charger caught fire", "en", [("safety_health", "caught fire")]),
        ("I got an electric shock from the lamp", "en", [("safety_health", "electric shock")]),
        (
            "The toy has a sharp edge and my daughter was hurt",
            "en",
            [("safety_health", "sharp edge"), ("safety_health", "daughter was hurt")],
        ),
        ("Allergic reaction after using the cream", "en", [("safety_health", "Allergic reaction")]),
        ("Mein Kind hat sich verletzt", "de", [("safety_health", "verletzt")]),
        ("Le chargeur a pris feu", "fr", [("safety_health", "feu")]),
        ("Mi hijo tiene una quemadura", "es", [("safety_health", "quemadura")]),
        (
            "Mio figlio si è ferito con un bordo tagliente",
            "it",
            [("safety_health", "ferito"), ("safety_health", "bordo tagliente")],
        ),
        ("Er kwam rook uit de oplader", "nl", [("safety_health", "rook")]),
        # anger
        (
            "This is disgusting, worst shop ever",
            "en",
            [("anger", "disgusting"), ("anger", "worst")],
        ),
        ("WHERE IS MY ORDER", "en", [("anger", "WHERE IS MY ORDER")]),
        ("Hello??? Anyone there!!!", "en", [("anger", "!!!")]),
        ("Eine Frechheit ist das", "de", [("anger", "Frechheit")]),
        ("C'est scandaleux", "fr", [("anger", "scandaleux")]),
        ("Es una vergüenza", "es", [("anger", "vergüenza")]),
        ("Che schifo", "it", [("anger", "schifo")]),
        ("Echt schandalig", "nl", [("anger", "schandalig")]),
        # cancel_threat
        (
            "I will never order from you again",
            "en",
            [("cancel_threat", "never order from you again")],
        ),
        ("Please cancel my account", "en", [("cancel_threat", "cancel my account")]),
        (
            "Bei euch bestelle ich nie wieder",
            "de",
            [("cancel_threat", "bestelle ich nie wieder"), ("anger", "nie wieder")],
        ),
        ("Supprimer mon compte s'il vous plaît", "fr", [("cancel_threat", "Supprimer mon compte")]),
        ("No vuelvo a comprar aquí", "es", [("cancel_threat", "No vuelvo a comprar")]),
        (
            "Nooit meer bestellen",
            "nl",
            [("anger", "Nooit meer"), ("cancel_threat", "Nooit meer bestellen")],
        ),
        # public_threat
        (
            "I will post this on social media",
            "en",
            [("public_threat", "post this on social media")],
        ),
        ("I'll leave a bad review", "en", [("public_threat", "leave a bad review")]),
        ("Expect my review on Trustpilot", "en", [("public_threat", "Trustpilot")]),
        ("Ich schreibe eine schlechte Bewertung", "de", [("public_threat", "schlechte Bewertung")]),
        ("Je vais laisser un avis", "fr", [("public_threat", "laisser un avis")]),
        (
            "Lo voy a publicar en redes sociales",
            "es",
            [("public_threat", "publicar en redes sociales")],
        ),
        ("Ik schrijf een slechte review", "nl", [("public_threat", "slechte review")]),
    ],
)
def test_detects_each_kind(text: str, language: str, expected: list[tuple[str, str]]) -> None:
    assert kinds_and_evidence(text, language) == expected


@pytest.mark.parametrize(
    ("text", "language"),
    [
        ("This is not a legal matter, just a question about sizes.", "en"),
        ("No injury, but the box was dented.", "en"),
        ("I don't want to cancel my account, just update my address.", "en"),
        ("I will not leave a bad review, don't worry.", "en"),
        ("Kein Anwalt nötig, nur eine Frage.", "de"),
        ("Pas d'avocat, juste une question.", "fr"),
        ("Colour: smoke grey, burnt orange, blood orange", "en"),
        ("The rash guard is too small", "en"),
        ("Court shoes in size 6 please", "en"),
        ("Le délai est trop court", "fr"),
        ("Ik wil de worst terug", "nl"),
        ("I saw your ad on social media and love it", "en"),
        ("The chocolate arrived melted", "en"),
        ("I will leave a great review!", "en"),
        ("Hi Sue, thanks for the help", "en"),
        ("Order DHL UPS tracking", "en"),
        ("Where is my order? Thanks!", "en"),
    ],
)
def test_negatives(text: str, language: str) -> None:
    assert detect_risks(text, language) == []


def test_flag_span_and_weight() -> None:
    text = "Honestly, my lawyer will hear about this."
    assert detect_risks(text, "en") == [RiskFlag("legal_threat", "lawyer", 1.0, 13, 19)]


def test_negation_does_not_cross_clauses() -> None:
    assert kinds_and_evidence("Not happy, I will call my lawyer", "en") == [
        ("legal_threat", "lawyer")
    ]


def test_hesitate_is_not_negation() -> None:
    assert kinds_and_evidence("I won't hesitate to contact my solicitor", "en") == [
        ("legal_threat", "solicitor")
    ]


NEG = Sentiment(-0.7, "negative")
NEUTRAL = Sentiment(0.0, "neutral")
POS = Sentiment(0.8, "positive")


def flag(kind: str, weight: float = 1.0) -> RiskFlag:
    return RiskFlag(kind, "x", weight, 0, 1)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("flags", "sentiment", "is_vip", "expected"),
    [
        ([flag("safety_health")], POS, False, "urgent"),
        ([flag("legal_threat")], NEUTRAL, False, "urgent"),
        ([flag("safety_health", 0.5)], NEUTRAL, False, "high"),
        ([flag("chargeback", 0.8)], NEUTRAL, False, "high"),
        ([flag("anger", 0.5)], NEG, False, "high"),
        ([flag("anger", 0.5)], NEUTRAL, False, "normal"),
        ([flag("public_threat", 0.6)], NEG, False, "high"),
        ([flag("cancel_threat", 0.6)], NEG, False, "high"),
        ([flag("cancel_threat", 0.6)], POS, False, "normal"),
        ([], NEG, False, "normal"),
        ([], NEUTRAL, False, "normal"),
        ([], None, False, "normal"),
        ([], POS, False, "low"),
        ([], POS, True, "normal"),
        ([], NEUTRAL, True, "high"),
        ([flag("chargeback", 0.8)], NEUTRAL, True, "urgent"),
        ([flag("safety_health")], NEUTRAL, True, "urgent"),
    ],
)
def test_priority_mapping(
    flags: list[RiskFlag], sentiment: Sentiment | None, is_vip: bool, expected: str
) -> None:
    assert priority_from_signals(flags, sentiment, is_vip) == expected


def test_priority_from_real_text() -> None:
    text = "THIS IS UNACCEPTABLE!!! I will never order again."
    assert priority_from_signals(detect_risks(text, "en"), Sentiment(-0.8, "negative")) == "high"
