"""Propose a contact reason for each legacy tag.

confidence = 0.4 × name score + 0.6 × text score (tags with tickets), or 0.7 × name score
(tags with no tickets in the period). The name score is the best rapidfuzz similarity between
the tag and a reason's id, name or aliases (an exact alias scores 1.0); the text score is the
share of the tag's tickets whose independent reason (agent/model reason, else nearest reason by
TF-IDF against the reasons' example phrases) is that reason. Broad tags get no mapping."""

from __future__ import annotations

from collections.abc import Collection

from rapidfuzz import fuzz

from signaldesk.taxonomy.audit.collect import TagCorpus
from signaldesk.taxonomy.audit.findings import reason_distribution, tag_key
from signaldesk.taxonomy.audit.report import AuditSettings, MappingProposal
from signaldesk.taxonomy.audit.text import TextModel
from signaldesk.taxonomy.domain import ReasonTemplate, Taxonomy

NAME_WEIGHT, TEXT_WEIGHT, NAME_ONLY_WEIGHT = 0.4, 0.6, 0.7


def name_score(tag: str, reason: ReasonTemplate) -> float:
    key = tag_key(tag)
    if key in {tag_key(a) for a in reason.aliases} or key == tag_key(reason.id):
        return 1.0
    candidates = [tag_key(reason.id), tag_key(reason.name)]
    best = max(max(fuzz.ratio(key, c), 0.9 * fuzz.token_set_ratio(key, c)) for c in candidates)
    return round(best / 100, 3)


def propose_mappings(
    tags: Collection[str],
    corpus: TagCorpus,
    model: TextModel,
    taxonomy: Taxonomy,
    settings: AuditSettings,
    *,
    broad: Collection[str],
) -> list[MappingProposal]:
    out = []
    for tag in sorted(tags):
        if tag in broad:
            out.append(MappingProposal(tag, "", 0.0, 0.0, 0.0, "too broad to map"))
            continue
        dist = reason_distribution(tag, corpus, model)
        total = sum(dist.values())
        scored = []
        for reason in taxonomy.reasons:
            name = name_score(tag, reason)
            text = dist.get(reason.id, 0) / total if total else 0.0
            combined = NAME_WEIGHT * name + TEXT_WEIGHT * text if total else NAME_ONLY_WEIGHT * name
            scored.append((round(combined, 3), round(name, 3), round(text, 3), reason.id))
        confidence, name, text, reason_id = max(scored, key=lambda s: (s[0], s[2], s[1]))
        if confidence < settings.mapping_min_confidence:
            out.append(MappingProposal(tag, "", confidence, name, text, "no confident mapping"))
        else:
            out.append(MappingProposal(tag, reason_id, confidence, name, text))
    return out
