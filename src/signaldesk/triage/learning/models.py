"""Model registry (ModelVersion), stored predictions (ReasonPrediction) and agent corrections
(ReasonCorrection) of the contact-reason classifier."""

from __future__ import annotations

from django.conf import settings
from django.db import models

from signaldesk.tickets.models import Ticket


class ModelStatus(models.TextChoices):
    TRAINING = "training", "Training"
    READY = "ready", "Ready"
    FAILED = "failed", "Failed"


class ModelVersion(models.Model):
    """One trained (or training, or failed) classifier. At most one is active."""

    version = models.PositiveIntegerField(unique=True)
    kind = models.CharField(max_length=20)
    status = models.CharField(
        max_length=10, choices=ModelStatus.choices, default=ModelStatus.TRAINING
    )
    is_active = models.BooleanField(default=False)
    requested_at = models.DateTimeField()
    trained_at = models.DateTimeField(null=True, blank=True)
    trained_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL
    )
    trained_by_label = models.CharField(max_length=200, blank=True)
    taxonomy_version = models.CharField(max_length=40, blank=True)
    training_summary = models.JSONField(default=dict, blank=True)
    metrics = models.JSONField(default=dict, blank=True)
    target_precision = models.FloatField(default=0.95)
    thresholds = models.JSONField(
        default=dict, blank=True, help_text="reason → confidence threshold (null: always review)"
    )
    artefact_path = models.CharField(max_length=500, blank=True)
    error = models.TextField(blank=True)

    class Meta:
        ordering = ["-version"]
        constraints = [
            models.UniqueConstraint(
                fields=["is_active"],
                condition=models.Q(is_active=True),
                name="uniq_active_model_version",
            )
        ]

    def __str__(self) -> str:
        return f"v{self.version} ({self.kind}, {self.status})"


class ReasonPrediction(models.Model):
    """What the active model said about a ticket at triage. The newest prediction of a ticket
    whose confidence is below its reason's threshold is in the needs-review queue."""

    ticket = models.ForeignKey(Ticket, on_delete=models.CASCADE, related_name="predictions")
    model_version = models.ForeignKey(
        ModelVersion, on_delete=models.CASCADE, related_name="predictions"
    )
    reason = models.CharField(max_length=60)
    confidence = models.FloatField()
    threshold = models.FloatField(null=True, blank=True)
    top3 = models.JSONField(default=list, help_text='[["reason", confidence], …]')
    needs_review = models.BooleanField(default=False)
    reviewed_at = models.DateTimeField(null=True, blank=True)
    reviewed_by_label = models.CharField(max_length=200, blank=True)
    created_at = models.DateTimeField()

    class Meta:
        indexes = [
            models.Index(fields=["needs_review", "created_at"]),
            models.Index(fields=["ticket", "created_at"]),
        ]

    def __str__(self) -> str:
        return f"#{self.ticket_id} → {self.reason} ({self.confidence:.2f})"


class ReasonCorrection(models.Model):
    """An agent set (or confirmed) a ticket's contact reason. Used, weighted up, at retrain."""

    ticket = models.ForeignKey(Ticket, on_delete=models.CASCADE, related_name="corrections")
    from_reason = models.CharField(max_length=60, blank=True)
    from_source = models.CharField(max_length=20, blank=True)
    from_confidence = models.FloatField(null=True, blank=True)
    to_reason = models.CharField(max_length=60)
    model_version = models.ForeignKey(
        ModelVersion, null=True, blank=True, on_delete=models.SET_NULL, related_name="corrections"
    )
    corrected_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL
    )
    corrected_by_label = models.CharField(max_length=200, blank=True)
    corrected_at = models.DateTimeField(db_index=True)

    class Meta:
        indexes = [models.Index(fields=["ticket", "corrected_at"])]

    def __str__(self) -> str:
        return f"#{self.ticket_id}: {self.from_reason or '-'} → {self.to_reason}"
