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
        when = f"{self.occurred_at:%Y-%m-%d %H:%M}"
        return f"{when} {self.actor_label} {self.action} {self.object_type}#{self.object_id}"


class JobRun(models.Model):
    """One execution of a background task (worker, eager after commit, or a periodic job).

    Written by the Celery task signals wired in core/jobs.py, for every task, so the console and
    the stack tests can see what ran, with which ids, and how it ended. `args_hash` identifies
    the call (task name + arguments) so "has this already succeeded?" is one indexed query."""

    class Status(models.TextChoices):
        RUNNING = "running", "Running"
        SUCCEEDED = "succeeded", "Succeeded"
        FAILED = "failed", "Failed"

    task_name = models.CharField(max_length=200)
    task_id = models.CharField(max_length=64, blank=True)
    args_hash = models.CharField(max_length=64)
    args = models.JSONField(default=list, blank=True)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.RUNNING)
    started_at = models.DateTimeField(db_index=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    error = models.TextField(blank=True)

    class Meta:
        indexes = [models.Index(fields=["task_name", "args_hash", "status"])]
        ordering = ["-started_at", "-id"]

    def __str__(self) -> str:
        return f"{self.task_name}{self.args} {self.status}"


class Heartbeat(models.Model):
    """Last time a named periodic process proved it was alive (the `ops.heartbeat` job writes
    the `scheduler` row). /readyz reports its age; nothing else depends on it."""

    name = models.CharField(max_length=50, unique=True)
    beat_at = models.DateTimeField()
    beats = models.PositiveBigIntegerField(default=0)

    def __str__(self) -> str:
        return f"{self.name} {self.beat_at:%Y-%m-%d %H:%M:%S}"


class OutboxMessage(models.Model):
    """A message (webhook or email) written in the same transaction as the change it reports
    and delivered afterwards by `core.outbox_deliver` (core/outbox.py), with retries."""

    class Kind(models.TextChoices):
        WEBHOOK = "webhook", "Webhook"
        EMAIL = "email", "Email"

    class Status(models.TextChoices):
        PENDING = "pending", "Pending"
        DELIVERED = "delivered", "Delivered"
        FAILED = "failed", "Failed (gave up)"

    kind = models.CharField(max_length=10, choices=Kind.choices)
    target = models.CharField(max_length=500, help_text="URL for a webhook, address for email")
    headers = models.JSONField(default=dict, blank=True)
    body = models.TextField()
    dedupe_key = models.CharField(max_length=200, unique=True)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PENDING)
    created_at = models.DateTimeField()
    next_attempt_at = models.DateTimeField()
    attempts = models.PositiveIntegerField(default=0)
    last_error = models.TextField(blank=True)
    delivered_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        indexes = [models.Index(fields=["status", "next_attempt_at"])]
        ordering = ["id"]

    def __str__(self) -> str:
        return f"{self.kind} → {self.target} ({self.status}, {self.attempts} attempts)"
