"""The audit's findings: near-duplicate tags (spelling, meaning), tags too broad to act on,
unused tags and inconsistent use between agents."""

from __future__ import annotations

import datetime as dt
import math
import re
from collections import Counter
from collections.abc import Iterable, Sequence

import numpy as np
from rapidfuzz import fuzz, process
from scipy.stats import chi2_contingency

from signaldesk.taxonomy.audit.collect import TagCorpus
from signaldesk.taxonomy.audit.report import (
    AgentTagUse,
    AuditSettings,
    BroadTag,
    DuplicatePair,
    InconsistentUse,
    UnusedTag,
)
from signaldesk.taxonomy.audit.text import Matrix, TextModel

GENERIC_WORDS = frozenset(
    {
        "general",
        "misc",
        "miscellaneous",
        "other",
        "others",
        "issue",
        "issues",
        "problem",
        "problems",
        "question",
        "questions",
        "query",
        "queries",
        "help",
        "support",
        "inquiry",
        "enquiry",
        "info",
        "information",
        "todo",
        "followup",
        "follow",
        "up",
        "unknown",
        "none",
        "various",
        "request",
        "requests",
        "feedback",
        "tbd",
        "n/a",
    }
)
DOMAIN_WORDS = frozenset(
    {
        "product",
        "products",
        "delivery",
        "order",
        "orders",
        "customer",
        "service",
        "shipping",
        "website",
        "store",
        "shop",
        "item",
        "items",
        "account",
        "payment",
    }
)
# A generic-looking name is not reported as broad when its tickets clearly share one reason.
COHERENT_SHARE = 0.8
_SPLIT = re.compile(r"[\s_\-./:]+")


def tag_words(tag: str) -> list[str]:
    return [w for w in _SPLIT.split(tag.lower()) if w]


def tag_key(tag: str) -> str:
    """Spelling-comparison form: lowercase words joined by one space."""
    return " ".join(tag_words(tag))


def is_generic_name(tag: str) -> bool:
    words = set(tag_words(tag))
    return bool(words) and words <= GENERIC_WORDS | DOMAIN_WORDS and bool(words & GENERIC_WORDS)


def _keep(a: str, b: str, uses: Counter[str]) -> str:
    return min((a, b), key=lambda t: (-uses[t], len(t), t))


def spelling_duplicates(
    tags: Sequence[str], uses: Counter[str], settings: AuditSettings
) -> list[DuplicatePair]:
    keys = [tag_key(t) for t in tags]
    if len(keys) < 2:
        return []
    scores = process.cdist(keys, keys, scorer=fuzz.ratio, dtype=np.float32)
    pairs = []
    for i in range(len(tags)):
        for j in range(i + 1, len(tags)):
            score = float(scores[i, j])
            if score >= settings.spelling_min_ratio:
                a, b = sorted((tags[i], tags[j]))
                pairs.append(
                    DuplicatePair(a, b, "spelling", round(score / 100, 3), _keep(a, b, uses))
                )
    return pairs


def meaning_duplicates(
    model: TextModel,
    corpus: TagCorpus,
    settings: AuditSettings,
    *,
    skip: Iterable[tuple[str, str]],
    embeddings: Matrix | None = None,
) -> list[DuplicatePair]:
    tags = model.tags
    if len(tags) < 2:
        return []
    sims = model.tag_centroids @ model.tag_centroids.T
    if embeddings is not None:
        sims = (sims + embeddings @ embeddings.T) / 2
    skipped = {tuple(sorted(p)) for p in skip}
    ticket_sets = {t: set(corpus.sample[t]) for t in tags}
    pairs = []
    for i in range(len(tags)):
        for j in range(i + 1, len(tags)):
            a, b = tags[i], tags[j]
            if (a, b) in skipped or float(sims[i, j]) < settings.meaning_min_cosine:
                continue
            union = ticket_sets[a] | ticket_sets[b]
            overlap = len(ticket_sets[a] & ticket_sets[b]) / len(union) if union else 0.0
            if overlap > settings.meaning_max_overlap:
                continue  # applied together, not instead of each other
            score = round(float(sims[i, j]), 3)
            pairs.append(DuplicatePair(a, b, "meaning", score, _keep(a, b, corpus.uses)))
    return pairs


def ticket_reason(ticket_id: int, corpus: TagCorpus, model: TextModel) -> str:
    """Independent evidence of what a ticket is about: an agent/model reason, else the nearest
    reason by text, else "" (unknown)."""
    return corpus.ticket_reason.get(ticket_id) or model.ticket_nearest.get(ticket_id, "")


