"""SLA clocks, breaches and in-app notifications.

A clock is the whole state of one SLA timer (ticket + metric), so timers survive restarts: the
sweep (tasks.py) only reads stored times. The targets and stages a clock started with are copied
onto it, so editing a policy never changes a running clock."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q

from signaldesk.tickets.models import Ticket


class SlaMetric(models.TextChoices):
    FIRST_RESPONSE = "first_response", "First response"
    RESOLUTION = "resolution", "Resolution"


class SlaClock(models.Model):
    ticket = models.ForeignKey(Ticket, on_delete=models.CASCADE, related_name="sla_clocks")
    metric = models.CharField(max_length=20, choices=SlaMetric.choices)
    policy_id = models.CharField(max_length=60)
    policy_version = models.PositiveIntegerField()
    calendar_id = models.CharField(max_length=60)
    target_minutes = models.PositiveIntegerField(help_text="Business minutes.")
    stages = models.JSONField(
        default=list, blank=True, help_text="[{name, action, offset_minutes}] sorted by offset."
    )
    started_at = models.DateTimeField()
    due_at = models.DateTimeField(help_text="Target end; moves later by the time spent paused.")
    paused_at = models.DateTimeField(null=True, blank=True)
    paused_seconds = models.FloatField(
        default=0, help_text="Business seconds spent paused (wall seconds on a 24/7 calendar)."
    )
    stage_reached = models.PositiveSmallIntegerField(
        default=0, help_text="How many stages have fired."
    )
    next_action_at = models.DateTimeField(
        null=True, blank=True, help_text="When the sweep must look at this clock next."
    )
    breached_at = models.DateTimeField(null=True, blank=True)
    met_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["ticket", "metric"], name="uniq_sla_clock_metric")
        ]
        indexes = [
            models.Index(
                fields=["next_action_at"],
                condition=Q(met_at__isnull=True, paused_at__isnull=True),
                name="sla_clock_sweep_idx",
            ),
            models.Index(
                fields=["ticket", "due_at"],
                condition=Q(met_at__isnull=True, paused_at__isnull=True),
                name="sla_clock_risk_idx",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.metric} for #{self.ticket_id}"


class SlaBreach(models.Model):
    """One missed target, kept for reporting (a clock breaches at most once)."""

    clock = models.OneToOneField(SlaClock, on_delete=models.CASCADE, related_name="breach")
    ticket = models.ForeignKey(Ticket, on_delete=models.CASCADE, related_name="sla_breaches")
    metric = models.CharField(max_length=20, choices=SlaMetric.choices)
    policy_id = models.CharField(max_length=60)
    policy_version = models.PositiveIntegerField()
    due_at = models.DateTimeField()
    breached_at = models.DateTimeField(db_index=True, help_text="= due_at: when it was missed.")
    detected_at = models.DateTimeField(help_text="When the sweep recorded it.")
    priority = models.CharField(max_length=10)
    channel = models.CharField(max_length=20)
    customer_tier = models.CharField(max_length=10, blank=True)
    team = models.ForeignKey(
        "accounts.Team", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    def __str__(self) -> str:
        return f"{self.metric} breach on #{self.ticket_id}"


class NotificationKind(models.TextChoices):
    SLA_REMINDER = "sla_reminder", "SLA reminder"
    SLA_ESCALATION = "sla_escalation", "SLA escalation"
    SLA_ASSIGNED = "sla_assigned", "Assigned by escalation"


class Notification(models.Model):
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications"
    )
    kind = models.CharField(max_length=30, choices=NotificationKind.choices)
    ticket = models.ForeignKey(
        Ticket, null=True, blank=True, on_delete=models.CASCADE, related_name="notifications"
    )
    text = models.CharField(max_length=500)
    dedupe_key = models.CharField(max_length=120, blank=True)
    created_at = models.DateTimeField()
    read_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["recipient", "dedupe_key"],
                condition=~Q(dedupe_key=""),
                name="uniq_notification_dedupe",
            )
        ]
        indexes = [
            models.Index(
                fields=["recipient", "created_at"],
                condition=Q(read_at__isnull=True),
                name="notification_unread_idx",
            )
        ]

    def __str__(self) -> str:
        return f"{self.kind} for {self.recipient_id}"


from signaldesk.workflow.models_rules import RuleSet  # noqa: E402, F401
