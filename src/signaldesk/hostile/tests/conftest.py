"""Fixtures of the hostile-input tests: a clean rate-limit cache and row counts of every table a
refused input could have written to."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.apps import apps
from django.core.cache import cache

WATCHED = (
    "tickets.Ticket",
    "tickets.Message",
    "commerce.Customer",
    "commerce.Order",
    "commerce.Product",
    "commerce.Shipment",
    "commerce.Return",
    "commerce.Review",
    "intake.ImportRun",
    "intake.ImportRowError",
    "core.AuditEvent",
    "mail.MailMessage",
    "selfservice.SelfServiceSession",
)


@pytest.fixture(autouse=True)
def _fresh_cache() -> None:
    cache.clear()  # rate-limit counters


@pytest.fixture
def row_counts(db: None) -> Callable[[], dict[str, int]]:
    """Rows in every watched table, to prove a refused input wrote nothing."""

    def counts() -> dict[str, int]:
        return {label: apps.get_model(label).objects.count() for label in WATCHED}

    return counts
