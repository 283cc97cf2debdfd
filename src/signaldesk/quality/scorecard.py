"""The automatic scorecard of a sent reply (Django-free): five explainable sub-scores 0–100.

`score_reply(text, findings, facts)` takes the reply, the guardrail findings on it
(replies.guardrails.check_reply, the same checks that ran before sending) and a few facts of the
ticket, and returns a `Scorecard`. Every point taken off has a reason a person can read.

- factual accuracy: 100 − 40 per `unknown_fact` (amount/date/tracking/order not in the data),
  − 50 per `missing_variable`; 0 when the reply shows another customer's data.
- policy compliance: 100 − 60 per `promise` without approval, − 30 per unsupported
  `policy_claim`.
- next step: 100 when the reply says what happens next (our action, the customer's action or a
  tracking link) *and* when (a time frame); 70 without a time frame; 30 for only a generic
  "let us know if…"; 0 otherwise.
- personalisation: the customer's name used (50) and the order referenced by number, tracking
  number or item (50); a part the ticket has no data for is left out and the rest scaled to 100.
- tone: 100 − 30 per blaming phrase, − 10 for more than two apologies, − 15 for no
  acknowledgement when the customer wrote in a negative mood, − 10 for shouting (ALL-CAPS words
  or "!!"), − 20 when the reply itself reads clearly negative (sentiment ≤ −0.6; VADER for
  English, triage.text lexicons otherwise).

overall = 0.30 factual + 0.25 policy + 0.15 next step + 0.15 personalisation + 0.15 tone,
rounded half up to an integer.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, Final

from signaldesk.replies.guardrails import Finding
from signaldesk.triage.text.sentiment import score_sentiment

SCORER_VERSION: Final = "1"
SUBSCORES: Final = ("factual", "policy", "next_step", "personalisation", "tone")
WEIGHTS: Final[dict[str, int]] = {  # percent
    "factual": 30,
    "policy": 25,
    "next_step": 15,
    "personalisation": 15,
    "tone": 15,
}
NEGATIVE_CUSTOMER: Final = -0.2
NEGATIVE_REPLY: Final = -0.6

_I = re.IGNORECASE
_MONTHS = r"january|february|march|april|may|june|july|august|september|october|november|december"
_DAYS = r"monday|tuesday|wednesday|thursday|friday|saturday|sunday"
OUR_ACTION_RE: Final = re.compile(
    r"\b(?:i|we)(?:'ll|’ll| will| am going to| are going to|'m going to|'re going to)"
    r"(?: \w+){0,2}? (?:send|ship|refund|replace|check|contact|arrange|issue|update|email|"
    r"follow up|call|escalate|process|chase|book|credit|look into|get back)\b",
    _I,
)
CUSTOMER_ACTION_RE: Final = re.compile(
    r"\b(?:please (?:reply|send|return|check|confirm|use|click|follow|print|drop|pack|attach|"
    r"share)|you can (?:track|follow|check|return|reply|use|expect|print|drop)|"
    r"you(?:'ll|’ll| will) (?:receive|get|see))\b",
    _I,
)
LINK_RE: Final = re.compile(r"https?://\S+", _I)
TIMEFRAME_RE: Final = re.compile(
    rf"\b(?:within \d+ (?:business |working )?(?:days?|hours?|weeks?)|"
    rf"in (?:\d+|one|two|three|a few) (?:business |working )?(?:days?|hours?|weeks?)|"
    rf"\d+\s*(?:-|–|to)\s*\d+ (?:business |working )?days?|"
    rf"by (?:{_DAYS}|tomorrow|the end of (?:the )?(?:day|week))|today|tomorrow|"
    rf"on (?:{_DAYS})|\d{{1,2}} (?:{_MONTHS})|(?:{_MONTHS}) \d{{1,2}})\b",
    _I,
)
GENERIC_CLOSE_RE: Final = re.compile(
    r"\b(?:let (?:me|us) know if|if you have any (?:other |further |more )?questions|"
    r"feel free to (?:contact|reach|reply))\b",
    _I,
)
BLAME_RE: Final = re.compile(
    r"\b(?:you should have|your (?:own )?fault|you failed to|you forgot to|"
    r"as (?:i|we) (?:already |previously )?(?:said|stated|explained|mentioned|told you)|"
    r"you (?:did not|didn't) read|obviously|not our (?:fault|problem)|you must have|calm down|"
    r"as you (?:should|would) know)\b",
    _I,
)
APOLOGY_RE: Final = re.compile(r"\b(?:sorry|apologi[sz]e|apologies|regret)\b", _I)
EMPATHY_RE: Final = re.compile(
    r"\b(?:sorry|apologi[sz]e|apologies|understand|frustrating|thank you for your patience|"
    r"thanks for your patience)\b",
    _I,
)
SHOUT_RE: Final = re.compile(r"\b[A-Z]{5,}\b")

FACTUAL_PENALTY: Final = {"unknown_fact": 40, "missing_variable": 50}
POLICY_PENALTY: Final = {"promise": 60, "policy_claim": 30}


@dataclass(frozen=True)
class ReplyFacts:
    """What the ticket knows about its customer and order, for personalisation and tone."""

    customer_name: str = ""  # first name as the reply would use it
    order_number: str = ""
    tracking_number: str = ""
    items: tuple[str, ...] = ()
    customer_sentiment: float | None = None  # of the customer's messages, [-1, 1]
    language: str = "en"


@dataclass(frozen=True)
class SubScore:
    score: int
    reasons: tuple[str, ...]


@dataclass(frozen=True)
class Scorecard:
    factual: SubScore
    policy: SubScore
    next_step: SubScore
    personalisation: SubScore
    tone: SubScore

    @property
    def overall(self) -> int:
        total = sum(WEIGHTS[name] * getattr(self, name).score for name in SUBSCORES)
        return (total + 50) // 100  # exact integer arithmetic, halves round up

    def scores(self) -> dict[str, int]:
        return {name: getattr(self, name).score for name in SUBSCORES}

    def reasons(self) -> dict[str, list[str]]:
        return {name: list(getattr(self, name).reasons) for name in SUBSCORES}

    def as_dict(self) -> dict[str, Any]:
        return {"overall": self.overall, **self.scores(), "reasons": self.reasons()}


def _clamp(value: int) -> int:
    return max(0, min(100, value))


def _quote(match: re.Match[str]) -> str:
    return f'"{match.group(0)}"'


def score_factual(findings: Sequence[Finding]) -> SubScore:
    reasons: list[str] = []
    score = 100
    for f in findings:
        if f.check == "other_customer_pii":
            score = -1000
            reasons.append(f"Shows another customer's data: {f.message}")
        elif f.check in FACTUAL_PENALTY:
            score -= FACTUAL_PENALTY[f.check]
            reasons.append(f"−{FACTUAL_PENALTY[f.check]}: {f.message}")
    if not reasons:
        reasons.append("Every amount, date, tracking and order number matches the data.")
    return SubScore(_clamp(score), tuple(reasons))


def score_policy(findings: Sequence[Finding]) -> SubScore:
    reasons: list[str] = []
    score = 100
    for f in findings:
        if f.check in POLICY_PENALTY:
            score -= POLICY_PENALTY[f.check]
            reasons.append(f"−{POLICY_PENALTY[f.check]}: {f.message}")
    if not reasons:
        reasons.append("No unapproved promise and no unsupported policy statement.")
    return SubScore(_clamp(score), tuple(reasons))


def score_next_step(text: str) -> SubScore:
    step = OUR_ACTION_RE.search(text) or CUSTOMER_ACTION_RE.search(text) or LINK_RE.search(text)
    when = TIMEFRAME_RE.search(text)
    if step is not None and when is not None:
        return SubScore(100, (f"Next step: {_quote(step)}", f"Time frame: {_quote(when)}"))
    if step is not None:
        return SubScore(70, (f"Next step: {_quote(step)}", "−30: no time frame for it"))
    generic = GENERIC_CLOSE_RE.search(text)
    if generic is not None:
        return SubScore(30, (f"Only a generic close: {_quote(generic)}",))
    return SubScore(0, ("No next step: the customer cannot tell what happens now.",))


def _mentions(text: str, value: str) -> bool:
    value = value.strip()
    return bool(value) and re.search(rf"(?<!\w){re.escape(value)}(?!\w)", text, _I) is not None


def _order_mentioned(text: str, facts: ReplyFacts) -> str | None:
    digits = re.sub(r"\D", "", facts.order_number)
    if digits and re.search(rf"(?<!\d){digits}(?!\d)", text):
        return f"order {facts.order_number}"
    if _mentions(text, facts.tracking_number):
        return f"tracking number {facts.tracking_number}"
    for item in facts.items:
        if _mentions(text, item):
            return f"item {item}"
    return None


def score_personalisation(text: str, facts: ReplyFacts) -> SubScore:
    earned, possible = 0, 0
    reasons: list[str] = []
    if facts.customer_name.strip():
        possible += 50
        if _mentions(text, facts.customer_name):
            earned += 50
            reasons.append(f"Addresses the customer by name ({facts.customer_name}).")
        else:
            reasons.append(f"Does not use the customer's name ({facts.customer_name}).")
    if facts.order_number or facts.tracking_number or facts.items:
        possible += 50
        referenced = _order_mentioned(text, facts)
        if referenced is not None:
            earned += 50
            reasons.append(f"References the {referenced}.")
        else:
            reasons.append("Does not reference the customer's order (number, tracking or item).")
    if possible == 0:
        return SubScore(100, ("No name or order on the ticket to personalise with.",))
    return SubScore((100 * earned + possible // 2) // possible, tuple(reasons))


def score_tone(text: str, facts: ReplyFacts) -> SubScore:
    score = 100
    reasons: list[str] = []
    for match in BLAME_RE.finditer(text):
        score -= 30
        reasons.append(f"−30: blaming phrase {_quote(match)}")
    apologies = len(APOLOGY_RE.findall(text))
    if apologies > 2:
        score -= 10
        reasons.append(f"−10: over-apologetic ({apologies} apologies)")
    negative_customer = (
        facts.customer_sentiment is not None and facts.customer_sentiment <= NEGATIVE_CUSTOMER
    )
    if negative_customer and EMPATHY_RE.search(text) is None:
        score -= 15
        reasons.append("−15: the customer was upset and the reply does not acknowledge it")
    shouting = SHOUT_RE.findall(text)
    if shouting or "!!" in text:
        score -= 10
        shown = ", ".join(shouting[:3]) if shouting else "!!"
        reasons.append(f"−10: shouting ({shown})")
    sentiment = score_sentiment(text, facts.language or "en").score
    if sentiment <= NEGATIVE_REPLY:
        score -= 20
        reasons.append(f"−20: the reply reads negative (sentiment {sentiment:+.2f})")
    if not reasons:
        reasons.append(f"Courteous, no blaming or shouting (sentiment {sentiment:+.2f}).")
    return SubScore(_clamp(score), tuple(reasons))


def score_reply(text: str, findings: Sequence[Finding], facts: ReplyFacts) -> Scorecard:
    """The scorecard of one reply; pure and deterministic."""
    return Scorecard(
        factual=score_factual(findings),
        policy=score_policy(findings),
        next_step=score_next_step(text),
        personalisation=score_personalisation(text, facts),
        tone=score_tone(text, facts),
    )


def findings_from_dicts(rows: Sequence[dict[str, Any]]) -> list[Finding]:
    """Findings as stored on a GuardrailReport (Finding.as_dict) back into Finding objects."""
    return [
        Finding(str(r["check"]), str(r["severity"]), str(r["message"]), tuple(r["span"]))  # type: ignore[arg-type]
        for r in rows
    ]
