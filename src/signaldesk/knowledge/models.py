"""Knowledge articles: the approved policy text that drafts and guardrails are grounded in."""

from __future__ import annotations

from django.db import models


class ArticleStatus(models.TextChoices):
    DRAFT = "draft", "Draft"
    PUBLISHED = "published", "Published"


class Article(models.Model):
    slug = models.SlugField(max_length=120, unique=True)
    title = models.CharField(max_length=300)
    body = models.TextField(help_text="Markdown. Paragraphs (blank-line separated) are passages.")
    reason_ids = models.JSONField(default=list, blank=True, help_text="Contact reasons it serves.")
    version = models.PositiveIntegerField(default=1)
    status = models.CharField(
        max_length=10, choices=ArticleStatus.choices, default=ArticleStatus.DRAFT, db_index=True
    )
    updated_at = models.DateTimeField()

    def __str__(self) -> str:
        return f"{self.title} (v{self.version})"
