"""Weekly insight notes (one per audience and week) and who receives them by email."""

from __future__ import annotations

from django.conf import settings
from django.db import models

from signaldesk.insights.note.facts import AUDIENCE_LABELS


class Audience(models.TextChoices):
    PRODUCT = "product", AUDIENCE_LABELS["product"]
    OPERATIONS = "operations", AUDIENCE_LABELS["operations"]
    ECOMMERCE = "ecommerce", AUDIENCE_LABELS["ecommerce"]
    LIFECYCLE = "lifecycle", AUDIENCE_LABELS["lifecycle"]
    LEADERSHIP = "leadership", AUDIENCE_LABELS["leadership"]


class NoteStatus(models.TextChoices):
    DRAFT = "draft", "Draft"
    PUBLISHED = "published", "Published"


class WeeklyNote(models.Model):
    audience = models.CharField(max_length=20, choices=Audience.choices)
    week_start = models.DateField(help_text="Monday of the week the note covers.")
    week_end = models.DateField()
    status = models.CharField(max_length=10, choices=NoteStatus.choices, default=NoteStatus.DRAFT)
    body_md = models.TextField(help_text="The note as edited (Markdown).")
    draft_md = models.TextField(help_text="The note as drafted from the facts.")
    facts = models.JSONField(default=dict)
    polished = models.BooleanField(default=False, help_text="The draft was polished by the LLM.")
    editor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    edited_at = models.DateTimeField(null=True, blank=True)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    published_at = models.DateTimeField(null=True, blank=True)
    emailed_to = models.JSONField(default=list, blank=True)
    created_at = models.DateTimeField()
    updated_at = models.DateTimeField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["audience", "week_start"], name="uniq_note_week")
        ]
        ordering = ["-week_start", "audience"]
        indexes = [models.Index(fields=["status", "-week_start"])]

    def __str__(self) -> str:
        return f"{self.get_audience_display()} note, week of {self.week_start}"


class NoteRecipient(models.Model):
    """An address that receives the published notes of one audience (managed in the admin)."""

    audience = models.CharField(max_length=20, choices=Audience.choices)
    email = models.EmailField()
    active = models.BooleanField(default=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["audience", "email"], name="uniq_note_recipient")
        ]
        ordering = ["audience", "email"]

    def __str__(self) -> str:
        return f"{self.audience}: {self.email}"
