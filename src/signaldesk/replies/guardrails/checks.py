"""The guardrail checks. `check_reply(text, context, policy)` runs every check on a reply (a
machine draft, an LLM rewrite or an agent's own text) and returns findings sorted by position.
A reply with any finding of severity "block" must not be sent (replies.services.reply_send)."""

from __future__ import annotations

import re
from decimal import Decimal

from signaldesk.knowledge.retrieval import numbers_in, support
from signaldesk.replies.guardrails.patterns import (
    ACTION_RES,
    ADDRESS_RE,
    COMMITMENT_RE,
    MISSING_RE,
    NEGATION_RE,
    PASSIVE_RE,
    POLICY_CUE_RE,
    sentence_spans,
)
from signaldesk.replies.guardrails.types import (
    ActionAllowance,
    Finding,
    GroundingContext,
    GuardrailPolicy,
)
from signaldesk.triage.text.entities import Entities, extract_entities

PROMISE_WINDOW = 60
POLICY_QUOTE = 0.9  # overlap at which a sentence counts as quoting a policy passage


def digits_only(value: str) -> str:
    return re.sub(r"\D", "", value) if not re.fullmatch(r"\d+-\d+-\d+", value) else value


def is_blocking(findings: list[Finding]) -> bool:
    return any(f.severity == "block" for f in findings)


class _Report:
    def __init__(self, policy: GuardrailPolicy) -> None:
        self.policy = policy
        self.findings: list[Finding] = []

    def add(self, check: str, message: str, span: tuple[int, int]) -> None:
        severity = self.policy.severity(check)
        if severity != "off":
            self.findings.append(Finding(check, severity, message, span))


# --- missing markers ---------------------------------------------------------------------


def _missing(text: str, report: _Report) -> None:
    for match in MISSING_RE.finditer(text):
        report.add(
            "missing_variable",
            f"Fill in {match.group(1)} before sending (no data for it).",
            match.span(),
        )


# --- promises ----------------------------------------------------------------------------


def _allowed(
    kind: str, amount: Decimal | None, context: GroundingContext
) -> tuple[bool, ActionAllowance | None]:
    for allowance in context.approved_actions:
        if allowance.kind == kind and (
            allowance.limit is None or amount is None or amount <= allowance.limit
        ):
            return True, allowance
    value = amount if amount is not None else context.order_value
    for allowance in context.auto_allowed_actions:
        if allowance.kind != kind:
            continue
        if allowance.limit is None or (value is not None and value <= allowance.limit):
            return True, allowance
    return False, None


def promises_in(text: str) -> list[tuple[str, tuple[int, int]]]:
    """(kind, span) of every promise in the text; one per kind and sentence."""
    found: list[tuple[str, tuple[int, int]]] = []
    for s_start, s_end in sentence_spans(text):
        sentence = text[s_start:s_end]
        kinds: dict[str, tuple[int, int]] = {}
        for cue in COMMITMENT_RE.finditer(sentence):
            window_end = min(len(sentence), cue.end() + PROMISE_WINDOW)
            for kind, regex in ACTION_RES.items():
                action = regex.search(sentence, cue.start(), window_end)
                if action is None or kind in kinds:
                    continue
                between = sentence[cue.start() : action.start()]
                if NEGATION_RE.search(between):
                    continue
                kinds[kind] = (s_start + cue.start(), s_start + action.end())
        for kind, regex in ACTION_RES.items():
            for action in regex.finditer(sentence):
                passive = PASSIVE_RE.search(sentence, action.end(), action.end() + 40)
                if kind in kinds or passive is None:
                    continue
                if NEGATION_RE.search(sentence, action.end(), passive.start()):
                    continue
                kinds[kind] = (s_start + action.start(), s_start + passive.end())
        found.extend(kinds.items())
    return found


def _promises(text: str, entities: Entities, context: GroundingContext, report: _Report) -> None:
    for kind, (start, end) in promises_in(text):
        sentence = next(s for s in sentence_spans(text) if s[0] <= start < s[1])
        if policy_support(text[sentence[0] : sentence[1]], context)[1] >= POLICY_QUOTE:
            continue  # quoting a published policy passage is not a promise to this customer
        amounts = [a.amount for a in entities.amounts if sentence[0] <= a.start < sentence[1]]
        amount = max(amounts) if amounts else None
        ok, _ = _allowed(kind, amount, context)
        if not ok:
            shown = f" of {amount}" if amount is not None else ""
            report.add(
                "promise",
                f"Promises a {kind}{shown} without an approval or an allowing policy.",
                (start, end),
            )


