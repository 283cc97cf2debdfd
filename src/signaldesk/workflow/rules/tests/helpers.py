"""Shared builders for the rules tests."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.utils import timezone

from signaldesk.accounts.models import AgentProfile, Team
from signaldesk.signals.models import SpikeAlert
from signaldesk.testing.factories import TicketFactory, UserFactory
from signaldesk.tickets.models import Ticket
from signaldesk.triage.models import TicketEnrichment


def enriched_ticket(enrichment: dict[str, Any] | None = None, **ticket: Any) -> Ticket:
    made: Ticket = TicketFactory(**ticket)
    now = timezone.now()
    fields = {
        k: Decimal(str(v)) if isinstance(v, float) else v for k, v in (enrichment or {}).items()
    }
    TicketEnrichment.objects.create(ticket=made, as_of=now, computed_at=now, **fields)
    return made


def agent(
    username: str,
    team: Team,
    *,
    languages: list[str],
    skills: list[str] | None = None,
    max_open: int = 25,
    senior: bool = False,
) -> Any:
    user = UserFactory(username=username, role="agent")
    AgentProfile.objects.filter(user=user).update(
        team=team,
        languages=languages,
        skills=skills or [],
        max_open_tickets=max_open,
        is_senior=senior,
    )
    return user


def spike(reason: str, dimension: str, value: str, *, status: str = "open") -> SpikeAlert:
    today = dt.date(2026, 1, 5)
    now = timezone.now()
    return SpikeAlert.objects.create(
        dedup_key=f"{reason}|{dimension}|{value}|{status}",
        segment={"reason": reason, dimension: value},
        segment_label=f"{reason} {dimension}={value}",
        reason=reason,
        dimension=dimension,
        value=value,
        onset=today,
        first_alert_day=today,
        last_alert_day=today,
        observed=10,
        expected=2.0,
        exposure=100.0,
        ratio=5.0,
        peak_ratio=5.0,
        p_value=0.001,
        q_value=0.01,
        severity="high",
        explanation="test",
        status=status,
        created_at=now,
        updated_at=now,
    )
