"""Triage: text cores → enrichment join → classifier hook → priority, stored per ticket.

`ticket_triage` (one ticket, e.g. after a new inbound message) and `ticket_triage_many`
(imported history, thousands of tickets) share one code path: tickets are processed in chunks
with a fixed number of queries per chunk, so both give identical results."""

from __future__ import annotations

import datetime as dt
import logging
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.db import transaction
from django.utils import timezone

from signaldesk.core.audit import Actor, audit_event, audit_record, audit_record_many
from signaldesk.core.errors import NotFound
from signaldesk.core.models import AuditEvent
from signaldesk.tickets.models import PRIORITY_RANK, Ticket
from signaldesk.triage import classification
from signaldesk.triage.classification import ReasonPrediction
from signaldesk.triage.enrichment import join
from signaldesk.triage.enrichment.catalog import CatalogSnapshot, catalog_current
from signaldesk.triage.enrichment.load import (
    Candidates,
    TicketRow,
    load_candidates,
    load_customer_stats,
    load_recent_orders,
    load_tickets,
)
from signaldesk.triage.enrichment.parallel import (
    Item,
    Pending,
    TextStage,
    analyze_items,
    workers_wanted,
)
from signaldesk.triage.enrichment.rows import load_order_rows, load_variant_rows
from signaldesk.triage.enrichment.store import enrichments_upsert, tickets_update
from signaldesk.triage.enrichment.text import TextSignals
from signaldesk.triage.learning.registry import active_model
from signaldesk.triage.ml import Prediction
from signaldesk.triage.models import OrderMatch, ProductMatchSource, TicketEnrichment
from signaldesk.triage.text.risk import priority_from_signals

logger = logging.getLogger(__name__)

CHUNK_SIZE = 1000
AUDIT_ACTION = "ticket.triaged"
# Ticket fields triage may set, in audit order.
TRIAGE_FIELDS = (
    "order", "variant", "language", "sentiment", "risk_flags", "priority",
    "contact_reason", "reason_confidence", "reason_source", "taxonomy_version",
)  # fmt: skip
_CONFIDENT_ORDER = {OrderMatch.QUOTED, OrderMatch.TRACKING}
_CONFIDENT_PRODUCT = {ProductMatchSource.MENTION_IN_ORDER, ProductMatchSource.SINGLE_LINE}


@dataclass(frozen=True)
class TriageProposal:
    """What triage would like the ticket to say. Applied by `ticket_triage_apply`: order and
    variant only fill empty fields, priority is only ever raised, a predicted reason never
    replaces one set by an agent, an import or a tag mapping."""

    order_id: int | None
    variant_id: int | None
    language: str
    sentiment: float | None
    risk_flags: list[str]
    priority: str
    prediction: ReasonPrediction | None = None


@dataclass(frozen=True)
class TriageResult:
    ticket_id: int
    enrichment: TicketEnrichment
    proposal: TriageProposal
    changes: dict[str, tuple[Any, Any]]  # ticket field → (before, after)
    warnings: list[dict[str, str]]


@dataclass
class TriageSummary:
    tickets: int = 0
    changed: int = 0
    seconds: float = 0.0
    warnings: int = 0
    by_order_match: dict[str, int] = field(default_factory=dict)


@dataclass
class _Computed:
    row: TicketRow
    values: dict[str, Any]
    proposal: TriageProposal


# --- computing ---------------------------------------------------------------------------------


def _items(rows: Sequence[TicketRow]) -> list[Item]:
    return [(r.ticket.subject, r.messages) for r in rows]


