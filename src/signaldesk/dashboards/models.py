"""Rollup tables of the dashboards (kept up to date per day by services.dashboards_refresh).

They complement the signals rollups (ContactRollup, ExposureRollup, CostRollup), which the
dashboards read too. Every dashboard number comes from these tables, never from a scan of the
ticket table per request. Days are calendar days in ``settings.TIME_ZONE``.

- ServiceRollup: per (created day, reason, channel) — the cohort of tickets created that day:
  first responses and resolutions so far (sums and fixed-bucket histograms of minutes), reopens,
  repeat contacts, first-response SLA met/breached, CSAT/NPS answers and agent touches.
- BacklogRollup: per (day, reason, channel) — tickets open at the end of the day.
- HandlingRollup: per (created day, reason, sku) — agent replies, notes and estimated handling
  minutes (the handling-time part of the cost of issues).
- ReviewRollup: per (day, sku) — reviews written that day, rating sum, 1–2★ count, themes.
- RepurchaseRollup: per (anchor month, first-order month, order band, had issue) — customers
  whose 90-day window is complete and how many ordered again within 90 days."""

from __future__ import annotations

from django.db import models


def _hist() -> list[int]:
    return []


class ServiceRollup(models.Model):
    day = models.DateField()
    reason = models.CharField(max_length=60, help_text="'' = no contact reason yet.")
    channel = models.CharField(max_length=20)
    created = models.PositiveIntegerField(default=0)
    responded = models.PositiveIntegerField(default=0)
    frt_minutes = models.FloatField(default=0.0, help_text="Sum of first-response minutes.")
    frt_hist = models.JSONField(default=_hist, blank=True)
    resolved = models.PositiveIntegerField(default=0)
    resolution_minutes = models.FloatField(default=0.0)
    resolution_hist = models.JSONField(default=_hist, blank=True)
    reopened = models.PositiveIntegerField(default=0)
    repeat_contacts = models.PositiveIntegerField(default=0)
    sla_met = models.PositiveIntegerField(default=0)
    sla_breached = models.PositiveIntegerField(default=0)
    csat_good = models.PositiveIntegerField(default=0)
    csat_bad = models.PositiveIntegerField(default=0)
    nps_promoters = models.PositiveIntegerField(default=0)
    nps_passives = models.PositiveIntegerField(default=0)
    nps_detractors = models.PositiveIntegerField(default=0)
    agent_replies = models.PositiveIntegerField(default=0)
    handling_minutes = models.FloatField(default=0.0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["day", "reason", "channel"], name="uniq_service_rollup")
        ]

    def __str__(self) -> str:
        return f"{self.day} {self.reason or '-'} {self.channel}: {self.created}"


class BacklogRollup(models.Model):
    day = models.DateField()
    reason = models.CharField(max_length=60)
    channel = models.CharField(max_length=20)
    open_tickets = models.PositiveIntegerField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["day", "reason", "channel"], name="uniq_backlog_rollup")
        ]

    def __str__(self) -> str:
        return f"{self.day} {self.reason or '-'} {self.channel}: {self.open_tickets} open"


class HandlingRollup(models.Model):
    day = models.DateField()
    reason = models.CharField(max_length=60)
    sku = models.CharField(max_length=100)
    tickets = models.PositiveIntegerField()
    agent_replies = models.PositiveIntegerField()
    notes = models.PositiveIntegerField()
    handling_minutes = models.FloatField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["day", "reason", "sku"], name="uniq_handling_rollup")
        ]

    def __str__(self) -> str:
        return f"{self.day} {self.reason} {self.sku}: {self.handling_minutes} min"


class ReviewRollup(models.Model):
    day = models.DateField()
    sku = models.CharField(max_length=100)
    reviews = models.PositiveIntegerField()
    rating_sum = models.PositiveIntegerField()
    low_ratings = models.PositiveIntegerField(help_text="1–2 star reviews.")
    themes = models.JSONField(default=dict, blank=True, help_text='{"damaged": 3, ...}')

    class Meta:
        constraints = [models.UniqueConstraint(fields=["day", "sku"], name="uniq_review_rollup")]

    def __str__(self) -> str:
        return f"{self.day} {self.sku}: {self.reviews} reviews"


class RepurchaseRollup(models.Model):
    month = models.DateField(help_text="First day of the month of the anchor order.")
    first_order_month = models.DateField()
    order_band = models.CharField(max_length=10, help_text="Orders up to the anchor: 1, 2-3, 4+")
    had_issue = models.BooleanField()
    customers = models.PositiveIntegerField()
    repurchased = models.PositiveIntegerField()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["month", "first_order_month", "order_band", "had_issue"],
                name="uniq_repurchase_rollup",
            )
        ]

    def __str__(self) -> str:
        return f"{self.month} {self.order_band} issue={self.had_issue}: {self.customers}"


class DashboardDirtyDay(models.Model):
    """A day whose dashboard rollups must be recomputed (cleared by the refresh job)."""

    day = models.DateField(unique=True)
    marked_at = models.DateTimeField()

    def __str__(self) -> str:
        return str(self.day)
