"""The input files of ``signaldesk analyze`` and their checks (Django-free, so the CLI can
refuse bad arguments before it creates a database)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

# (option, import kind, file name suffixes), in import order: catalogue and customers before
# the orders that reference them, orders before shipments/returns/reviews, tickets last.
INPUTS: tuple[tuple[str, str, tuple[str, ...]], ...] = (
    ("products", "shopify-products", (".csv",)),
    ("customers", "shopify-customers", (".csv",)),
    ("orders", "shopify-orders", (".csv",)),
    ("shipments", "shipments", (".csv",)),
    ("returns", "returns", (".csv",)),
    ("reviews", "reviews", (".csv",)),
    ("tickets", "zendesk-tickets", (".json", ".ndjson", ".jsonl", ".csv")),
)


@dataclass(frozen=True)
class AnalyzeInputs:
    orders: Path
    tickets: Path
    products: Path | None = None
    customers: Path | None = None
    shipments: Path | None = None
    returns: Path | None = None
    reviews: Path | None = None

    def files(self) -> list[tuple[str, str, Path]]:
        """(option, import kind, path) of the given files in import order; a tickets file
        ending in .csv is the generic tickets CSV, otherwise Zendesk JSON."""
        out = []
        for option, kind, _ in INPUTS:
            path = getattr(self, option)
            if path is None:
                continue
            if option == "tickets" and path.suffix.lower() == ".csv":
                kind = "tickets"
            out.append((option, kind, path))
        return out


def check_inputs(inputs: AnalyzeInputs) -> list[str]:
    """Problems that stop the run before anything is imported (missing, empty, wrong type)."""
    problems = []
    for option, _kind, path in inputs.files():
        suffixes = dict((o, s) for o, _, s in INPUTS)[option]
        if not path.exists():
            problems.append(f"--{option} {path}: no such file")
        elif not path.is_file():
            problems.append(f"--{option} {path}: not a file")
        elif path.stat().st_size == 0:
            problems.append(f"--{option} {path}: the file is empty")
        elif path.suffix.lower() not in suffixes:
            problems.append(
                f"--{option} {path}: expected a {' or '.join(suffixes)} file, got "
                f"{path.suffix or 'no extension'!r}"
            )
    return problems
