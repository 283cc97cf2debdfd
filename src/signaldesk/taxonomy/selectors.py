"""Reads for the taxonomy. Taxonomy views are built once per version and cached in-process
(versions never change once created, so the cache never goes stale)."""

from __future__ import annotations

import threading

from django.db.models import QuerySet

from signaldesk.core.audit import Actor
from signaldesk.core.errors import NotFound
from signaldesk.taxonomy.domain import ReasonTemplate, Taxonomy, taxonomy_from_doc
from signaldesk.taxonomy.models import RelabelBatch, TagMapping, TaxonomyVersion
from signaldesk.taxonomy.schema import parse_taxonomy

_CACHE: dict[tuple[int, str, str], Taxonomy] = {}
_CACHE_LOCK = threading.Lock()
_CACHE_MAX = 32


def _view(version: TaxonomyVersion) -> Taxonomy:
    key = (version.pk, version.label, version.content_hash)
    cached = _CACHE.get(key)
    if cached is not None:
        return cached
    source = version.source_yaml or TaxonomyVersion.objects.get(pk=version.pk).source_yaml
    parsed = parse_taxonomy(source, source=version.source_name or version.label)
    view = taxonomy_from_doc(parsed.doc, version=version.label, content_hash=version.content_hash)
    with _CACHE_LOCK:
        if len(_CACHE) >= _CACHE_MAX:
            _CACHE.clear()
        _CACHE[key] = view
    return view


def active_taxonomy() -> Taxonomy:
    """The active taxonomy. On first use (no version stored at all) the shipped retail default
    is loaded and activated, audited as system:taxonomy.bootstrap."""
    version = TaxonomyVersion.objects.filter(is_active=True).first()
    if version is None:
        if TaxonomyVersion.objects.exists():
            raise NotFound("No taxonomy version is active; activate one.")
        from signaldesk.taxonomy.services import taxonomy_load_yaml

        version = taxonomy_load_yaml(actor=Actor.system("taxonomy.bootstrap"))
    return _view(version)


def taxonomy_for_version(label: str) -> Taxonomy:
    """The taxonomy a ticket was classified under (Ticket.taxonomy_version holds the label)."""
    version = TaxonomyVersion.objects.filter(label=label).first()
    if version is None:
        raise NotFound(f"No taxonomy version {label!r}.")
    return _view(version)


def reason_template(reason_id: str, *, version: str | None = None) -> ReasonTemplate:
    """The routing template of a reason in the active taxonomy (or in the named version)."""
    taxonomy = taxonomy_for_version(version) if version else active_taxonomy()
    return taxonomy.reason(reason_id)


def taxonomy_versions() -> QuerySet[TaxonomyVersion]:
    return TaxonomyVersion.objects.defer("source_yaml").order_by("-created_at", "-id")


def tag_mappings(*, status: str | None = None) -> QuerySet[TagMapping]:
    qs = TagMapping.objects.select_related("taxonomy_version").order_by("tag")
    return qs.filter(status=status) if status else qs


def relabel_batches() -> QuerySet[RelabelBatch]:
    return RelabelBatch.objects.order_by("-created_at", "-id")
