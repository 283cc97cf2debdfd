"""REST API for the taxonomy: /api/v1/taxonomy …  Thin: authorise, call one service or
selector, serialise."""

from __future__ import annotations

import dataclasses
import datetime as dt
from typing import Any

from django.http import HttpRequest
from ninja import Query, Router

from signaldesk.accounts.api_auth import api_auth, authorize
from signaldesk.core.audit import Actor, to_jsonable
from signaldesk.taxonomy import selectors
from signaldesk.taxonomy.audit import tag_audit
from signaldesk.taxonomy.mappings import (
    tag_mapping_approve,
    tag_mapping_reject,
    tag_mappings_propose,
)
from signaldesk.taxonomy.models import TagMapping, TaxonomyVersion
from signaldesk.taxonomy.relabel import relabel_batch_revert, tag_mappings_apply
from signaldesk.taxonomy.schemas import (
    ApplyOut,
    ApproveIn,
    MappingOut,
    ProposeOut,
    ReasonOut,
    RevertOut,
    TaxonomyOut,
    VersionOut,
)
from signaldesk.taxonomy.services import taxonomy_activate

taxonomy_router = Router(auth=api_auth, tags=["taxonomy"])


def _version_out(v: TaxonomyVersion) -> VersionOut:
    return VersionOut(
        id=v.pk,
        label=v.label,
        content_hash=v.content_hash,
        source_name=v.source_name,
        created_at=v.created_at,
        created_by=v.created_by_label,
        is_active=v.is_active,
        parent=v.parent.label if v.parent else None,
        notes=v.notes,
    )


def _mapping_out(m: TagMapping) -> MappingOut:
    return MappingOut(
        id=m.pk,
        tag=m.tag,
        reason_id=m.reason_id,
        confidence=m.confidence,
        status=m.status,
        evidence=m.evidence,
        taxonomy_version=m.taxonomy_version.label if m.taxonomy_version else None,
        approved_by=m.approved_by_id,
        approved_at=m.approved_at,
    )


def _plain(obj: Any) -> Any:
    return to_jsonable(dataclasses.asdict(obj))


@taxonomy_router.get("", response=TaxonomyOut)
def taxonomy_active(request: HttpRequest) -> Any:
    """The active taxonomy version with every reason's routing template."""
    authorize(request, "taxonomy.read")
    return _plain(selectors.active_taxonomy())


@taxonomy_router.get("/reasons/{reason_id}", response=ReasonOut)
def taxonomy_reason(request: HttpRequest, reason_id: str) -> Any:
    authorize(request, "taxonomy.read")
    return _plain(selectors.reason_template(reason_id))


@taxonomy_router.get("/versions", response=list[VersionOut])
def taxonomy_version_list(request: HttpRequest) -> list[VersionOut]:
    authorize(request, "taxonomy.read")
    return [_version_out(v) for v in selectors.taxonomy_versions().select_related("parent")]


@taxonomy_router.post("/versions/{version_id}/activate", response=VersionOut)
def taxonomy_version_activate(request: HttpRequest, version_id: int) -> VersionOut:
    authorize(request, "taxonomy.write")
    version = taxonomy_activate(version_id=version_id, actor=Actor.of_user(request.user))
    return _version_out(version)


@taxonomy_router.get("/audit", response=dict[str, Any])
def taxonomy_tag_audit(
    request: HttpRequest,
    since: dt.datetime | None = None,
    tags: str = Query("", description="Comma-separated full tag list, to report unused tags."),
) -> dict[str, Any]:
    """The legacy tag audit (computed on request; nothing is stored)."""
    authorize(request, "taxonomy.read")
    defined = [t for t in tags.split(",") if t.strip()]
    return tag_audit(since=since, defined_tags=defined).to_dict()


@taxonomy_router.get("/mappings", response=list[MappingOut])
def taxonomy_mapping_list(request: HttpRequest, status: str = "") -> list[MappingOut]:
    authorize(request, "taxonomy.read")
    return [_mapping_out(m) for m in selectors.tag_mappings(status=status or None)]


@taxonomy_router.post("/mappings/propose", response=ProposeOut)
def taxonomy_mapping_propose(request: HttpRequest, since: dt.datetime | None = None) -> Any:
    """Run the audit and store its proposals (approved/rejected mappings are kept)."""
    authorize(request, "taxonomy.write")
    return tag_mappings_propose(report=tag_audit(since=since), actor=Actor.of_user(request.user))


@taxonomy_router.post("/mappings/apply", response=ApplyOut)
def taxonomy_mapping_apply(request: HttpRequest) -> Any:
    """Relabel history with the approved mappings (one reversible relabel batch)."""
    authorize(request, "taxonomy.write")
    return _plain(tag_mappings_apply(actor=Actor.of_user(request.user)))


@taxonomy_router.post("/mappings/{mapping_id}/approve", response=MappingOut)
def taxonomy_mapping_approve(
    request: HttpRequest, mapping_id: int, payload: ApproveIn | None = None
) -> MappingOut:
    authorize(request, "taxonomy.write")
    mapping = tag_mapping_approve(
        mapping_id=mapping_id,
        actor=Actor.of_user(request.user),
        reason_id=payload.reason_id if payload else None,
    )
    return _mapping_out(mapping)


@taxonomy_router.post("/mappings/{mapping_id}/reject", response=MappingOut)
def taxonomy_mapping_reject(request: HttpRequest, mapping_id: int) -> MappingOut:
    authorize(request, "taxonomy.write")
    return _mapping_out(
        tag_mapping_reject(mapping_id=mapping_id, actor=Actor.of_user(request.user))
    )


@taxonomy_router.post("/relabels/{batch_id}/revert", response=RevertOut)
def taxonomy_relabel_revert(request: HttpRequest, batch_id: int) -> Any:
    authorize(request, "taxonomy.write")
    return _plain(relabel_batch_revert(batch_id=batch_id, actor=Actor.of_user(request.user)))
