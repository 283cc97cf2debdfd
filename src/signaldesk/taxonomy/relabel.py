"""Apply approved tag mappings to ticket history, and revert such a batch exactly.

Precedence (highest first): agent correction (reason_source "agent"), then other human or
imported reasons ("import", "self_service"), then tag mapping, then the model. Applying only
touches tickets whose reason_source is "", "model" or "tag_mapping". A ticket with several
mapped tags takes the mapping with the highest confidence; ties go to the alphabetically first
tag. Both directions are single set-based UPDATE … FROM statements over the batch's items."""

from __future__ import annotations

import logging
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from django.db import connection, transaction
from django.utils import timezone

from signaldesk.core.audit import Actor, audit_record
from signaldesk.core.errors import Conflict, NotFound
from signaldesk.taxonomy.audit.collect import normalise_tag
from signaldesk.taxonomy.models import MappingStatus, RelabelBatch, RelabelItem, TagMapping
from signaldesk.taxonomy.selectors import active_taxonomy
from signaldesk.tickets.models import Ticket

logger = logging.getLogger(__name__)

OVERWRITABLE_SOURCES = ("", "model", "tag_mapping")
TAG_MAPPING_SOURCE = "tag_mapping"
_FLUSH = 5000


@dataclass(frozen=True)
class ApplyResult:
    batch_id: int | None
    tickets_changed: int
    by_reason: dict[str, int] = field(default_factory=dict)
    skipped_mappings: tuple[str, ...] = ()  # approved tags whose reason is not in the taxonomy


@dataclass(frozen=True)
class RevertResult:
    batch_id: int
    restored: int
    skipped: int  # tickets changed since the batch (e.g. an agent corrected them): left alone


def _q(name: str) -> str:
    return connection.ops.quote_name(name)


