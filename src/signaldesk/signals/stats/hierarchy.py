"""Segment keys and hierarchy roll-up of simultaneous alerts.

A :class:`SegmentKey` is a set of ``dimension=value`` pairs (``reason=damaged_item``,
``batch=B12``). Key ``a`` is an ancestor of key ``b`` when ``a``'s pairs are a strict subset of
``b``'s, or through explicit ``parents`` edges (e.g. ``reason x batch -> reason x SKU ->
reason x supplier``) that the caller knows from the product catalogue.

:func:`rollup_alerts` keeps one *primary* alert per cluster of related alerts:

* an alert is explained by its deepest firing descendant whose excess (observed - expected) is
  at least ``explain_share`` of its own excess: it gets ``primary=False`` and ``rolled_into``
  that descendant (a bad batch explains the supplier-level spike);
* an alert that neither is explained nor explains another alert, and has a firing, unexplained
  ancestor, is a minor part of that broader, diffuse spike: ``primary=False`` and
  ``rolled_into`` that ancestor.
"""

from __future__ import annotations

from collections.abc import Hashable, Mapping, Sequence
from dataclasses import dataclass, replace

from .spikes import SpikeAlert


@dataclass(frozen=True, order=True)
class SegmentKey:
    """Hashable segment identifier; pairs are kept sorted by dimension name."""

    parts: tuple[tuple[str, str], ...]

    @classmethod
    def of(cls, **dims: str) -> SegmentKey:
        return cls(tuple(sorted((k, str(v)) for k, v in dims.items())))

    @property
    def depth(self) -> int:
        return len(self.parts)

    def get(self, dim: str) -> str | None:
        return dict(self.parts).get(dim)

    def is_ancestor_of(self, other: SegmentKey) -> bool:
        return set(self.parts) < set(other.parts)

    def __str__(self) -> str:
        return " x ".join(f"{k}={v}" for k, v in self.parts) or "all"


def _ancestors(
    key: Hashable, candidates: Sequence[Hashable], parents: Mapping[Hashable, Hashable]
) -> set[Hashable]:
    found: set[Hashable] = set()
    cur = parents.get(key)
    seen: set[Hashable] = set()
    chain: list[Hashable] = []
    while cur is not None and cur not in seen:
        seen.add(cur)
        chain.append(cur)
        cur = parents.get(cur)
    for c in candidates:
        if c == key:
            continue
        if c in seen:
            found.add(c)
            continue
        for anc in [key, *chain]:
            if isinstance(c, SegmentKey) and isinstance(anc, SegmentKey) and c.is_ancestor_of(anc):
                found.add(c)
                break
    return found


def rollup_alerts(
    alerts: Sequence[SpikeAlert],
    parents: Mapping[Hashable, Hashable] | None = None,
    explain_share: float = 0.6,
) -> tuple[SpikeAlert, ...]:
    """Mark the most specific alert of each related group as primary (see module docstring)."""
    edges = parents or {}
    keys = [a.key for a in alerts]
    by_key = {a.key: a for a in alerts}
    anc = {k: _ancestors(k, keys, edges) for k in keys}
    depth = {k: len(anc[k]) for k in keys}
    explained: dict[Hashable, Hashable] = {}
    for a in alerts:
        desc = [k for k in keys if a.key in anc[k]]
        good = [k for k in desc if by_key[k].excess >= explain_share * a.excess]
        if good:
            explained[a.key] = max(good, key=lambda k: (depth[k], by_key[k].excess))
    explainers = set(explained.values())
    out = []
    for a in alerts:
        if a.key in explained:
            out.append(replace(a, primary=False, rolled_into=explained[a.key]))
            continue
        broader = [k for k in anc[a.key] if k not in explained]
        if broader and a.key not in explainers:
            top = min(broader, key=lambda k: (depth[k], -by_key[k].excess))
            out.append(replace(a, primary=False, rolled_into=top))
        else:
            out.append(replace(a, primary=True, rolled_into=None))
    return tuple(out)
