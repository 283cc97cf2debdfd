"""Root-cause actions (what a team changes because of a signal), their measured impact and the
customers told about them."""

from __future__ import annotations

from django.conf import settings
from django.db import models

from signaldesk.core.models import money_field


class ActionType(models.TextChoices):
    PRODUCT_PAGE = "product_page", "Product page"
    SIZING_GUIDE = "sizing_guide", "Sizing guide"
    PACKAGING = "packaging", "Packaging"
    FULFILMENT = "fulfilment", "Fulfilment"
    SUPPLIER = "supplier", "Supplier"
    CHECKOUT_FIX = "checkout_fix", "Checkout fix"
    LIFECYCLE_MESSAGE = "lifecycle_message", "Lifecycle message"
    FAQ = "faq", "FAQ / knowledge"
    PAUSE_PROMOTION = "pause_promotion", "Pause promotion"
    RETURN_POLICY = "return_policy", "Return-policy wording"


class OwnerTeam(models.TextChoices):
    PRODUCT = "product", "Product"
    OPERATIONS = "operations", "Operations"
    ECOMMERCE = "ecommerce", "Ecommerce"
    MERCHANDISING = "merchandising", "Merchandising"
    LIFECYCLE = "lifecycle", "Lifecycle"
    FINANCE = "finance", "Finance"


class ActionStatus(models.TextChoices):
    PROPOSED = "proposed", "Proposed"
    IN_PROGRESS = "in_progress", "In progress"
    DONE = "done", "Done"
    MEASURED = "measured", "Measured"
    CANCELLED = "cancelled", "Cancelled"


class Action(models.Model):
    title = models.CharField(max_length=200)
    action_type = models.CharField(max_length=20, choices=ActionType.choices)
    owner_team = models.CharField(max_length=20, choices=OwnerTeam.choices, db_index=True)
    status = models.CharField(
        max_length=12, choices=ActionStatus.choices, default=ActionStatus.PROPOSED
    )
    description = models.TextField(blank=True)
    due_date = models.DateField(null=True, blank=True)
    reasons = models.JSONField(default=list, blank=True, help_text="Contact reason ids.")
    skus = models.JSONField(default=list, blank=True)
    segment = models.JSONField(
        default=dict,
        blank=True,
        help_text='Treated cut, e.g. {"dimension": "batch", "value": "B-1"}',
    )
    signal_keys = models.JSONField(
        default=list, blank=True, help_text='e.g. ["spike:12", "theme:4", "recurring:fit|SKU"]'
    )
    alerts = models.ManyToManyField("signals.SpikeAlert", blank=True, related_name="actions")
    themes = models.ManyToManyField("signals.Theme", blank=True, related_name="actions")
    tickets = models.ManyToManyField("tickets.Ticket", blank=True, related_name="root_actions")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField()
    updated_at = models.DateTimeField()
    started_at = models.DateTimeField(null=True, blank=True)
    done_at = models.DateTimeField(null=True, blank=True, help_text="When the change shipped.")

    class Meta:
        ordering = ["-updated_at", "-id"]
        indexes = [models.Index(fields=["owner_team", "status"])]

    def __str__(self) -> str:
        return f"{self.title} ({self.status})"


class ActionImpact(models.Model):
    """One difference-in-differences measurement of an action (the latest one is shown)."""

    action = models.ForeignKey(Action, on_delete=models.CASCADE, related_name="impacts")
    measured_at = models.DateTimeField()
    action_day = models.DateField(help_text="First day after the change shipped.")
    window_days = models.PositiveIntegerField()
    dimension = models.CharField(max_length=20)
    treated = models.JSONField(default=list)
    n_control = models.PositiveIntegerField()
    rate_ratio = models.FloatField()
    relative_change = models.FloatField()
    ci_low = models.FloatField()
    ci_high = models.FloatField()
    p_value = models.FloatField()
    significant = models.BooleanField()
    verdict = models.TextField()
    cov_type = models.CharField(max_length=120)
    treated_rate_before = models.FloatField()
    treated_rate_after = models.FloatField()
    control_rate_before = models.FloatField()
    control_rate_after = models.FloatField()
    cost_before = money_field()
    cost_after = money_field()
    series = models.JSONField(
        default=dict, help_text='{"periods": [...], "treated": [...], "control": [...]}'
    )

    class Meta:
        ordering = ["-measured_at", "-id"]

    def __str__(self) -> str:
        return self.verdict


class NoticeStatus(models.TextChoices):
    SENT = "sent", "Update sent"
    SUPPRESSED = "suppressed", "Skipped: suppressed"
    NO_CONSENT = "no_consent", "Skipped: no consent"
    NO_EMAIL = "no_email", "Skipped: no email address"


class ActionNotice(models.Model):
    """Who was told that an action shipped (at most one row per customer and action)."""

    action = models.ForeignKey(Action, on_delete=models.CASCADE, related_name="notices")
    customer = models.ForeignKey("commerce.Customer", on_delete=models.CASCADE, related_name="+")
    ticket = models.ForeignKey(
        "tickets.Ticket", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    status = models.CharField(max_length=12, choices=NoticeStatus.choices)
    created_at = models.DateTimeField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["action", "customer"], name="uniq_action_notice")
        ]

    def __str__(self) -> str:
        return f"{self.action_id} -> {self.customer_id}: {self.status}"
