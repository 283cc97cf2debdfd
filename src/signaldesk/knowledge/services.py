"""Writes for knowledge articles: versioned edits (each edit a new ArticleVersion, the published
one served from the Article row), loading the shipped folder of Markdown articles, and the log of
self-service questions."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml
from django.db import transaction
from django.utils import timezone

from signaldesk.core.audit import Actor, audit_record
from signaldesk.core.errors import ValidationError
from signaldesk.knowledge.models import Article, ArticleStatus, ArticleVersion, KnowledgeQuestion
from signaldesk.knowledge.retrieval import ArticleHit

ARTICLES_DIR = Path(__file__).resolve().parent / "articles"


@dataclass(frozen=True)
class ArticleDoc:
    slug: str
    title: str
    body: str
    reason_ids: tuple[str, ...]
    status: str


def parse_article(text: str, *, source: str) -> ArticleDoc:
    """A Markdown file with YAML front matter (slug, title, reason_ids, status)."""
    if not text.startswith("---"):
        raise ValidationError(f"{source}: front matter (---) missing.", code="front_matter")
    parts = text.split("---", 2)
    if len(parts) < 3:
        raise ValidationError(f"{source}: front matter not closed.", code="front_matter")
    meta: Any = yaml.safe_load(parts[1]) or {}
    if not isinstance(meta, dict) or not meta.get("slug") or not meta.get("title"):
        raise ValidationError(f"{source}: slug and title are required.", code="front_matter")
    status = str(meta.get("status", ArticleStatus.PUBLISHED))
    if status not in ArticleStatus.values:
        raise ValidationError(f"{source}: unknown status {status!r}.", code="front_matter")
    return ArticleDoc(
        slug=str(meta["slug"]),
        title=str(meta["title"]),
        body=parts[2].strip() + "\n",
        reason_ids=tuple(str(r) for r in meta.get("reason_ids") or ()),
        status=status,
    )


def _version_next(article: Article) -> int:
    last = article.versions.order_by("-number").values_list("number", flat=True).first()
    return (last or 0) + 1


@transaction.atomic
def article_version_create(
    *,
    slug: str,
    title: str,
    body: str,
    reason_ids: Sequence[str],
    actor: Actor,
    publish: bool,
    note: str = "",
) -> ArticleVersion:
    """Save an edit of an article as a new version (the article is created as a draft when it is
    new). With publish=True the version is published at once; otherwise the published version
    keeps being served until `article_version_publish`."""
    if not title.strip() or not body.strip():
        raise ValidationError("An article needs a title and a body.", code="empty")
    now = timezone.now()
    article = Article.objects.select_for_update().filter(slug=slug).first()
    if article is None:
        article = Article.objects.create(
            slug=slug,
            title=title,
            body=body,
            reason_ids=list(reason_ids),
            version=0,
            status=ArticleStatus.DRAFT,
            updated_at=now,
        )
    version = ArticleVersion.objects.create(
        article=article,
        number=_version_next(article),
        title=title,
        body=body,
        reason_ids=list(reason_ids),
        note=note,
        created_by=actor.label,
        created_at=now,
    )
    audit_record(
        actor=actor,
        action="knowledge.version_created",
        obj=article,
        after={"slug": slug, "version": version.number},
    )
    if publish:
        article_version_publish(article=article, number=version.number, actor=actor)
        version.refresh_from_db()
    return version


@transaction.atomic
def article_version_publish(*, article: Article, number: int, actor: Actor) -> Article:
    """Serve version `number` of an article: its title, body and reasons are copied onto the
    Article row (status published) and the version is stamped published_at."""
    locked = Article.objects.select_for_update().get(pk=article.pk)
    version = ArticleVersion.objects.filter(article=locked, number=number).first()
    if version is None:
        raise ValidationError(f"{locked.slug} has no version {number}.", code="no_version")
    now = timezone.now()
    before = {"version": locked.version, "status": locked.status}
    locked.title = version.title
    locked.body = version.body
    locked.reason_ids = list(version.reason_ids)
    locked.version = version.number
    locked.status = ArticleStatus.PUBLISHED
    locked.updated_at = now
    locked.save(update_fields=["title", "body", "reason_ids", "version", "status", "updated_at"])
    ArticleVersion.objects.filter(pk=version.pk).update(published_at=now)
    audit_record(
        actor=actor,
        action="knowledge.version_published",
        obj=locked,
        before=before,
        after={"version": number, "status": locked.status},
    )
    return locked


@transaction.atomic
def articles_load(*, directory: Path = ARTICLES_DIR, actor: Actor) -> dict[str, int]:
    """Upsert every `*.md` in a folder. Idempotent: an article whose latest version has the same
    title, body and reasons is left alone; a changed (or new) one gets a new version, published
    when its front matter says `status: published` (`draft` saves the version without serving
    it; it never unpublishes). Returns counts {"created", "updated", "unchanged"}."""
    counts = {"created": 0, "updated": 0, "unchanged": 0}
    for path in sorted(directory.glob("*.md")):
        doc = parse_article(path.read_text(encoding="utf-8"), source=path.name)
        article = Article.objects.filter(slug=doc.slug).first()
        latest = article.versions.order_by("-number").first() if article is not None else None
        same = latest is not None and (
            latest.title == doc.title
            and latest.body == doc.body
            and list(latest.reason_ids) == list(doc.reason_ids)
        )
        wants_publish = doc.status == ArticleStatus.PUBLISHED
        if same and article is not None and latest is not None:
            served = article.status == ArticleStatus.PUBLISHED and article.version == latest.number
            if wants_publish and not served:
                article_version_publish(article=article, number=latest.number, actor=actor)
                counts["updated"] += 1
            else:
                counts["unchanged"] += 1
            continue
        counts["created" if article is None else "updated"] += 1
        article_version_create(
            slug=doc.slug,
            title=doc.title,
            body=doc.body,
            reason_ids=doc.reason_ids,
            actor=actor,
            publish=wants_publish,
            note=f"loaded from {path.name}",
        )
    return counts


def knowledge_question_log(
    *, text: str, hits: Sequence[ArticleHit], session_ref: str, channel: str = "selfservice"
) -> KnowledgeQuestion:
    """Record one self-service question with the best article's BM25 score and coverage (not
    audited: it is an analytics row, like a page view, and holds no decision)."""
    best = hits[0] if hits else None
    return KnowledgeQuestion.objects.create(
        text=text[:2000],
        asked_at=timezone.now(),
        channel=channel,
        best_slug=best.slug if best else "",
        best_score=round(best.score, 4) if best else 0.0,
        coverage=round(best.coverage, 4) if best else 0.0,
        articles_shown=[h.slug for h in hits],
        session_ref=session_ref,
    )


def knowledge_questions_escalate(*, session_ref: str) -> int:
    """Mark the questions of a self-service session as followed by "still need help"."""
    if not session_ref:
        return 0
    return KnowledgeQuestion.objects.filter(session_ref=session_ref).update(escalated=True)
