"""The notice text: a plain-text subject and body with `{variable}` placeholders (Django-free).

Only the names in VARIABLES are replaced; anything else in braces is refused when the campaign
is saved (no str.format on user text: no attribute access, no surprises)."""

from __future__ import annotations

import re
from collections.abc import Mapping

VARIABLES: dict[str, str] = {
    "name": "the customer's name (or 'there')",
    "first_name": "the first word of the name (or 'there')",
    "orders": "the affected order numbers, comma-separated",
    "carrier": "the campaign's carrier",
    "region": "the campaign's region",
    "skus": "the campaign's SKUs, comma-separated",
    "batches": "the campaign's batches, comma-separated",
    "reference": "the reply reference, PC-<campaign>-<token>",
}
PLACEHOLDER_RE = re.compile(r"\{([^{}]*)\}")


def unknown_variables(text: str) -> list[str]:
    return sorted({m for m in PLACEHOLDER_RE.findall(text) if m not in VARIABLES})


def render(text: str, values: Mapping[str, str]) -> str:
    return PLACEHOLDER_RE.sub(lambda m: values.get(m.group(1), m.group(0)), text)


def values_for(
    *,
    name: str,
    orders: list[str],
    carrier: str,
    region: str,
    skus: list[str],
    batches: list[str],
    reference: str,
) -> dict[str, str]:
    clean = name.strip()
    return {
        "name": clean or "there",
        "first_name": clean.split()[0] if clean else "there",
        "orders": ", ".join(orders),
        "carrier": carrier,
        "region": region,
        "skus": ", ".join(skus),
        "batches": ", ".join(batches),
        "reference": reference,
    }
