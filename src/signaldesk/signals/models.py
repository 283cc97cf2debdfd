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
    ACKNOWLEDGED = "acknowledged", "Acknowledged"
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
    status = models.CharField(max_length=12, choices=AlertStatus.choices, default=AlertStatus.OPEN)
    snoozed_until = models.DateField(null=True, blank=True)
    snoozed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    acknowledged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    notified_severity = models.CharField(
        max_length=10, blank=True, help_text="Severity of the last notification sent (dedupe)."
    )
    created_at = models.DateTimeField()
    updated_at = models.DateTimeField()

    class Meta:
        indexes = [models.Index(fields=["status", "last_alert_day"])]
        ordering = ["-last_alert_day", "-id"]

    def __str__(self) -> str:
        return f"{self.segment_label} since {self.onset} ({self.severity})"


class ThemeRun(models.Model):
    """One theme-discovery run over the feedback of a window (signals.themes_service)."""

    as_of = models.DateField(db_index=True)
    window_days = models.PositiveIntegerField()
    n_texts = models.PositiveIntegerField()
    n_themes = models.PositiveIntegerField()
    seconds = models.FloatField(default=0.0)
    created_at = models.DateTimeField()

    class Meta:
        ordering = ["-as_of", "-id"]

    def __str__(self) -> str:
        return f"themes at {self.as_of} ({self.n_themes})"


class Theme(models.Model):
    """One cluster of feedback texts: keywords, quotes with links to their sources, growth of
    the recent window against the previous one, channels and SKU concentration."""

    run = models.ForeignKey(ThemeRun, on_delete=models.CASCADE, related_name="themes")
    scope = models.CharField(
        max_length=60, help_text='"unexplained" (low confidence / other) or a contact reason id'
    )
    label = models.CharField(max_length=200)
    keywords = models.JSONField(default=list)
    size = models.PositiveIntegerField()
    recent_count = models.PositiveIntegerField()
    previous_count = models.PositiveIntegerField()
    growth = models.FloatField(null=True, blank=True, help_text="recent / previous window")
    sources = models.JSONField(default=dict, help_text='{"ticket": 12, "review": 3, ...}')
    quotes = models.JSONField(default=list, help_text='[{"text", "kind", "id"}]')
    top_skus = models.JSONField(default=list, help_text='[["SKU", share], ...] largest first')
    sku_concentration = models.FloatField(default=0.0, help_text="share of the top SKU")
    customers = models.PositiveIntegerField(default=0)
    vip_share = models.FloatField(default=0.0)
    ticket_ids = models.JSONField(default=list, blank=True)
    proposed_version = models.ForeignKey(
        "taxonomy.TaxonomyVersion",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text="Draft taxonomy version proposed from this theme.",
    )

    class Meta:
        ordering = ["-recent_count", "id"]

    def __str__(self) -> str:
        return f"{self.scope}: {self.label}"

    @property
    def sources_sorted(self) -> list[tuple[str, int]]:
        """(channel, texts), largest first (JSONB does not keep key order)."""
        return sorted(self.sources.items(), key=lambda kv: (-kv[1], kv[0]))
