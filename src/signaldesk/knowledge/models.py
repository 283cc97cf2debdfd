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


class ArticleVersion(models.Model):
    """One saved edit of an article. Versions are never changed; publishing one copies it onto
    the Article row, which is what search, drafts and the help pages serve."""

    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveIntegerField()
    title = models.CharField(max_length=300)
    body = models.TextField()
    reason_ids = models.JSONField(default=list, blank=True)
    note = models.CharField(max_length=300, blank=True)
    created_by = models.CharField(max_length=200, blank=True, help_text="Actor label.")
    created_at = models.DateTimeField()
    published_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["article", "number"], name="uniq_article_version")
        ]
        ordering = ["article_id", "number"]

    def __str__(self) -> str:
        return f"{self.article_id} v{self.number}"


class KnowledgeQuestion(models.Model):
    """A question a customer asked in self-service and how well the knowledge base answered it:
    `best_score` is the BM25 score of the best article's best passage, `coverage` the share of
    the question's content words found in that passage (0..1), `escalated` that the customer
    still asked for help afterwards. Weak or escalated repeats feed the gap report."""

    text = models.TextField()
    asked_at = models.DateTimeField(db_index=True)
    channel = models.CharField(max_length=20, default="selfservice")
    best_slug = models.CharField(max_length=120, blank=True)
    best_score = models.FloatField(default=0.0)
    coverage = models.FloatField(default=0.0)
    articles_shown = models.JSONField(default=list, blank=True)
    escalated = models.BooleanField(default=False)
    session_ref = models.CharField(max_length=64, blank=True, db_index=True)

    def __str__(self) -> str:
        return self.text[:60]