# --- facts -------------------------------------------------------------------------------


def _facts(entities: Entities, context: GroundingContext, report: _Report) -> None:
    known_amounts = context.known_amounts | context.policy_numbers
    for amount in entities.amounts:
        if amount.amount not in known_amounts:
            report.add(
                "unknown_fact",
                f"Amount {amount.raw} is not in the order data or the policy.",
                (amount.start, amount.end),
            )
    for date in entities.dates:
        if date.relative is not None or date.month is None or date.day is None:
            continue
        if (date.month, date.day) not in context.known_dates:
            report.add(
                "unknown_fact",
                f"Date {date.raw} is not in the order or shipment data.",
                (date.start, date.end),
            )
    for tracking in entities.tracking_numbers:
        if tracking.value in context.known_tracking:
            continue
        if context.belongs_to_other("tracking", tracking.value):
            report.add(
                "other_customer_pii",
                f"Tracking number {tracking.raw} belongs to another customer.",
                (tracking.start, tracking.end),
            )
        else:
            report.add(
                "unknown_fact",
                f"Tracking number {tracking.raw} is not in the shipment data.",
                (tracking.start, tracking.end),
            )
    for order in entities.order_numbers:
        value = digits_only(order.value)
        if value in context.known_orders:
            continue
        if context.belongs_to_other("order", value):
            report.add(
                "other_customer_pii",
                f"Order {order.raw} belongs to another customer.",
                (order.start, order.end),
            )
        else:
            report.add(
                "unknown_fact",
                f"Order number {order.raw} is not this customer's.",
                (order.start, order.end),
            )


# --- personal data -----------------------------------------------------------------------


def _pii(text: str, entities: Entities, context: GroundingContext, report: _Report) -> None:
    for email in entities.emails:
        if email.value not in context.customer_emails and context.belongs_to_other(
            "email", email.value
        ):
            report.add(
                "other_customer_pii",
                "E-mail address of another customer.",
                (email.start, email.end),
            )
    for phone in entities.phones:
        if phone.e164 not in context.customer_phones and context.belongs_to_other(
            "phone", phone.e164
        ):
            report.add(
                "other_customer_pii", "Phone number of another customer.", (phone.start, phone.end)
            )
    own = {n.lower() for n in context.customer_names}
    for name in sorted(context.other_customer_names):
        if not name.strip() or name.lower() in own:
            continue
        for match in re.finditer(rf"\b{re.escape(name)}\b", text, re.IGNORECASE):
            report.add("other_customer_pii", "Name of another customer.", match.span())
    own_addresses = {a.lower() for a in context.customer_addresses}
    for match in ADDRESS_RE.finditer(text):
        address = " ".join(match.group().lower().split())
        if address not in own_addresses and context.belongs_to_other("address", address):
            report.add("other_customer_pii", "Address of another customer.", match.span())


# --- policy claims -----------------------------------------------------------------------


def policy_support(sentence: str, context: GroundingContext) -> tuple[str, float]:
    """(best passage source, overlap) for a sentence; numbers must match that passage."""
    numbers = numbers_in(sentence)
    best_source, best = "", 0.0
    for passage in context.passages:
        if not numbers <= passage.numbers:
            continue
        score = support(sentence, passage)
        if score > best:
            best_source, best = passage.source, score
    return best_source, best


def _policy(text: str, context: GroundingContext, report: _Report) -> None:
    threshold = report.policy.policy_support_threshold
    for start, end in sentence_spans(text):
        sentence = text[start:end]
        if not POLICY_CUE_RE.search(sentence):
            continue
        _source, score = policy_support(sentence, context)
        if score < threshold:
            report.add(
                "policy_claim",
                f"Policy statement not supported by the knowledge base (overlap {score:.2f}).",
                (start, end),
            )


# --- entry point -------------------------------------------------------------------------


def check_reply(
    text: str, context: GroundingContext, policy: GuardrailPolicy | None = None
) -> list[Finding]:
    """Run every guardrail on a reply; findings sorted by span, then check name."""
    report = _Report(policy or GuardrailPolicy())
    entities = extract_entities(text, language=context.language or "und")
    _missing(text, report)
    _promises(text, entities, context, report)
    _facts(entities, context, report)
    _pii(text, entities, context, report)
    _policy(text, context, report)
    return sorted(report.findings, key=lambda f: (f.span, f.check))