@transaction.atomic
def tag_mappings_apply(*, actor: Actor) -> ApplyResult:
    taxonomy = active_taxonomy()
    known = set(taxonomy.ids)
    approved = list(TagMapping.objects.filter(status=MappingStatus.APPROVED).exclude(reason_id=""))
    mappings = {m.tag: m for m in approved if m.reason_id in known}
    skipped = tuple(sorted(m.tag for m in approved if m.reason_id not in known))
    if not mappings:
        return ApplyResult(None, 0, {}, skipped)
    batch = RelabelBatch.objects.create(
        created_at=timezone.now(),
        created_by_id=actor.user_id,
        created_by_label=actor.label,
        taxonomy_version=taxonomy.version,
        mappings=[
            {"tag": m.tag, "reason_id": m.reason_id, "confidence": m.confidence}
            for m in sorted(mappings.values(), key=lambda m: m.tag)
        ],
    )
    rows = Ticket.objects.filter(reason_source__in=OVERWRITABLE_SOURCES).values_list(
        "id", "tags", "contact_reason", "reason_confidence", "reason_source", "taxonomy_version"
    )
    # Pass 1 (read only): the winning mapping per ticket, as plain tuples.
    items: list[tuple[Any, ...]] = []
    by_reason: Counter[str] = Counter()
    for ticket_id, tags, reason, confidence, source, version in rows.iterator(chunk_size=_FLUSH):
        hits = [mappings[t] for t in {normalise_tag(x) for x in tags or []} if t in mappings]
        if not hits:
            continue
        win = min(hits, key=lambda m: (-m.confidence, m.tag))
        after = (win.reason_id, win.confidence, TAG_MAPPING_SOURCE, taxonomy.version)
        if (reason, confidence, source, version) == after:
            continue
        by_reason[win.reason_id] += 1
        items.append(
            (batch.pk, ticket_id, reason, confidence, source, version, win.reason_id,
             win.confidence, win.tag)
        )  # fmt: skip
    # Pass 2: the before values, inserted in plain executemany chunks (no model instances).
    item_t = _q(RelabelItem._meta.db_table)
    columns = ", ".join(
        _q(c)
        for c in (
            "batch_id", "ticket_id", "before_reason", "before_confidence", "before_source",
            "before_version", "after_reason", "after_confidence", "tag",
        )
    )  # fmt: skip
    insert = f"INSERT INTO {item_t} ({columns}) VALUES ({', '.join(['%s'] * 9)})"
    with connection.cursor() as cursor:
        for start in range(0, len(items), _FLUSH):
            cursor.executemany(insert, items[start : start + _FLUSH])
    if not by_reason:
        batch.delete()
        return ApplyResult(None, 0, {}, skipped)
    ticket_t = _q(Ticket._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(
            f"UPDATE {ticket_t} SET contact_reason = i.after_reason, "
            f"reason_confidence = i.after_confidence, reason_source = %s, taxonomy_version = %s "
            f"FROM {item_t} AS i WHERE i.batch_id = %s AND i.ticket_id = {ticket_t}.id",
            [TAG_MAPPING_SOURCE, taxonomy.version, batch.pk],
        )
        changed = cursor.rowcount
    batch.ticket_count = changed
    batch.save(update_fields=["ticket_count"])
    audit_record(
        actor=actor,
        action="taxonomy.relabel_applied",
        obj=batch,
        after={"tickets": changed, "by_reason": dict(sorted(by_reason.items()))},
        context={"taxonomy_version": taxonomy.version, "mappings": batch.mappings},
    )
    logger.info("taxonomy.relabel_applied", extra={"batch": batch.pk, "tickets": changed})
    return ApplyResult(batch.pk, changed, dict(sorted(by_reason.items())), skipped)


@transaction.atomic
def relabel_batch_revert(*, batch_id: int, actor: Actor) -> RevertResult:
    """Restore the exact before values of every ticket the batch changed, except tickets that
    changed again since (their current reason is no longer the batch's). Batches are reverted
    newest first."""
    batch = RelabelBatch.objects.select_for_update().filter(pk=batch_id).first()
    if batch is None:
        raise NotFound(f"No relabel batch {batch_id}.")
    if batch.reverted_at is not None:
        raise Conflict(f"Relabel batch {batch_id} was already reverted.")
    newer = RelabelBatch.objects.filter(pk__gt=batch.pk, reverted_at__isnull=True)
    if newer.exists():
        ids = ", ".join(str(pk) for pk in newer.order_by("pk").values_list("pk", flat=True))
        raise Conflict(f"Revert the newer relabel batches first: {ids}.")
    ticket_t, item_t = _q(Ticket._meta.db_table), _q(RelabelItem._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(
            f"UPDATE {ticket_t} SET contact_reason = i.before_reason, "
            f"reason_confidence = i.before_confidence, reason_source = i.before_source, "
            f"taxonomy_version = i.before_version "
            f"FROM {item_t} AS i WHERE i.batch_id = %s AND i.ticket_id = {ticket_t}.id "
            f"AND {ticket_t}.contact_reason = i.after_reason "
            f"AND {ticket_t}.reason_confidence = i.after_confidence "
            f"AND {ticket_t}.reason_source = %s AND {ticket_t}.taxonomy_version = %s",
            [batch.pk, TAG_MAPPING_SOURCE, batch.taxonomy_version],
        )
        restored = cursor.rowcount
    total = RelabelItem.objects.filter(batch=batch).count()
    batch.reverted_at, batch.reverted_by_label = timezone.now(), actor.label
    batch.reverted_count = restored
    batch.save(update_fields=["reverted_at", "reverted_by_label", "reverted_count"])
    audit_record(
        actor=actor,
        action="taxonomy.relabel_reverted",
        obj=batch,
        before={"tickets": batch.ticket_count},
        after={"restored": restored, "skipped": total - restored},
    )
    logger.info("taxonomy.relabel_reverted", extra={"batch": batch.pk, "restored": restored})
    return RevertResult(batch.pk, restored, total - restored)