def reason_distribution(tag: str, corpus: TagCorpus, model: TextModel) -> Counter[str]:
    return Counter(ticket_reason(i, corpus, model) for i in corpus.sample[tag])


def broad_tags(corpus: TagCorpus, model: TextModel, settings: AuditSettings) -> list[BroadTag]:
    out = []
    for tag in sorted(corpus.uses):
        dist = reason_distribution(tag, corpus, model)
        total = sum(dist.values())
        known = Counter({r: n for r, n in dist.items() if r})
        top_reason, top_n = known.most_common(1)[0] if known else ("", 0)
        top_share = round(top_n / total, 3) if total else 0.0
        spread = sum(
            1 for n in known.values() if total and n / total >= settings.broad_reason_share
        )
        why = []
        coherent = total >= settings.min_uses_for_text and top_share >= COHERENT_SHARE
        if is_generic_name(tag) and not coherent:
            why.append("generic name")
        if (
            corpus.uses[tag] >= settings.broad_min_uses
            and top_share < settings.broad_max_top_share
            and spread >= settings.broad_min_reasons
        ):
            why.append(f"spread over {spread} contact reasons (top share {top_share:.0%})")
        if why:
            out.append(
                BroadTag(
                    tag=tag,
                    uses=corpus.uses[tag],
                    top_reason=top_reason,
                    top_share=top_share,
                    reasons=spread,
                    coherence=model.coherence.get(tag),
                    why=tuple(why),
                )
            )
    return out


def unused_tags(
    corpus: TagCorpus,
    defined_tags: Iterable[str],
    settings: AuditSettings,
    *,
    now: dt.datetime,
) -> list[UnusedTag]:
    out = [
        UnusedTag(tag, None, "no use in the audited period")
        for tag in sorted(set(defined_tags) - set(corpus.uses))
    ]
    cutoff = now - dt.timedelta(days=settings.stale_days)
    for tag in sorted(corpus.uses):
        last = corpus.last_used[tag]
        if last < cutoff:
            out.append(UnusedTag(tag, last, f"not used in the last {settings.stale_days} days"))
    return out


def clusters(pairs: Iterable[tuple[str, str]]) -> list[tuple[str, ...]]:
    """Connected components of the duplicate graph (union-find)."""
    parent: dict[str, str] = {}

    def find(x: str) -> str:
        parent.setdefault(x, x)
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    for a, b in pairs:
        ra, rb = find(a), find(b)
        if ra != rb:
            parent[max(ra, rb)] = min(ra, rb)
    groups: dict[str, list[str]] = {}
    for x in parent:
        groups.setdefault(find(x), []).append(x)
    return sorted(tuple(sorted(g)) for g in groups.values() if len(g) > 1)


def inconsistent_use(
    corpus: TagCorpus, duplicate_pairs: Iterable[DuplicatePair], settings: AuditSettings
) -> list[InconsistentUse]:
    """Within a cluster of tags that mean the same thing, agents who each stick to a different
    tag (dominant share ≥ agent_min_share). The chi-square p-value tests agent × tag
    independence."""
    out = []
    for cluster in clusters((p.tag_a, p.tag_b) for p in duplicate_pairs):
        agents = sorted({a for t in cluster for a in corpus.agent_uses.get(t, {})})
        table = {a: [corpus.agent_uses.get(t, Counter())[a] for t in cluster] for a in agents}
        table = {a: row for a, row in table.items() if sum(row) >= settings.agent_min_uses}
        uses = []
        for agent, row in table.items():
            best = max(range(len(cluster)), key=lambda k: (row[k], -k))
            share = row[best] / sum(row)
            if share >= settings.agent_min_share:
                uses.append(AgentTagUse(agent, cluster[best], round(share, 3), sum(row)))
        if len({u.tag for u in uses}) < 2:
            continue
        matrix = np.array([table[u.agent] for u in uses], dtype=float)
        matrix = matrix[:, matrix.sum(axis=0) > 0]
        p_value = None
        if matrix.shape[0] >= 2 and matrix.shape[1] >= 2:
            p = float(chi2_contingency(matrix).pvalue)
            p_value = round(p, 6) if math.isfinite(p) else None
        out.append(InconsistentUse(cluster, tuple(uses), p_value))
    return out
