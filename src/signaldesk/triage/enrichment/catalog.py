"""The product catalog for fuzzy product matching, built from commerce.Variant/Product once per
process and rebuilt when a cheap version check (max variant id, variant count, max product id),
run at most every few seconds, changes. Title edits that keep ids and counts are not seen until
`catalog_invalidate()` or a restart: accepted, catalogs mostly change by adding variants."""

from __future__ import annotations

import threading
import time
from dataclasses import dataclass

from django.db.models import Count, Max

from signaldesk.commerce.models import Product, Variant
from signaldesk.triage.text.products import Catalog, CatalogItem, build_catalog


@dataclass(frozen=True, slots=True)
class VariantInfo:
    variant_id: int
    product_id: int
    size: str


@dataclass(frozen=True, slots=True)
class CatalogSnapshot:
    version: tuple[int, int, int]
    catalog: Catalog
    variants: dict[str, VariantInfo]  # upper-case SKU → ids

    def info(self, sku: str) -> VariantInfo | None:
        return self.variants.get(sku.upper())


_lock = threading.Lock()
_cached: CatalogSnapshot | None = None


CHECK_EVERY_SECONDS = 5.0
_checked_at = 0.0


def catalog_version() -> tuple[int, int, int]:
    """(max variant id, variant count, max product id)."""
    variants = Variant.objects.aggregate(max_id=Max("id"), n=Count("id"))
    products = Product.objects.aggregate(max_id=Max("id"))
    return (variants["max_id"] or 0, variants["n"] or 0, products["max_id"] or 0)


def _build(version: tuple[int, int, int]) -> CatalogSnapshot:
    items: list[CatalogItem] = []
    variants: dict[str, VariantInfo] = {}
    rows = Variant.objects.values_list(
        "id", "product_id", "sku", "product__title", "size", "colour"
    ).order_by("id")
    for variant_id, product_id, sku, title, size, colour in rows.iterator(chunk_size=5000):
        items.append(CatalogItem(sku, title, tuple(a for a in (size, colour) if a)))
        variants[sku.upper()] = VariantInfo(variant_id, product_id, size)
    return CatalogSnapshot(version, build_catalog(items), variants)


def catalog_current() -> CatalogSnapshot:
    """The process-wide catalog. Its version is checked at most every CHECK_EVERY_SECONDS, and
    the catalog rebuilt when the version changed."""
    global _cached, _checked_at
    snapshot = _cached
    now = time.monotonic()
    if snapshot is not None and now - _checked_at < CHECK_EVERY_SECONDS:
        return snapshot
    version = catalog_version()
    with _lock:
        if _cached is None or _cached.version != version:
            _cached = _build(version)
        _checked_at = now
        return _cached


def catalog_invalidate() -> None:
    """Forget the catalog: the next call rebuilds it (after imports, in tests)."""
    global _cached, _checked_at
    with _lock:
        _cached = None
        _checked_at = 0.0
