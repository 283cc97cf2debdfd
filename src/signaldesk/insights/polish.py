"""Optional LLM polish of a drafted note, through the replies LLM client (off by default).

The same discipline as reply rewrites (replies.llm): personal data is redacted before the
request and restored after; the answer is rejected in favour of the draft when it prints a
number that is not in the facts (note.numbers), drops a section heading, or the call fails."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from typing import Any

from signaldesk.insights.note.numbers import unsupported_numbers
from signaldesk.replies.drafting.redact import redact, restore
from signaldesk.replies.llm import LlmConfig, LlmError, chat, llm_config

logger = logging.getLogger(__name__)

PROMPT = (
    "You edit a weekly customer-service insight note written in Markdown for a busy manager. "
    "Make the sentences read naturally. Keep every heading, table, number, date, name and "
    "[PLACEHOLDER] exactly; add no facts, numbers, causes or promises; answer with the Markdown "
    "only."
)


@dataclass(frozen=True)
class Polished:
    text: str
    polished: bool
    rejected: str = ""  # why an LLM answer was not used


def _headings(text: str) -> list[str]:
    return [line.strip() for line in text.splitlines() if line.startswith("#")]


def polish_note(body: str, facts: dict[str, Any], *, config: LlmConfig | None = None) -> Polished:
    config = config or llm_config()
    if not config.enabled:
        return Polished(body, False)
    redacted = redact(body)
    try:
        answer = chat(
            [{"role": "system", "content": PROMPT}, {"role": "user", "content": redacted.text}],
            config=config,
        )
    except LlmError as exc:
        logger.warning("insights.polish_failed", extra={"error": str(exc)})
        return Polished(body, False, rejected="llm call failed")
    text = restore(answer.strip(), redacted.mapping) + "\n"
    extra = unsupported_numbers(text, facts)
    if extra:
        logger.info("insights.polish_rejected", extra={"numbers": sorted(extra)})
        return Polished(
            body, False, rejected=f"numbers not in the facts: {', '.join(sorted(extra))}"
        )
    if _headings(text) != _headings(body):
        return Polished(body, False, rejected="headings changed")
    return Polished(text, True)
