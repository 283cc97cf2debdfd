"""Return eligibility (Django-free): the rules of returns.yaml applied to one order line.

A line is returnable online when (in this order) its product is not excluded (category, product
type, tag), it has not been returned already, it was delivered (when `require_delivered`), and
today is at most `window_days` days after the delivery date (inclusive, store dates). The
customer's stated condition decides next: `eligible`, `not_eligible`, or `handover` (a colleague
takes it over with the context, e.g. an item that arrived damaged)."""

from __future__ import annotations

import datetime as dt
import functools
import os
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any

import yaml

from signaldesk.core.errors import ValidationError

DEFAULT_PATH = Path(__file__).with_name("returns.yaml")
OUTCOMES = ("eligible", "not_eligible", "handover")
EXCHANGES = ("", "larger", "smaller")


@dataclass(frozen=True)
class ReturnReason:
    code: str
    label: str
    taxonomy_reason: str
    exchange: str = ""  # "larger" / "smaller": offer the neighbouring size in exchange
    free_label: bool = False


@dataclass(frozen=True)
class Condition:
    code: str
    label: str
    outcome: str


@dataclass(frozen=True)
class ReturnsPolicy:
    window_days: int
    require_delivered: bool
    excluded_categories: frozenset[str]
    excluded_product_types: frozenset[str]
    excluded_tags: frozenset[str]
    conditions: tuple[Condition, ...]
    reasons: tuple[ReturnReason, ...]
    return_fee: Decimal

    def reason(self, code: str) -> ReturnReason:
        for reason in self.reasons:
            if reason.code == code:
                return reason
        raise ValidationError(f"Unknown return reason {code!r}.", code="reason")

    def condition(self, code: str) -> Condition:
        for condition in self.conditions:
            if condition.code == code:
                return condition
        raise ValidationError(f"Unknown item condition {code!r}.", code="condition")


def _names(values: Iterable[Any] | None) -> frozenset[str]:
    return frozenset(str(v).strip().lower() for v in values or ())


def policy_from_doc(doc: Mapping[str, Any], *, source: str = "returns.yaml") -> ReturnsPolicy:
    """Build and check a policy; every problem is reported in one ValidationError."""
    problems: list[str] = []
    try:
        window = int(doc["window_days"])
        if window < 0:
            problems.append("window_days must be 0 or more")
    except (KeyError, TypeError, ValueError):
        problems.append("window_days must be a whole number")
        window = 0
    conditions = tuple(
        Condition(code=str(c["code"]), label=str(c["label"]), outcome=str(c["outcome"]))
        for c in doc.get("conditions") or ()
    )
    for c in conditions:
        if c.outcome not in OUTCOMES:
            problems.append(f"condition {c.code}: outcome must be one of {', '.join(OUTCOMES)}")
    reasons = tuple(
        ReturnReason(
            code=str(r["code"]),
            label=str(r["label"]),
            taxonomy_reason=str(r["taxonomy_reason"]),
            exchange=str(r.get("exchange", "")),
            free_label=bool(r.get("free_label", False)),
        )
        for r in doc.get("reasons") or ()
    )
    for r in reasons:
        if r.exchange not in EXCHANGES:
            problems.append(f"reason {r.code}: exchange must be larger, smaller or empty")
    if not conditions or not reasons:
        problems.append("conditions and reasons must not be empty")
    if problems:
        raise ValidationError(f"{source}: " + "; ".join(problems), code="config_invalid")
    return ReturnsPolicy(
        window_days=window,
        require_delivered=bool(doc.get("require_delivered", True)),
        excluded_categories=_names(doc.get("excluded_categories")),
        excluded_product_types=_names(doc.get("excluded_product_types")),
        excluded_tags=_names(doc.get("excluded_tags")),
        conditions=conditions,
        reasons=reasons,
        return_fee=Decimal(str(doc.get("return_fee", "0"))),
    )


@functools.cache
def _load(path: str) -> ReturnsPolicy:
    text = Path(path).read_text(encoding="utf-8")
    return policy_from_doc(yaml.safe_load(text) or {}, source=Path(path).name)


def returns_policy() -> ReturnsPolicy:
    return _load(os.environ.get("SIGNALDESK_RETURNS_POLICY", str(DEFAULT_PATH)))


@dataclass(frozen=True)
class LineFacts:
    line_no: int
    sku: str
    name: str
    quantity: int
    returned_quantity: int
    delivered_on: dt.date | None
    category: str = ""
    product_type: str = ""
    tags: tuple[str, ...] = ()


@dataclass(frozen=True)
class LineEligibility:
    line_no: int
    eligible: bool
    code: str  # ok, excluded, already_returned, not_delivered, window_passed
    message: str
    last_day: dt.date | None = None


def line_eligibility(facts: LineFacts, policy: ReturnsPolicy, *, today: dt.date) -> LineEligibility:
    """Whether one order line can be returned online today, and why not."""

    last_day = (
        facts.delivered_on + dt.timedelta(days=policy.window_days) if facts.delivered_on else None
    )

    def no(code: str, message: str) -> LineEligibility:
        return LineEligibility(facts.line_no, False, code, message, last_day)

    if (
        facts.category.strip().lower() in policy.excluded_categories
        or facts.product_type.strip().lower() in policy.excluded_product_types
        or _names(facts.tags) & policy.excluded_tags
    ):
        return no("excluded", "This item is final sale and cannot be returned.")
    if facts.returned_quantity >= facts.quantity:
        return no("already_returned", "A return has already been started for this item.")
    if last_day is None:
        if policy.require_delivered:
            return no("not_delivered", "This item has not been delivered yet.")
        return LineEligibility(facts.line_no, True, "ok", "You can return this item.")
    if today > last_day:
        return no(
            "window_passed",
            f"The {policy.window_days}-day return window ended on {last_day.isoformat()}.",
        )
    return LineEligibility(
        facts.line_no,
        True,
        "ok",
        f"You can return this item until {last_day.isoformat()}.",
        last_day,
    )
