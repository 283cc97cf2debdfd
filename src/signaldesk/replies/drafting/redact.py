"""Redaction of personal data before text leaves the process (the optional LLM), and the
re-insertion afterwards (Django-free).

Replaced, in this order: e-mails, phone numbers, order numbers (via triage.text.entities),
street addresses (guardrails ADDRESS_RE), then the customer's names given by the caller (full
name and each part of it longer than two letters). Each distinct value gets one placeholder
([EMAIL_1], [PHONE_1], [ORDER_1], [ADDRESS_1], [NAME_1]), the same value the same one."""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

from signaldesk.replies.guardrails.patterns import ADDRESS_RE
from signaldesk.triage.text.entities import extract_entities


@dataclass(frozen=True)
class Redacted:
    text: str
    mapping: dict[str, str]  # placeholder -> original text


class _Redactor:
    def __init__(self) -> None:
        self.by_value: dict[tuple[str, str], str] = {}
        self.mapping: dict[str, str] = {}
        self.counts: dict[str, int] = {}

    def placeholder(self, kind: str, raw: str) -> str:
        key = (kind, raw.lower())
        if key not in self.by_value:
            self.counts[kind] = self.counts.get(kind, 0) + 1
            token = f"[{kind}_{self.counts[kind]}]"
            self.by_value[key] = token
            self.mapping[token] = raw
        return self.by_value[key]


def _replace_spans(text: str, spans: list[tuple[int, int, str]]) -> str:
    out, last = [], 0
    for start, end, token in sorted(spans):
        if start < last:
            continue
        out.append(text[last:start])
        out.append(token)
        last = end
    out.append(text[last:])
    return "".join(out)


def redact(text: str, *, names: Iterable[str] = (), language: str = "und") -> Redacted:
    red = _Redactor()
    entities = extract_entities(text, language=language)
    spans: list[tuple[int, int, str]] = []
    for email in entities.emails:
        spans.append(
            (email.start, email.end, red.placeholder("EMAIL", text[email.start : email.end]))
        )
    for phone in entities.phones:
        spans.append((phone.start, phone.end, red.placeholder("PHONE", phone.raw)))
    for order in entities.order_numbers:
        spans.append((order.start, order.end, red.placeholder("ORDER", order.raw)))
    text = _replace_spans(text, spans)
    text = ADDRESS_RE.sub(lambda m: red.placeholder("ADDRESS", m.group()), text)
    parts: list[str] = []
    for name in names:
        name = name.strip()
        if name:
            parts.append(name)
            parts.extend(p for p in name.split() if len(p) > 2)
    for part in sorted(dict.fromkeys(parts), key=len, reverse=True):
        pattern = re.compile(rf"(?<![\w\[]){re.escape(part)}(?!\w)", re.IGNORECASE)
        text = pattern.sub(lambda m: red.placeholder("NAME", m.group()), text)
    return Redacted(text=text, mapping=dict(red.mapping))


def restore(text: str, mapping: dict[str, str]) -> str:
    """Put the original values back in place of the placeholders."""
    for token in sorted(mapping, key=len, reverse=True):
        text = text.replace(token, mapping[token])
    return text
