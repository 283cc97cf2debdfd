"""Shared building blocks: timestamped base model, money fields and the append-only audit log."""

from __future__ import annotations

from django.conf import settings
from django.db import models


class TimeStampedModel(models.Model):
    created_at = models.DateTimeField(db_index=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        abstract = True


def money_field(**kwargs: object) -> models.DecimalField:
    """Money is a Decimal with two places; the currency lives in a sibling `currency` field."""
    options: dict[str, object] = {"max_digits": 14, "decimal_places": 2, "default": 0}
    options.update(kwargs)
    return models.DecimalField(**options)  # type: ignore[arg-type]


def currency_field() -> models.CharField:
    return models.CharField(max_length=3, default="EUR")


class AuditEvent(models.Model):
    """One change to anything, by anyone or anything. Append-only: database triggers refuse
    UPDATE and DELETE on this table (see migration 0002)."""

    occurred_at = models.DateTimeField(db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    actor_label = models.CharField(max_length=200, help_text="user, system:<job>, import:<file>")
    action = models.CharField(max_length=100, db_index=True)
    object_type = models.CharField(max_length=100)
    object_id = models.CharField(max_length=64)
    before = models.JSONField(null=True, blank=True)
    after = models.JSONField(null=True, blank=True)
    context = models.JSONField(default=dict, blank=True)

    class Meta:
        indexes = [models.Index(fields=["object_type", "object_id", "occurred_at"])]
        ordering = ["-occurred_at", "-id"]

    def __str__(self) -> str:
        return f"{self.occurred_at:%Y-%m-%d %H:%M} {self.actor_label} {self.action} {self.object_type}#{self.object_id}"
