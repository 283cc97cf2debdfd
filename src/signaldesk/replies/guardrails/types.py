"""Value types of the guardrails core: what a check knows (GroundingContext), how strict it is
(GuardrailPolicy) and what it reports (Finding). Django-free."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any

import yaml

from signaldesk.knowledge.retrieval import Passage

CHECKS = (
    "missing_variable",  # a [missing: name] marker is still in the text
    "promise",  # refund/replacement/compensation/discount/credit promised without approval
    "unknown_fact",  # amount/date/tracking/order number that is not in the data
    "policy_claim",  # a policy statement the knowledge base does not support
    "other_customer_pii",  # another customer's e-mail, phone, name, address or order
)
SEVERITIES = ("block", "warn", "off")
ACTION_KINDS = ("refund", "replacement", "compensation", "discount", "credit")
DEFAULT_POLICY_FILE = Path(__file__).resolve().parent.parent / "guardrails.yaml"


@dataclass(frozen=True)
class Finding:
    check: str
    severity: str  # "block" | "warn"
    message: str
    span: tuple[int, int]

    def as_dict(self) -> dict[str, Any]:
        return {
            "check": self.check,
            "severity": self.severity,
            "message": self.message,
            "span": list(self.span),
        }


@dataclass(frozen=True)
class ActionAllowance:
    """An action the reply may promise: approved on the ticket, or allowed automatically by the
    reason's routing template. `limit` None = no money limit."""

    kind: str
    limit: Decimal | None = None


# (kind, value) -> True when the identifier belongs to a customer other than the ticket's.
OtherCustomerLookup = Callable[[str, str], bool]


@dataclass(frozen=True)
class GroundingContext:
    """Everything a reply may state. Values are normalised: order numbers as digits only,
    tracking numbers upper-case without spaces, e-mails lower-case, phones E.164."""

    known_amounts: frozenset[Decimal] = frozenset()
    known_dates: frozenset[tuple[int, int]] = frozenset()  # (month, day)
    known_tracking: frozenset[str] = frozenset()
    known_orders: frozenset[str] = frozenset()
    policy_numbers: frozenset[Decimal] = frozenset()
    passages: tuple[Passage, ...] = ()
    approved_actions: tuple[ActionAllowance, ...] = ()
    auto_allowed_actions: tuple[ActionAllowance, ...] = ()
    order_value: Decimal | None = None
    customer_emails: frozenset[str] = frozenset()
    customer_phones: frozenset[str] = frozenset()
    customer_names: frozenset[str] = frozenset()
    customer_addresses: frozenset[str] = frozenset()
    other_customer_identifiers: frozenset[tuple[str, str]] = frozenset()
    other_customer_names: frozenset[str] = frozenset()
    other_customer_lookup: OtherCustomerLookup | None = field(default=None, compare=False)
    language: str = "und"

    def belongs_to_other(self, kind: str, value: str) -> bool:
        if (kind, value) in self.other_customer_identifiers:
            return True
        return self.other_customer_lookup is not None and self.other_customer_lookup(kind, value)


@dataclass(frozen=True)
class GuardrailPolicy:
    """Severity per check ("block", "warn" or "off") and the policy-claim support threshold:
    a policy sentence is supported when at least `policy_support_threshold` of its content
    tokens appear in one knowledge passage and every number in it appears in that passage."""

    severities: Mapping[str, str] = field(
        default_factory=lambda: {
            "missing_variable": "block",
            "promise": "block",
            "unknown_fact": "block",
            "policy_claim": "warn",
            "other_customer_pii": "block",
        }
    )
    policy_support_threshold: float = 0.6
    overridable: frozenset[str] = frozenset(
        {"promise", "unknown_fact", "policy_claim", "other_customer_pii"}
    )

    def severity(self, check: str) -> str:
        return self.severities.get(check, "block")

    @classmethod
    def from_mapping(cls, data: Mapping[str, Any]) -> GuardrailPolicy:
        severities = dict(cls().severities)
        for check, value in (data.get("checks") or {}).items():
            if check not in CHECKS:
                raise ValueError(f"Unknown guardrail check {check!r}.")
            if value not in SEVERITIES:
                raise ValueError(f"Severity of {check} must be one of {SEVERITIES}.")
            severities[check] = value
        threshold = float(data.get("policy_support_threshold", 0.6))
        if not 0.0 < threshold <= 1.0:
            raise ValueError("policy_support_threshold must be in (0, 1].")
        overridable = data.get("overridable")
        return cls(
            severities=severities,
            policy_support_threshold=threshold,
            overridable=frozenset(overridable) if overridable is not None else cls().overridable,
        )

    @classmethod
    def from_yaml(cls, path: Path = DEFAULT_POLICY_FILE) -> GuardrailPolicy:
        data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
        return cls.from_mapping(data)