def _compute(
    rows: Sequence[TicketRow],
    signals: Sequence[TextSignals],
    catalog: CatalogSnapshot,
    *,
    classify: bool,
    now: dt.datetime,
    predicted: tuple[int, Sequence[Prediction | None]] | None = None,
) -> list[_Computed]:
    found: Candidates = load_candidates(
        numbers=[v for s in signals for v in s.order_values],
        tracking=[v for s in signals for v in s.tracking_values],
    )
    choices = [join.choose_order(r, s, found) for r, s in zip(rows, signals, strict=True)]
    unresolved = [i for i, c in enumerate(choices) if c.order_id is None]
    if unresolved:
        load_recent_orders(found, [rows[i] for i in unresolved])
        for i in unresolved:
            choices[i] = join.choose_order(rows[i], signals[i], found)
    orders = load_order_rows(c.order_id for c in choices if c.order_id is not None)
    products = [
        join.choose_product(r.ticket.variant_id, orders.get(c.order_id or 0), s, catalog)
        for r, c, s in zip(rows, choices, signals, strict=True)
    ]
    variants = load_variant_rows(p.catalog_variant_id for p in products if p.catalog_variant_id)
    stats = load_customer_stats([r.ticket for r in rows])
    predictions: list[ReasonPrediction | None] = [None] * len(rows)
    if classify:
        predictions = classification.classify_tickets(
            tickets=[r.ticket for r in rows], texts=[s.text for s in signals], predicted=predicted
        )
    out: list[_Computed] = []
    for row, sig, choice, product, prediction in zip(
        rows, signals, choices, products, predictions, strict=True
    ):
        ticket = row.ticket
        order = orders.get(choice.order_id or 0)
        if product.variant is None and product.catalog_variant_id is not None:
            product.variant = variants.get(product.catalog_variant_id)
        values: dict[str, Any] = {
            "order_id": order.pk if order is not None else None,
            "order_match": choice.match if order is not None else OrderMatch.NONE,
            "product_match": product.source, "channel": ticket.channel,
            "language": sig.language, "sentiment": sig.sentiment.score,
            "risk_flags": sig.risks_json(), "entities": sig.entities_json(),
            "warnings": choice.warnings, "messages_seen": len(row.messages),
            "last_message_id": row.messages[-1][0] if row.messages else None,
            "as_of": row.as_of, "computed_at": now,
        }  # fmt: skip
        provenance: dict[str, str] = {}
        if order is not None:
            provenance["order"] = choice.provenance
        values.update(join.product_fields(product, product.variant))
        if product.source:
            provenance["product"] = product.provenance
            if values.get("supplier"):
                provenance["supplier"] = "product"
        if order is not None:
            joined, joined_provenance = join.order_fields(order, choice, product, row.as_of)
            values.update(joined)
            provenance.update(joined_provenance)
        values.update(join.customer_fields(ticket.customer, stats.get(ticket.pk)))
        if ticket.customer is not None:
            provenance["customer"] = f"ticket:{ticket.customer_id}"
            provenance.update(join.customer_value_provenance(ticket.customer, stats.get(ticket.pk)))
        values["provenance"] = provenance
        flags = [flag for _, flag in sig.risks]
        suggested = priority_from_signals(flags, sig.sentiment, bool(values.get("is_vip")))
        values["suggested_priority"] = suggested
        confident = choice.match in _CONFIDENT_ORDER and not choice.warnings
        proposal = TriageProposal(
            order_id=values["order_id"] if confident else None,
            variant_id=values.get("variant_id")
            if (confident or choice.match == OrderMatch.TICKET)
            and product.source in _CONFIDENT_PRODUCT
            else None,
            language=sig.language,
            sentiment=sig.sentiment.score if sig.text else None,
            risk_flags=sig.risk_kinds,
            priority=suggested,
            prediction=prediction,
        )
        out.append(_Computed(row, values, proposal))
    return out


# --- applying ----------------------------------------------------------------------------------


