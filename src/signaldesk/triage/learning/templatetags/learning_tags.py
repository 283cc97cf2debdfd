from __future__ import annotations

from collections.abc import Mapping

from django import template

register = template.Library()


@register.filter
def pct(value: object) -> str:
    """0.873 → "87%"; anything that is not a number → "—"."""
    if isinstance(value, bool) or not isinstance(value, int | float):
        return "—"
    return f"{round(value * 100)}%"


@register.filter
def get_item(mapping: object, key: str) -> object:
    return mapping.get(key) if isinstance(mapping, Mapping) else None
