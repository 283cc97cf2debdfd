"""Reads for knowledge: the passage index over published articles, cached in-process and
rebuilt when any article changes (the cache key is the count and latest updated_at/version)."""

from __future__ import annotations

import threading

from django.db.models import Count, Max, QuerySet, Sum

from signaldesk.knowledge.models import Article, ArticleStatus
from signaldesk.knowledge.retrieval import Hit, Passage, PassageIndex, passages_of

_LOCK = threading.Lock()
_CACHE: dict[str, tuple[tuple[object, ...], PassageIndex]] = {}


def published_articles() -> QuerySet[Article]:
    return Article.objects.filter(status=ArticleStatus.PUBLISHED).order_by("slug")


def knowledge_index() -> PassageIndex:
    stamp = published_articles().aggregate(
        n=Count("id"), at=Max("updated_at"), v=Sum("version"), ids=Sum("id")
    )
    key = (stamp["n"], stamp["at"], stamp["v"], stamp["ids"])
    cached = _CACHE.get("index")
    if cached is not None and cached[0] == key:
        return cached[1]
    passages: list[Passage] = []
    for article in published_articles():
        passages.extend(
            passages_of(
                slug=article.slug,
                title=article.title,
                body=article.body,
                reason_ids=article.reason_ids or (),
                version=article.version,
            )
        )
    index = PassageIndex(passages)
    with _LOCK:
        _CACHE["index"] = (key, index)
    return index


def passages_search(query: str, *, reason_id: str | None = None, k: int = 3) -> list[Hit]:
    return knowledge_index().search(query, reason_id=reason_id, k=k)