def proposal_changes(ticket: Ticket, proposal: TriageProposal) -> dict[str, tuple[Any, Any]]:
    """The ticket fields the proposal changes, as {field: (before, after)}; see TriageProposal."""
    changes: dict[str, tuple[Any, Any]] = {}
    if ticket.order_id is None and proposal.order_id is not None:
        changes["order"] = (None, proposal.order_id)
    if ticket.variant_id is None and proposal.variant_id is not None:
        changes["variant"] = (None, proposal.variant_id)
    if proposal.language not in ("", "und") and proposal.language != ticket.language:
        changes["language"] = (ticket.language, proposal.language)
    if proposal.sentiment is not None and proposal.sentiment != ticket.sentiment:
        changes["sentiment"] = (ticket.sentiment, proposal.sentiment)
    if proposal.risk_flags != list(ticket.risk_flags or []):
        changes["risk_flags"] = (ticket.risk_flags, proposal.risk_flags)
    current = PRIORITY_RANK.get(ticket.priority, 1)  # type: ignore[call-overload]
    if PRIORITY_RANK.get(proposal.priority, 1) > current:  # type: ignore[call-overload]
        changes["priority"] = (ticket.priority, proposal.priority)
    prediction = proposal.prediction
    if prediction is not None and ticket.reason_source in ("", "model"):
        for name, value in (
            ("contact_reason", prediction.reason),
            ("reason_confidence", prediction.confidence),
            ("reason_source", "model"),
            ("taxonomy_version", prediction.taxonomy_version),
        ):
            if getattr(ticket, name) != value:
                changes[name] = (getattr(ticket, name), value)
    return changes


def _set(ticket: Ticket, changes: dict[str, tuple[Any, Any]]) -> list[str]:
    names: list[str] = []
    for name, (_before, after) in changes.items():
        attname = f"{name}_id" if name in ("order", "variant") else name
        setattr(ticket, attname, after)
        names.append(attname)
    return names


def _context(computed: _Computed) -> dict[str, Any]:
    return {
        "order_match": computed.values["order_match"],
        "suggested_priority": computed.proposal.priority,
        "warnings": [w["code"] for w in computed.values["warnings"]],
    }


def _audit(
    ticket: Ticket, computed: _Computed, changes: dict[str, tuple[Any, Any]], actor: Actor
) -> AuditEvent:
    return audit_event(
        actor=actor, action=AUDIT_ACTION, object_type="tickets.ticket", object_id=ticket.pk,
        before={k: v[0] for k, v in changes.items()}, after={k: v[1] for k, v in changes.items()},
        context=_context(computed),
    )  # fmt: skip


def ticket_triage_apply(
    *, ticket: Ticket, proposal: TriageProposal, actor: Actor, context: dict[str, Any] | None = None
) -> dict[str, tuple[Any, Any]]:
    """Apply a triage proposal to one ticket (locked) and audit what changed; returns it."""
    with transaction.atomic():
        locked = Ticket.objects.select_for_update().get(pk=ticket.pk)
        changes = proposal_changes(locked, proposal)
        if changes:
            names = _set(locked, changes)
            locked.updated_at = timezone.now()
            locked.save(update_fields=[*names, "updated_at"])
            audit_record(
                actor=actor, action=AUDIT_ACTION, obj=locked,
                before={k: v[0] for k, v in changes.items()},
                after={k: v[1] for k, v in changes.items()}, context=context or {},
            )  # fmt: skip
        _set(ticket, changes)
    return changes


# --- storing -----------------------------------------------------------------------------------


def _enrichment(ticket_id: int, values: dict[str, Any]) -> TicketEnrichment:
    defaults = {f.attname: f.get_default() for f in TicketEnrichment._meta.concrete_fields}
    defaults.pop("id")
    defaults.update(values, ticket_id=ticket_id)
    return TicketEnrichment(**defaults)


def _store(computed: list[_Computed], actor: Actor) -> list[TriageResult]:
    """One transaction per chunk: upsert the enrichment rows, apply the proposals to the
    (re-read, locked) tickets in bulk, write one audit event per changed ticket."""
    rows = [_enrichment(c.row.ticket.pk, c.values) for c in computed]
    results: list[TriageResult] = []
    with transaction.atomic():
        enrichments_upsert(rows)
        if len(computed) == 1:
            c = computed[0]
            changes = ticket_triage_apply(
                ticket=c.row.ticket, proposal=c.proposal, actor=actor, context=_context(c)
            )
            return [
                TriageResult(c.row.ticket.pk, rows[0], c.proposal, changes, c.values["warnings"])
            ]
        fresh = Ticket.objects.select_for_update().in_bulk([c.row.ticket.pk for c in computed])
        changed: list[Ticket] = []
        changed_names: list[list[str]] = []
        events = []
        now = timezone.now()
        for c, row in zip(computed, rows, strict=True):
            ticket = fresh[c.row.ticket.pk]
            changes = proposal_changes(ticket, c.proposal)
            if changes:
                changed_names.append(_set(ticket, changes))
                ticket.updated_at = now
                changed.append(ticket)
                events.append(_audit(ticket, c, changes, actor))
            _set(c.row.ticket, changes)
            results.append(
                TriageResult(c.row.ticket.pk, row, c.proposal, changes, c.values["warnings"])
            )
        if changed:
            tickets_update(changed, changed_names)
            audit_record_many(events)
    return results


