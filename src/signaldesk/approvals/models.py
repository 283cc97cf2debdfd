"""Money requests: refunds, replacements, returns and compensation, approved by a policy rule
(approvals/policy.yaml) or by a human with approvals.decide. `cost_amount` is what the issue
cost once approved; signals sum it through selectors.issue_costs."""

from __future__ import annotations

from django.conf import settings
from django.db import models

from signaldesk.core.models import currency_field, money_field
from signaldesk.tickets.models import Ticket


class MoneyKind(models.TextChoices):
    REFUND = "refund", "Refund"
    REPLACEMENT = "replacement", "Replacement"
    RETURN = "return", "Return"
    COMPENSATION = "compensation", "Compensation"


class MoneyStatus(models.TextChoices):
    PENDING = "pending", "Pending approval"
    AUTO_APPROVED = "auto_approved", "Auto-approved by policy"
    APPROVED = "approved", "Approved"
    DENIED = "denied", "Denied"
    EXECUTED = "executed", "Executed"


COSTED_STATUSES = (MoneyStatus.AUTO_APPROVED, MoneyStatus.APPROVED, MoneyStatus.EXECUTED)


class MoneyRequest(models.Model):
    ticket = models.ForeignKey(Ticket, on_delete=models.CASCADE, related_name="money_requests")
    kind = models.CharField(max_length=20, choices=MoneyKind.choices)
    amount = money_field()
    currency = currency_field()
    reason = models.TextField()
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    requested_at = models.DateTimeField(db_index=True)
    status = models.CharField(
        max_length=20, choices=MoneyStatus.choices, default=MoneyStatus.PENDING
    )
    route = models.CharField(
        max_length=20, blank=True, help_text="Who must decide a pending request: lead or finance."
    )
    policy_rule = models.CharField(
        max_length=80, blank=True, help_text="The policy rule that auto-approved it."
    )
    policy_notes = models.JSONField(
        default=list, blank=True, help_text="Why the policy did not auto-approve."
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    decision_reason = models.TextField(blank=True)
    executed_at = models.DateTimeField(null=True, blank=True)
    cost_amount = money_field(help_text="Counted as the issue's cost once approved.")

    class Meta:
        indexes = [models.Index(fields=["status", "requested_at"])]
        ordering = ["requested_at", "id"]

    def __str__(self) -> str:
        return f"{self.kind} {self.amount} {self.currency} on #{self.ticket_id} ({self.status})"
