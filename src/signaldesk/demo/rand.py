"""Fast draws on random.Random (the stdlib helpers cost several µs per call)."""

from __future__ import annotations

import random
from bisect import bisect
from collections.abc import Sequence


def between(rng: random.Random, lo: int, hi: int) -> int:
    """An int in [lo, hi)."""
    return lo + int(rng.random() * (hi - lo))


def pick[T](rng: random.Random, items: Sequence[T], cum: Sequence[float]) -> T:
    """items[i] with probability proportional to cum[i] - cum[i-1]."""
    return items[bisect(cum, rng.random() * cum[-1])]
