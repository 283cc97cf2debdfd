"""The neighbouring size of a variant, for exchanges offered on sizing returns (Django-free).

Letter sizes follow XXS < XS < S < M < L < XL < XXL < 3XL; sizes that are numbers (36–45, 16 cm)
follow their number; any other scale (Single/Double/King) keeps the catalog's order."""

from __future__ import annotations

import re
from collections.abc import Sequence

LETTER_SIZES = ("XXS", "XS", "S", "M", "L", "XL", "XXL", "3XL")
NUMBER_RE = re.compile(r"^\s*(\d+(?:[.,]\d+)?)")


def _rank(size: str, catalog_order: Sequence[str]) -> tuple[int, float]:
    upper = size.strip().upper()
    if upper in LETTER_SIZES:
        return (0, float(LETTER_SIZES.index(upper)))
    match = NUMBER_RE.match(size)
    if match:
        return (1, float(match.group(1).replace(",", ".")))
    return (2, float(catalog_order.index(size)) if size in catalog_order else 1e9)


def neighbour_size(current: str, available: Sequence[str], *, direction: str) -> str | None:
    """The next size up ("larger") or down ("smaller") among `available` on the same scale as
    `current`, or None. `available` is in catalog order."""
    if not current or direction not in ("larger", "smaller"):
        return None
    here = _rank(current, available)
    same_scale = [s for s in dict.fromkeys(available) if s and _rank(s, available)[0] == here[0]]
    if direction == "larger":
        bigger = [s for s in same_scale if _rank(s, available)[1] > here[1]]
        return min(bigger, key=lambda s: _rank(s, available)) if bigger else None
    smaller = [s for s in same_scale if _rank(s, available)[1] < here[1]]
    return max(smaller, key=lambda s: _rank(s, available)) if smaller else None
