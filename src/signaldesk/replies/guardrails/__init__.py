"""Guardrails for replies (Django-free core): check_reply(text, context, policy) -> findings."""

from signaldesk.replies.guardrails.checks import check_reply, is_blocking, promises_in
from signaldesk.replies.guardrails.types import (
    ActionAllowance,
    Finding,
    GroundingContext,
    GuardrailPolicy,
)

__all__ = [
    "ActionAllowance",
    "Finding",
    "GroundingContext",
    "GuardrailPolicy",
    "check_reply",
    "is_blocking",
    "promises_in",
]
