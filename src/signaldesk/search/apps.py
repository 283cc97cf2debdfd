from typing import Any

from django.apps import AppConfig
from django.db.models.signals import post_migrate


def _ensure_search_schema(sender: AppConfig, using: str = "default", **kwargs: Any) -> None:
    from django.db import connections

    from signaldesk.search.schema import search_schema_ensure

    search_schema_ensure(connections[using])


class SearchConfig(AppConfig):
    name = "signaldesk.search"
    label = "search"
    verbose_name = "Full-text search"

    def ready(self) -> None:
        # Schema upkeep only (SQLite table rebuilds drop triggers); data is indexed by triggers.
        post_migrate.connect(_ensure_search_schema, sender=self)
