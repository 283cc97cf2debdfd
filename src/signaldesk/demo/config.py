"""Parameters of one generation run."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from dataclasses import asdict, dataclass

DEFAULT_START = dt.date(2026, 7, 1)
GENERATOR_VERSION = "1"


@dataclass(frozen=True)
class DemoConfig:
    days: int = 120
    orders_per_day: int = 400
    seed: int = 7
    start: dt.date = DEFAULT_START
    contact_scale: float = 1.0
    """Multiplier on every contact probability (1.0 ≈ 6–10 % of orders get a ticket)."""

    def fingerprint(self) -> str:
        data = asdict(self)
        data["start"] = self.start.isoformat()
        data["version"] = GENERATOR_VERSION
        raw = json.dumps(data, sort_keys=True).encode()
        return hashlib.sha256(raw).hexdigest()[:16]

    def as_dict(self) -> dict[str, object]:
        data = asdict(self)
        data["start"] = self.start.isoformat()
        data["version"] = GENERATOR_VERSION
        return data
