"""Writes for knowledge articles: loading the shipped (or any) folder of Markdown articles."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml
from django.db import transaction
from django.utils import timezone

from signaldesk.core.audit import Actor, audit_record
from signaldesk.core.errors import ValidationError
from signaldesk.knowledge.models import Article, ArticleStatus

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


@transaction.atomic
def articles_load(*, directory: Path = ARTICLES_DIR, actor: Actor) -> dict[str, int]:
    """Upsert every `*.md` in a folder. Idempotent: an unchanged article is left alone; a changed
    one gets version + 1. Returns counts {"created", "updated", "unchanged"}."""
    counts = {"created": 0, "updated": 0, "unchanged": 0}
    now = timezone.now()
    for path in sorted(directory.glob("*.md")):
        doc = parse_article(path.read_text(encoding="utf-8"), source=path.name)
        fields = {
            "title": doc.title,
            "body": doc.body,
            "reason_ids": list(doc.reason_ids),
            "status": doc.status,
        }
        article = Article.objects.select_for_update().filter(slug=doc.slug).first()
        if article is None:
            article = Article.objects.create(slug=doc.slug, updated_at=now, version=1, **fields)
            counts["created"] += 1
            audit_record(
                actor=actor,
                action="knowledge.article_created",
                obj=article,
                after={"slug": doc.slug, "version": 1},
            )
            continue
        if all(getattr(article, k) == v for k, v in fields.items()):
            counts["unchanged"] += 1
            continue
        for key, value in fields.items():
            setattr(article, key, value)
        article.version += 1
        article.updated_at = now
        article.save()
        counts["updated"] += 1
        audit_record(
            actor=actor,
            action="knowledge.article_updated",
            obj=article,
            after={"slug": doc.slug, "version": article.version},
        )
    return counts
