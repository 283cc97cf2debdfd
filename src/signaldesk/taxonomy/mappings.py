"""Writes for tag → contact reason mappings: persist proposals, approve, reject."""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone

from signaldesk.core.audit import Actor, audit_record
from signaldesk.core.errors import NotFound, ValidationError
from signaldesk.taxonomy.audit.report import TagAuditReport
from signaldesk.taxonomy.models import MappingStatus, TagMapping, TaxonomyVersion
from signaldesk.taxonomy.selectors import active_taxonomy


@transaction.atomic
def tag_mappings_propose(*, report: TagAuditReport, actor: Actor) -> dict[str, int]:
    """Store the report's proposals. New tags get a proposed mapping; proposed mappings are
    refreshed; approved and rejected mappings are left exactly as a human decided them."""
    version = TaxonomyVersion.objects.filter(label=report.taxonomy_version).first()
    now = timezone.now()
    existing = {m.tag: m for m in TagMapping.objects.select_for_update()}
    created, updated = [], []
    for p in report.proposals:
        evidence = {"name_score": p.name_score, "text_score": p.text_score, "note": p.note}
        current = existing.get(p.tag)
        if current is None:
            created.append(
                TagMapping(
                    tag=p.tag,
                    reason_id=p.reason_id,
                    confidence=p.confidence,
                    evidence=evidence,
                    taxonomy_version=version,
                    created_at=now,
                    updated_at=now,
                )
            )
        elif current.status == MappingStatus.PROPOSED:
            current.reason_id, current.confidence = p.reason_id, p.confidence
            current.evidence, current.taxonomy_version, current.updated_at = evidence, version, now
            updated.append(current)
    TagMapping.objects.bulk_create(created, batch_size=1000)
    TagMapping.objects.bulk_update(
        updated,
        ["reason_id", "confidence", "evidence", "taxonomy_version", "updated_at"],
        batch_size=1000,
    )
    counts = {"created": len(created), "updated": len(updated)}
    audit_record(
        actor=actor,
        action="taxonomy.mappings_proposed",
        object_type="taxonomy.tagmapping",
        object_id="*",
        after=counts,
        context={"taxonomy_version": report.taxonomy_version},
    )
    return counts


def _mapping(mapping_id: int) -> TagMapping:
    mapping = TagMapping.objects.select_for_update().filter(pk=mapping_id).first()
    if mapping is None:
        raise NotFound(f"No tag mapping {mapping_id}.")
    return mapping


@transaction.atomic
def tag_mapping_approve(
    *, mapping_id: int, actor: Actor, reason_id: str | None = None
) -> TagMapping:
    """Approve a mapping, optionally choosing a different reason than proposed."""
    mapping = _mapping(mapping_id)
    target = mapping.reason_id if reason_id is None else reason_id
    if not target:
        raise ValidationError(
            f"Tag {mapping.tag!r} has no proposed reason; approve it with a reason_id."
        )
    taxonomy = active_taxonomy()
    taxonomy.reason(target)  # NotFound when the reason is not in the active taxonomy
    before = {"status": mapping.status, "reason_id": mapping.reason_id}
    mapping.reason_id, mapping.status = target, MappingStatus.APPROVED
    mapping.approved_by_id, mapping.approved_at = actor.user_id, timezone.now()
    mapping.updated_at = mapping.approved_at
    mapping.taxonomy_version = TaxonomyVersion.objects.get(label=taxonomy.version)
    mapping.save()
    audit_record(
        actor=actor,
        action="taxonomy.mapping_approved",
        obj=mapping,
        before=before,
        after={"status": mapping.status, "reason_id": target, "tag": mapping.tag},
    )
    return mapping


@transaction.atomic
def tag_mapping_reject(*, mapping_id: int, actor: Actor) -> TagMapping:
    mapping = _mapping(mapping_id)
    before = {"status": mapping.status, "reason_id": mapping.reason_id}
    mapping.status, mapping.updated_at = MappingStatus.REJECTED, timezone.now()
    mapping.approved_by_id, mapping.approved_at = None, None
    mapping.save()
    audit_record(
        actor=actor,
        action="taxonomy.mapping_rejected",
        obj=mapping,
        before=before,
        after={"status": mapping.status, "tag": mapping.tag},
    )
    return mapping