def _run_chunk(ticket_ids: Sequence[int], actor: Actor, *, classify: bool) -> list[TriageResult]:
    catalog = catalog_current()
    rows = load_tickets(ticket_ids)
    signals = analyze_items(_items(rows), catalog.catalog)
    computed = _compute(rows, signals, catalog, classify=classify, now=timezone.now())
    return _store(computed, actor)


def ticket_triage(*, ticket_id: int, actor: Actor, classify: bool = True) -> TriageResult:
    """Triage one ticket: enrich it, store the enrichment, apply the proposal (audited)."""
    results = _run_chunk([ticket_id], actor, classify=classify)
    if not results:
        raise NotFound(f"Ticket {ticket_id} does not exist.")
    result = results[0]
    logger.info(
        "triage.ticket",
        extra={"ticket_id": ticket_id, "changed": sorted(result.changes),
               "order_match": result.enrichment.order_match},
    )  # fmt: skip
    return result


def ticket_triage_many(
    *,
    ticket_ids: Sequence[int],
    actor: Actor,
    classify: bool = True,
    chunk_size: int = CHUNK_SIZE,
    progress: Callable[[int], None] | None = None,
    workers: int | None = None,
) -> TriageSummary:
    """Triage many tickets (imported history) chunk by chunk; `progress(n)` after each chunk.

    The text stage and the prediction of chunk N+1 run in forked workers
    (enrichment/parallel.py) while this process joins, records the predictions of and stores
    chunk N. `workers`: None = SIGNALDESK_TRIAGE_WORKERS (default 2) when the batch is large
    enough and forking is safe, 0 = inline. The catalog snapshot taken at the start serves the
    whole batch; results equal `ticket_triage` one at a time (tests/test_batch_paths.py)."""
    summary = TriageSummary()
    started = time.perf_counter()
    ids = list(ticket_ids)
    catalog = catalog_current()
    chunks = [ids[start : start + chunk_size] for start in range(0, len(ids), chunk_size)]
    wanted = workers_wanted(len(ids)) if workers is None else workers
    loaded = active_model() if classify and wanted else None

    def finish(rows: list[TicketRow], pending: Pending) -> None:
        signals, preds = pending.get()
        predicted = (loaded.version_id, preds) if loaded is not None and preds is not None else None
        computed = _compute(
            rows, signals, catalog, classify=classify, now=timezone.now(), predicted=predicted
        )
        results = _store(computed, actor)
        summary.tickets += len(results)
        summary.changed += sum(1 for r in results if r.changes)
        summary.warnings += sum(1 for r in results if r.warnings)
        for r in results:
            key = r.enrichment.order_match or "none"
            summary.by_order_match[key] = summary.by_order_match.get(key, 0) + 1
        if progress is not None:
            progress(len(rows))

    classifier = loaded.classifier if loaded is not None else None
    with TextStage(catalog.catalog, workers=wanted, classifier=classifier) as stage:
        waiting: tuple[list[TicketRow], Pending] | None = None
        for chunk in chunks:
            rows = load_tickets(chunk)
            submitted = (rows, stage.submit(_items(rows)))
            if waiting is not None:
                finish(*waiting)
            waiting = submitted
        if waiting is not None:
            finish(*waiting)
    summary.seconds = time.perf_counter() - started
    logger.info("triage.batch", extra={"tickets": summary.tickets, "changed": summary.changed})
    return summary
