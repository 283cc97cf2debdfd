"""The weekly note's pure core: facts (dataclasses) → audience projection → Markdown."""

from __future__ import annotations

from signaldesk.insights.note.audience import facts_for_audience
from signaldesk.insights.note.facts import NoteFacts
from signaldesk.insights.note.render import render_note


def draft_note(store: NoteFacts, audience: str) -> tuple[NoteFacts, str]:
    """The audience's facts and the Markdown written from them."""
    facts = facts_for_audience(store, audience)
    return facts, render_note(facts)
