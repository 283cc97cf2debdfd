"""Rollup tables (kept up to date per day by services.rollup_refresh) and stored spike alerts.

Rollups are the only thing metrics and the spike scan read: one row per (day, reason,
dimension, value) for contacts, per (day, dimension, value) for exposure and per (day, reason,
sku) for cost. ``dimension="all"`` (value ``"*"``) holds the totals."""

from __future__ import annotations

from django.conf import settings
from django.db import models

from signaldesk.core.models import money_field


class ContactRollup(models.Model):
    day = models.DateField()
    reason = models.CharField(max_length=60)
    dimension = models.CharField(max_length=20)
    value = models.CharField(max_length=300)
    contacts = models.PositiveIntegerField()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["day", "reason", "dimension", "value"], name="uniq_contact_rollup"
            )
        ]
        indexes = [models.Index(fields=["dimension", "day"])]

    def __str__(self) -> str:
        return f"{self.day} {self.reason} {self.dimension}={self.value}: {self.contacts}"


class ExposureRollup(models.Model):
    day = models.DateField()
    dimension = models.CharField(max_length=20)
    value = models.CharField(max_length=300)
    orders = models.PositiveIntegerField(default=0)
    units = models.PositiveIntegerField(default=0, help_text="Units shipped that day.")

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["day", "dimension", "value"], name="uniq_exposure")
        ]
        indexes = [models.Index(fields=["dimension", "day"])]

    def __str__(self) -> str:
        return f"{self.day} {self.dimension}={self.value}: {self.orders} orders"


class CostRollup(models.Model):
    day = models.DateField()
    reason = models.CharField(max_length=60)
    sku = models.CharField(max_length=100)
    tickets = models.PositiveIntegerField()
    refunds = money_field()
    replacements = money_field()
    discounts = money_field()
    handling_minutes = models.FloatField(
        null=True, blank=True, help_text="Placeholder: filled when handling time is tracked."
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["day", "reason", "sku"], name="uniq_cost_rollup")
        ]

    def __str__(self) -> str:
        return f"{self.day} {self.reason} {self.sku}"


class DirtyDay(models.Model):
    """A day whose rollups must be recomputed (marked by triage/intake, cleared by refresh)."""

    day = models.DateField(unique=True)
    marked_at = models.DateTimeField()

    def __str__(self) -> str:
        return str(self.day)


class AlertStatus(models.TextChoices):
    OPEN = "open", "Open"
    SNOOZED = "snoozed", "Snoozed"
    RESOLVED = "resolved", "Resolved"


class SpikeAlert(models.Model):
    """One deduplicated spike incident of one segment (segment + onset), updated while it lasts."""

    dedup_key = models.CharField(max_length=500, unique=True)
    segment = models.JSONField(help_text='e.g. {"reason": "damaged_item", "batch": "B-1"}')
    segment_label = models.CharField(max_length=500, db_index=True)
    reason = models.CharField(max_length=60)
    dimension = models.CharField(max_length=40)
    value = models.CharField(max_length=300)
    onset = models.DateField()
    first_alert_day = models.DateField()
    last_alert_day = models.DateField(db_index=True)
    n_alert_days = models.PositiveIntegerField(default=1)
    window_days = models.PositiveIntegerField(default=1)
    observed = models.PositiveIntegerField()
    expected = models.FloatField()
    exposure = models.FloatField()
    ratio = models.FloatField()
    peak_ratio = models.FloatField()
    p_value = models.FloatField()
    q_value = models.FloatField()
    severity = models.CharField(max_length=10)
    explanation = models.TextField()
    primary = models.BooleanField(default=True)
    rolled_into = models.CharField(max_length=500, blank=True)
    example_ticket_ids = models.JSONField(default=list, blank=True)
    status = models.CharField(max_length=10, choices=AlertStatus.choices, default=AlertStatus.OPEN)
    snoozed_until = models.DateField(null=True, blank=True)
    snoozed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField()
    updated_at = models.DateTimeField()

    class Meta:
        indexes = [models.Index(fields=["status", "last_alert_day"])]
        ordering = ["-last_alert_day", "-id"]

    def __str__(self) -> str:
        return f"{self.segment_label} since {self.onset} ({self.severity})"
