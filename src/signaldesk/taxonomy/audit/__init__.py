"""Legacy tag audit: usage, near-duplicates, broad tags, unused tags, inconsistent agent use and
a proposed contact reason per tag. `tag_audit()` is the selector the console and API use."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from django.utils import timezone

from signaldesk.taxonomy.audit.collect import collect_corpus, normalise_tag
from signaldesk.taxonomy.audit.findings import (
    broad_tags,
    inconsistent_use,
    meaning_duplicates,
    spelling_duplicates,
    unused_tags,
)
from signaldesk.taxonomy.audit.mapping import propose_mappings
from signaldesk.taxonomy.audit.report import AuditSettings, TagAuditReport, TagUsage
from signaldesk.taxonomy.audit.text import build_text_model, embedding_centroids

__all__ = ["AuditSettings", "TagAuditReport", "tag_audit"]


def tag_audit(
    *,
    since: dt.datetime | None = None,
    until: dt.datetime | None = None,
    defined_tags: Iterable[str] = (),
    use_embeddings: bool = False,
    settings: AuditSettings | None = None,
) -> TagAuditReport:
    """Audit the legacy tags of tickets created in [since, until) (until defaults to now).
    defined_tags: the helpdesk's full tag list, so tags with zero uses can be reported."""
    from signaldesk.taxonomy.selectors import active_taxonomy

    settings = settings or AuditSettings()
    now = timezone.now()
    until = until or now
    taxonomy = active_taxonomy()
    corpus = collect_corpus(since=since, until=until, sample_per_tag=settings.sample_per_tag)
    model = build_text_model(
        corpus,
        taxonomy,
        min_uses=settings.min_uses_for_text,
        nearest_min_cosine=settings.nearest_min_cosine,
    )
    methods = ["rapidfuzz", "tfidf"]
    embeddings = embedding_centroids(corpus, model.tags) if use_embeddings else None
    if embeddings is not None:
        methods.append("minilm")
    tags = sorted(corpus.uses)
    spelling = spelling_duplicates(tags, corpus.uses, settings)
    meaning = meaning_duplicates(
        model,
        corpus,
        settings,
        skip=[(p.tag_a, p.tag_b) for p in spelling],
        embeddings=embeddings,
    )
    duplicates = sorted([*spelling, *meaning], key=lambda p: (p.kind, p.tag_a, p.tag_b))
    broad = broad_tags(corpus, model, settings)
    usage = tuple(
        TagUsage(tag, corpus.uses[tag], corpus.last_used.get(tag), len(corpus.agent_uses[tag]))
        for tag in sorted(tags, key=lambda t: (-corpus.uses[t], t))
    )
    defined = {normalise_tag(t) for t in defined_tags if str(t).strip()}
    return TagAuditReport(
        generated_at=now,
        since=since,
        until=until,
        taxonomy_version=taxonomy.version,
        tickets_scanned=corpus.tickets_scanned,
        tickets_tagged=corpus.tickets_tagged,
        methods=tuple(methods),
        usage=usage,
        duplicates=tuple(duplicates),
        broad=tuple(broad),
        unused=tuple(unused_tags(corpus, defined, settings, now=until)),
        inconsistent=tuple(inconsistent_use(corpus, duplicates, settings)),
        proposals=tuple(
            propose_mappings(
                sorted(set(tags) | defined),
                corpus,
                model,
                taxonomy,
                settings,
                broad={b.tag for b in broad},
            )
        ),
        settings=settings,
    )
