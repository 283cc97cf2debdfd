"""Reads for knowledge: the passage index over published articles, cached in-process and
rebuilt when any article changes (the cache key is the count and latest updated_at/version);
article search for self-service; versions; the gap report over logged questions."""

from __future__ import annotations

import datetime as dt
import threading

from django.db.models import Count, Max, Q, QuerySet, Sum

from signaldesk.core.errors import NotFound
from signaldesk.knowledge.gaps import DEFAULT_GAP_CONFIG, AskedQuestion, Gap, GapConfig, find_gaps
from signaldesk.knowledge.models import Article, ArticleStatus, ArticleVersion, KnowledgeQuestion
from signaldesk.knowledge.retrieval import ArticleHit, Hit, Passage, PassageIndex, passages_of

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


def articles_search(query: str, *, k: int = 3) -> list[ArticleHit]:
    """The k best published articles for a customer's question (see PassageIndex)."""
    return knowledge_index().search_articles(query, k=k)


def article_published(*, slug: str) -> Article:
    article = published_articles().filter(slug=slug).first()
    if article is None:
        raise NotFound(f"No published article {slug!r}.")
    return article


def article_versions(*, slug: str) -> QuerySet[ArticleVersion]:
    return ArticleVersion.objects.filter(article__slug=slug).order_by("-number")


GAP_WINDOW = dt.timedelta(days=30)
GAP_MAX_QUESTIONS = 5000


def _reason_texts() -> list[tuple[str, str]]:
    from signaldesk.taxonomy.selectors import active_taxonomy

    return [
        (r.id, " ".join([r.name, r.description, *r.examples, *r.aliases]))
        for r in active_taxonomy().reasons
    ]


def knowledge_gaps(
    *, since: dt.datetime, config: GapConfig = DEFAULT_GAP_CONFIG, limit: int = GAP_MAX_QUESTIONS
) -> list[Gap]:
    """Gaps among the (at most `limit` most recent) questions asked since `since`. Only the
    weak ones are read: best score below the config's threshold, or escalated."""
    rows = (
        _weak(KnowledgeQuestion.objects.filter(asked_at__gte=since), config)
        .order_by("-asked_at", "-id")
        .values_list("text", "best_score", "coverage", "best_slug", "escalated")[:limit]
    )
    asked = [
        AskedQuestion(text=t, score=sc, coverage=c, best_slug=s, escalated=e)
        for t, sc, c, s, e in rows
    ]
    return find_gaps(asked, reasons=_reason_texts(), config=config)


def _weak(qs: QuerySet[KnowledgeQuestion], config: GapConfig) -> QuerySet[KnowledgeQuestion]:
    return qs.filter(Q(best_score__lt=config.min_score) | Q(escalated=True))


def questions_summary(
    *, since: dt.datetime, config: GapConfig = DEFAULT_GAP_CONFIG
) -> dict[str, int]:
    """How many questions were asked since `since` and how many were weak (see knowledge_gaps)."""
    qs = KnowledgeQuestion.objects.filter(asked_at__gte=since)
    return {
        "asked": qs.count(),
        "weak": _weak(qs, config).count(),
    }
