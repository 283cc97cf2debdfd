"""Bulk importers: Shopify exports, Zendesk tickets and generic CSVs. Each streams its file in
constant memory, upserts by natural key (idempotent), and records an ImportRun with row errors.

    from signaldesk.intake.importers import run_import
    report = run_import(kind="shopify-orders", path=Path("orders.csv"), actor=Actor.system("cli"))

Formats: docs/formats.md."""

from __future__ import annotations

from signaldesk.intake.importers.base import ImportFileError, ImportReport
from signaldesk.intake.importers.runner import run_import

IMPORT_KINDS: tuple[str, ...] = (
    "shopify-orders",
    "shopify-products",
    "shopify-customers",
    "zendesk-tickets",
    "shipments",
    "returns",
    "reviews",
    "tickets",
)

__all__ = ["IMPORT_KINDS", "ImportFileError", "ImportReport", "run_import"]
