"""The tag audit report: plain frozen dataclasses, JSON-ready through to_dict()."""

from __future__ import annotations

import dataclasses
import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from signaldesk.core.audit import to_jsonable


@dataclass(frozen=True)
class AuditSettings:
    """Thresholds of the audit; the defaults are documented in docs/taxonomy.md."""

    spelling_min_ratio: float = 88.0  # rapidfuzz ratio (0–100) on normalised tag names
    meaning_min_cosine: float = 0.5  # TF-IDF centroid cosine between two tags' tickets
    meaning_max_overlap: float = 0.5  # Jaccard of ticket sets: above it tags are co-applied
    min_uses_for_text: int = 3  # tags with fewer tickets get no text-based findings
    broad_min_uses: int = 8
    broad_max_top_share: float = 0.5
    broad_min_reasons: int = 3  # reasons holding ≥ broad_reason_share of the tag's tickets
    broad_reason_share: float = 0.1
    stale_days: int = 90
    agent_min_uses: int = 3
    agent_min_share: float = 0.6
    mapping_min_confidence: float = 0.35
    sample_per_tag: int = 200
    nearest_min_cosine: float = 0.05


@dataclass(frozen=True)
class TagUsage:
    tag: str
    uses: int
    last_used: dt.datetime | None
    agents: int


@dataclass(frozen=True)
class DuplicatePair:
    tag_a: str
    tag_b: str
    kind: str  # "spelling" or "meaning"
    score: float  # ratio/100 for spelling, cosine for meaning
    keep: str  # the more used of the two (suggested survivor)


@dataclass(frozen=True)
class BroadTag:
    tag: str
    uses: int
    top_reason: str
    top_share: float
    reasons: int  # contact reasons holding at least 10% of its tickets
    coherence: float | None  # mean cosine of its tickets to their centroid (low = mixed bag)
    why: tuple[str, ...]


@dataclass(frozen=True)
class UnusedTag:
    tag: str
    last_used: dt.datetime | None
    why: str  # "no use in the audited period" | "not used in the last 90 days"


@dataclass(frozen=True)
class AgentTagUse:
    agent: str
    tag: str  # this agent's dominant tag in the cluster
    share: float
    tickets: int


@dataclass(frozen=True)
class InconsistentUse:
    tags: tuple[str, ...]  # a cluster of tags that mean the same thing
    agents: tuple[AgentTagUse, ...]
    p_value: float | None  # chi-square test of independence agent × tag


@dataclass(frozen=True)
class MappingProposal:
    tag: str
    reason_id: str  # "" = no mapping
    confidence: float
    name_score: float
    text_score: float
    note: str = ""


@dataclass(frozen=True)
class TagAuditReport:
    generated_at: dt.datetime
    since: dt.datetime | None
    until: dt.datetime
    taxonomy_version: str
    tickets_scanned: int
    tickets_tagged: int
    methods: tuple[str, ...]
    usage: tuple[TagUsage, ...]
    duplicates: tuple[DuplicatePair, ...]
    broad: tuple[BroadTag, ...]
    unused: tuple[UnusedTag, ...]
    inconsistent: tuple[InconsistentUse, ...]
    proposals: tuple[MappingProposal, ...]
    settings: AuditSettings = field(default_factory=AuditSettings)

    def proposal(self, tag: str) -> MappingProposal | None:
        return next((p for p in self.proposals if p.tag == tag), None)

    def to_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = to_jsonable(dataclasses.asdict(self))
        return out
