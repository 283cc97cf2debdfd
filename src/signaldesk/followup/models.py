"""CSAT/NPS surveys sent after a ticket is solved, and the follow-ups a low score opens."""

from __future__ import annotations

from django.conf import settings
from django.db import models

from signaldesk.commerce.models import Customer
from signaldesk.tickets.models import Channel, Ticket


class Survey(models.Model):
    """One per ticket, ever (the unique ticket makes a second send impossible). Reason, channel
    and agent are kept as they were when the survey was sent, for the reports."""

    ticket = models.OneToOneField(Ticket, on_delete=models.CASCADE, related_name="survey")
    customer = models.ForeignKey(
        Customer, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    email = models.CharField(max_length=254)
    nonce = models.CharField(max_length=32, help_text="Part of the signed link.")
    reason_id = models.CharField(max_length=60, blank=True)
    channel = models.CharField(max_length=20, choices=Channel.choices)
    agent = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    resolved_at = models.DateTimeField()
    sent_at = models.DateTimeField(db_index=True)
    answered_at = models.DateTimeField(null=True, blank=True, db_index=True)
    csat = models.PositiveSmallIntegerField(null=True, blank=True, help_text="1–5")
    nps = models.PositiveSmallIntegerField(null=True, blank=True, help_text="0–10")
    comment = models.TextField(blank=True)

    def __str__(self) -> str:
        return f"survey for #{self.ticket_id}"


class FollowUpStatus(models.TextChoices):
    OPEN = "open", "Open"
    DONE = "done", "Done"


class FollowUp(models.Model):
    """A low survey answer for a lead to act on, with the thread summary at the time."""

    survey = models.OneToOneField(Survey, on_delete=models.CASCADE, related_name="followup")
    ticket = models.ForeignKey(Ticket, on_delete=models.CASCADE, related_name="followups")
    status = models.CharField(
        max_length=10, choices=FollowUpStatus.choices, default=FollowUpStatus.OPEN
    )
    trigger = models.CharField(max_length=100, help_text="e.g. CSAT 2/5, NPS 3/10")
    summary = models.TextField()
    created_at = models.DateTimeField()
    closed_at = models.DateTimeField(null=True, blank=True)
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    note = models.TextField(blank=True)

    class Meta:
        indexes = [models.Index(fields=["status", "created_at"])]

    def __str__(self) -> str:
        return f"follow-up on #{self.ticket_id} ({self.trigger})"
