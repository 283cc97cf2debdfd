"""Customers who must not receive marketing while an issue of theirs is open and serious.

One entry per (customer, source ticket) while active; `lifted_at` ends it (solved, no longer
qualifying, or expired). Active means not lifted and not past `expires_at`."""

from __future__ import annotations

from django.db import models

from signaldesk.commerce.models import Customer
from signaldesk.tickets.models import Ticket


class LiftReason(models.TextChoices):
    NONE = "", "Active"
    RESOLVED = "resolved", "Issue resolved or no longer qualifies"
    EXPIRED = "expired", "Expired"


class SuppressionEntry(models.Model):
    customer = models.ForeignKey(
        Customer, on_delete=models.CASCADE, related_name="suppression_entries"
    )
    reason = models.CharField(max_length=200)
    source_ticket = models.ForeignKey(
        Ticket, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    started_at = models.DateTimeField()
    expires_at = models.DateTimeField(db_index=True)
    lifted_at = models.DateTimeField(null=True, blank=True)
    lift_reason = models.CharField(max_length=10, choices=LiftReason.choices, blank=True)
    updated_at = models.DateTimeField()

    class Meta:
        ordering = ["-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["customer", "source_ticket"],
                condition=models.Q(lifted_at__isnull=True),
                name="uniq_active_suppression_per_ticket",
            )
        ]

    def __str__(self) -> str:
        return f"customer {self.customer_id}: {self.reason} until {self.expires_at:%Y-%m-%d}"
