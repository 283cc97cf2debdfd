"""Facts for the rules engine, loaded set-based from tickets, TicketEnrichment and open spikes
(no query per ticket), plus the agent pool for assignment."""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from decimal import Decimal
from typing import Any

from django.contrib.auth import get_user_model
from django.db.models import Count, Q

from signaldesk.accounts.models import AgentProfile
from signaldesk.commerce.value import customer_value, value_thresholds
from signaldesk.signals.models import SpikeAlert
from signaldesk.tickets.models import OPEN_STATUSES, Ticket
from signaldesk.triage.models import TicketEnrichment
from signaldesk.workflow.rules.assign import Candidate

CHUNK = 1000
TICKET_FIELDS = (
    "id",
    "contact_reason",
    "reason_confidence",
    "channel",
    "language",
    "sentiment",
    "risk_flags",
    "priority",
    "ticket_type",
    "tags",
)
ENRICHMENT_FIELDS = (
    "ticket_id",
    "customer_tier",
    "is_vip",
    "lifetime_value",
    "order_value",
    "refund_amount",
    "days_since_delivery",
    "days_late",
    "shipment_status",
    "sku",
    "batch_code",
    "supplier",
    "carrier",
    "region",
    "warehouse",
    "repeat_contact_7d",
    "prior_tickets_90d",
)
# SpikeAlert.dimension -> the fact holding the ticket's value for it
SPIKE_DIMENSIONS = {
    "sku": "sku",
    "batch": "batch_code",
    "batch_code": "batch_code",
    "supplier": "supplier",
    "carrier": "carrier",
    "region": "region",
    "warehouse": "warehouse",
    "channel": "channel",
}


def open_spike_keys() -> set[tuple[str, str, str]]:
    """(reason, dimension, value) of every open spike alert."""
    rows = SpikeAlert.objects.filter(status="open").values_list("reason", "dimension", "value")
    return {(r, d, v) for r, d, v in rows}


def in_spike(facts: dict[str, Any], spikes: set[tuple[str, str, str]]) -> bool:
    reason = facts.get("reason") or ""
    if (reason, "all", "*") in spikes:
        return True
    pair = f"{facts.get('carrier') or ''}|{facts.get('region') or ''}"
    if (reason, "carrier_region", pair) in spikes:
        return True
    return any(
        (reason, dim, str(facts.get(key) or "")) in spikes for dim, key in SPIKE_DIMENSIONS.items()
    )


def value_facts(facts: dict[str, Any], provenance: dict[str, str]) -> dict[str, Any]:
    """`customer_value` (vip / high_value / standard, "" without a customer) and `orders_365d`,
    as triage stored them (commerce.value); an enrichment from before the segment existed is
    classified here from its tier and lifetime value alone."""
    if provenance.get("customer_value"):
        orders = int(provenance.get("orders_365d") or 0)
        return {"customer_value": provenance["customer_value"], "orders_365d": orders}
    if not facts.get("customer_tier"):
        return {"customer_value": "", "orders_365d": None}
    value = customer_value(
        tier=str(facts["customer_tier"]),
        lifetime_value=Decimal(str(facts.get("lifetime_value") or 0)),
        orders_365d=0,
        thresholds=value_thresholds(),
    )
    return {"customer_value": value.segment, "orders_365d": None}


def _plain(value: Any) -> Any:
    return float(value) if isinstance(value, Decimal) else value


def _chunks(ids: Sequence[int]) -> Iterator[Sequence[int]]:
    for start in range(0, len(ids), CHUNK):
        yield ids[start : start + CHUNK]


def facts_for_chunk(
    ids: Sequence[int], spikes: set[tuple[str, str, str]]
) -> dict[int, dict[str, Any]]:
    """Facts of up to CHUNK tickets in two queries."""
    enrich = {
        row["ticket_id"]: row
        for row in TicketEnrichment.objects.filter(ticket_id__in=ids).values(
            *ENRICHMENT_FIELDS, "provenance"
        )
    }
    out: dict[int, dict[str, Any]] = {}
    for row in Ticket.objects.filter(id__in=ids).values(*TICKET_FIELDS):
        facts: dict[str, Any] = {
            "reason": row["contact_reason"],
            "confidence": row["reason_confidence"],
            **{k: row[k] for k in TICKET_FIELDS[2:]},
            "risk_flags": list(row["risk_flags"] or []),
            "tags": list(row["tags"] or []),
        }
        extra = enrich.get(row["id"], {})
        for key in ENRICHMENT_FIELDS[1:]:
            facts[key] = _plain(extra.get(key))
        facts["is_vip"] = bool(facts["is_vip"])
        facts.update(value_facts(facts, extra.get("provenance") or {}))
        facts["repeat_contact_7d"] = bool(facts["repeat_contact_7d"])
        facts["in_active_spike"] = in_spike(facts, spikes)
        out[row["id"]] = facts
    return out


def iter_facts(ids: Sequence[int]) -> Iterator[dict[int, dict[str, Any]]]:
    spikes = open_spike_keys()
    for chunk in _chunks(ids):
        yield facts_for_chunk(chunk, spikes)


def facts_for_ticket(ticket_id: int) -> dict[str, Any]:
    return facts_for_chunk([ticket_id], open_spike_keys())[ticket_id]


def agent_pool(*, exclude_ticket_ids: Iterable[int] = ()) -> list[Candidate]:
    """Every active agent with a profile, with their current open-ticket count (one query)."""
    open_q = Q(assigned_tickets__status__in=OPEN_STATUSES) & ~Q(
        assigned_tickets__id__in=list(exclude_ticket_ids)
    )
    users = (
        get_user_model()
        .objects.filter(is_active=True, profile__isnull=False)
        .annotate(n_open=Count("assigned_tickets", filter=open_q))
        .values("id", "username", "n_open")
    )
    loads = {u["id"]: (u["username"], u["n_open"]) for u in users}
    profiles = AgentProfile.objects.filter(user_id__in=list(loads)).select_related("team")
    return [
        Candidate(
            user_id=p.user_id,
            username=loads[p.user_id][0],
            team=p.team.slug if p.team else "",
            languages=frozenset(str(x) for x in p.languages or []),
            skills=frozenset(str(x) for x in p.skills or []),
            is_senior=p.is_senior,
            max_open=p.max_open_tickets,
            open_tickets=loads[p.user_id][1],
        )
        for p in sorted(profiles, key=lambda p: p.user_id)
    ]
