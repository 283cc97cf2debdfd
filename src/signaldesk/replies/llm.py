"""Optional LLM behind an OpenAI-compatible HTTP API. Off by default: with no
SIGNALDESK_LLM_BASE_URL every function returns the extractive result unchanged.

Personal data never leaves the process: the text is redacted (drafting.redact) before the
request and restored after; what comes back goes through the same guardrails, and a rewrite
with blocking findings is rejected in favour of the extractive draft."""

from __future__ import annotations

import json
import logging
import os
import time
import urllib.error
import urllib.request
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from signaldesk.replies.drafting.redact import redact, restore
from signaldesk.replies.drafting.summary import ThreadMessage
from signaldesk.replies.guardrails import (
    Finding,
    GroundingContext,
    GuardrailPolicy,
    check_reply,
    is_blocking,
)

logger = logging.getLogger(__name__)
TIMEOUT_SECONDS = 20.0
RETRIES = 1
TONES = ("friendly", "formal", "concise", "empathetic")


class LlmError(Exception):
    pass


@dataclass(frozen=True)
class LlmConfig:
    base_url: str
    model: str
    api_key: str = ""
    timeout: float = TIMEOUT_SECONDS

    @property
    def enabled(self) -> bool:
        return bool(self.base_url)


def llm_config() -> LlmConfig:
    return LlmConfig(
        base_url=os.environ.get("SIGNALDESK_LLM_BASE_URL", "").rstrip("/"),
        model=os.environ.get("SIGNALDESK_LLM_MODEL", "default"),
        api_key=os.environ.get("SIGNALDESK_LLM_API_KEY", ""),
        timeout=float(os.environ.get("SIGNALDESK_LLM_TIMEOUT", TIMEOUT_SECONDS)),
    )


def chat(messages: Sequence[dict[str, str]], *, config: LlmConfig) -> str:
    """POST {base}/chat/completions; one retry on a network error or 5xx."""
    body = json.dumps({"model": config.model, "messages": list(messages), "temperature": 0.2})
    headers = {"Content-Type": "application/json"}
    if config.api_key:
        headers["Authorization"] = f"Bearer {config.api_key}"
    last: Exception | None = None
    for attempt in range(RETRIES + 1):
        request = urllib.request.Request(  # noqa: S310 - the URL is operator configuration
            f"{config.base_url}/chat/completions", data=body.encode(), headers=headers
        )
        try:
            with urllib.request.urlopen(request, timeout=config.timeout) as response:  # noqa: S310
                payload: Any = json.loads(response.read().decode("utf-8"))
            return str(payload["choices"][0]["message"]["content"])
        except urllib.error.HTTPError as exc:
            last = exc
            if exc.code < 500:
                break
        except (urllib.error.URLError, TimeoutError, KeyError, ValueError) as exc:
            last = exc
        if attempt < RETRIES:
            time.sleep(0.2)
    raise LlmError(f"LLM call failed: {last}")


@dataclass(frozen=True)
class Rewrite:
    text: str  # what the agent sees: the rewrite, or the original when rejected/disabled
    source: str  # "llm" | "extractive"
    findings: tuple[Finding, ...] = ()
    rejected_text: str = ""  # an LLM answer that the guardrails blocked


def llm_rewrite_tone(
    draft_text: str,
    tone: str,
    *,
    context: GroundingContext,
    policy: GuardrailPolicy | None = None,
    names: Iterable[str] = (),
    config: LlmConfig | None = None,
) -> Rewrite:
    config = config or llm_config()
    if not config.enabled:
        return Rewrite(draft_text, "extractive")
    redacted = redact(draft_text, names=names or context.customer_names)
    prompt = [
        {
            "role": "system",
            "content": (
                f"Rewrite the customer-service reply in a {tone} tone. Keep every fact, "
                "placeholder in [BRACKETS] and [missing: …] marker exactly. Add no facts, "
                "promises, amounts or dates."
            ),
        },
        {"role": "user", "content": redacted.text},
    ]
    try:
        answer = restore(chat(prompt, config=config).strip(), redacted.mapping)
    except LlmError as exc:
        logger.warning("replies.llm_failed", extra={"error": str(exc)})
        return Rewrite(draft_text, "extractive")
    findings = tuple(check_reply(answer, context, policy))
    if is_blocking(list(findings)):
        logger.info("replies.llm_rejected", extra={"checks": [f.check for f in findings]})
        return Rewrite(draft_text, "extractive", findings, rejected_text=answer)
    return Rewrite(answer, "llm", findings)


def llm_summarise(
    thread: Sequence[ThreadMessage],
    *,
    names: Iterable[str] = (),
    config: LlmConfig | None = None,
) -> str | None:
    """A short abstractive summary, or None when the LLM is off or fails (use summary_build)."""
    config = config or llm_config()
    if not config.enabled:
        return None
    names = tuple(names)
    joined = "\n".join(f"{m.direction}: {m.text}" for m in thread)
    redacted = redact(joined, names=names)
    prompt = [
        {"role": "system", "content": "Summarise this support thread for an escalation in "
         "at most 4 sentences: the ask, the facts, what was tried, what is pending."},
        {"role": "user", "content": redacted.text},
    ]  # fmt: skip
    try:
        return restore(chat(prompt, config=config).strip(), redacted.mapping)
    except LlmError:
        return None
