"""Template helpers for the console."""

from __future__ import annotations

import nh3
from django import template
from django.utils.safestring import SafeString, mark_safe

register = template.Library()


@register.filter
def sanitize_html(value: object) -> SafeString:
    """Re-sanitise stored HTML with nh3 before rendering it (defence in depth: Message.body_html
    was already cleaned at intake). Links get rel="noopener noreferrer"; scripts, event handlers
    and javascript: URLs are dropped."""
    cleaned = nh3.clean(str(value or ""), link_rel="noopener noreferrer nofollow")
    return mark_safe(cleaned)  # noqa: S308 - the value is the output of nh3.clean


@register.filter
def confidence_pct(value: float | None) -> str:
    return "—" if value is None else f"{round(value * 100)}%"
