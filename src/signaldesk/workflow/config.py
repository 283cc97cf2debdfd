"""Loading the workflow YAML files once per process. `reset_config_cache()` forgets them (tests,
or after editing the files); nothing else is kept in memory between sweeps."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from django.conf import settings

from signaldesk.tickets.models import TicketType
from signaldesk.workflow.machines import TicketTypes, parse_ticket_types
from signaldesk.workflow.sla_config import SlaConfig, parse_sla_config

PACKAGE_DIR = Path(__file__).resolve().parent
DEFAULT_TICKET_TYPES = PACKAGE_DIR / "ticket_types.yaml"
DEFAULT_SLA_POLICIES = PACKAGE_DIR / "sla_policies.yaml"


def _path(setting: str, default: Path) -> Path:
    return Path(getattr(settings, setting, "") or default)


@lru_cache(maxsize=1)
def ticket_types() -> TicketTypes:
    path = _path("SIGNALDESK_TICKET_TYPES_FILE", DEFAULT_TICKET_TYPES)
    return parse_ticket_types(
        path.read_text(encoding="utf-8"), source=path.name, known_types=tuple(TicketType.values)
    )


@lru_cache(maxsize=1)
def sla_config() -> SlaConfig:
    path = _path("SIGNALDESK_SLA_POLICIES_FILE", DEFAULT_SLA_POLICIES)
    return parse_sla_config(path.read_text(encoding="utf-8"), source=path.name)


def reset_config_cache() -> None:
    ticket_types.cache_clear()
    sla_config.cache_clear()
