"""Contact reason names and owner teams from the active taxonomy (for notes and reports)."""

from __future__ import annotations

import logging
from dataclasses import dataclass

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class ReasonInfo:
    label: str
    owner_team: str


def reason_info() -> dict[str, ReasonInfo]:
    """Reason id → name and owner team from the active taxonomy ({} when none can be loaded)."""
    from signaldesk.taxonomy.selectors import active_taxonomy

    try:
        taxonomy = active_taxonomy()
    except Exception:  # a broken or missing taxonomy must not stop the note
        logger.warning("insights.no_taxonomy")
        return {}
    return {r.id: ReasonInfo(r.name, r.owner_team) for r in taxonomy.reasons}


def reason_of(info: dict[str, ReasonInfo], reason: str) -> ReasonInfo:
    return info.get(reason) or ReasonInfo(reason.replace("_", " ").capitalize(), "operations")
