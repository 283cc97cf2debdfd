"""Proactive campaigns: a notice to every customer hit by one problem (a carrier delay in a
region, a faulty batch, a recall), whether or not they have written yet, and what came back.

A campaign holds its audience criteria (all given criteria must hold for an order) and a message
template; `CampaignRecipient` is one row per customer told, with the reply reference token, the
outbox message, and the ticket their reply threaded into. docs/proactive.md."""

from __future__ import annotations

from django.conf import settings
from django.db import models

from signaldesk.commerce.models import Customer
from signaldesk.tickets.models import Ticket


class CampaignKind(models.TextChoices):
    CARRIER_DELAY = "carrier_delay", "Carrier delay"
    FAULTY_BATCH = "faulty_batch", "Faulty batch"
    RECALL = "recall", "Product recall"
    OTHER = "other", "Other"


class CampaignStatus(models.TextChoices):
    DRAFT = "draft", "Draft"
    SENT = "sent", "Sent"


class ProactiveCampaign(models.Model):
    slug = models.SlugField(max_length=50, unique=True)
    name = models.CharField(max_length=200)
    kind = models.CharField(max_length=20, choices=CampaignKind.choices)
    status = models.CharField(
        max_length=10, choices=CampaignStatus.choices, default=CampaignStatus.DRAFT
    )
    # Audience criteria: an order is affected when every criterion that is set holds.
    carrier = models.CharField(max_length=100, blank=True)
    region = models.CharField(max_length=100, blank=True)
    shipped_from = models.DateField(null=True, blank=True)
    shipped_to = models.DateField(null=True, blank=True)
    skus = models.JSONField(default=list, blank=True)
    batches = models.JSONField(default=list, blank=True)
    ordered_from = models.DateField(null=True, blank=True)
    ordered_to = models.DateField(null=True, blank=True)
    # The notice: plain text with {variables} (docs/proactive.md).
    subject = models.CharField(max_length=200)
    body = models.TextField()
    source_alert_id = models.BigIntegerField(
        null=True, blank=True, help_text="The signals SpikeAlert the campaign was started from."
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField()
    updated_at = models.DateTimeField()
    sent_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-id"]

    def __str__(self) -> str:
        return f"{self.name} ({self.kind}, {self.status})"

    @property
    def tag(self) -> str:
        """The tag put on every ticket a reply to this campaign lands on."""
        return f"campaign:{self.slug}"


class CampaignRecipient(models.Model):
    campaign = models.ForeignKey(
        ProactiveCampaign, on_delete=models.CASCADE, related_name="recipients"
    )
    customer = models.ForeignKey(Customer, on_delete=models.CASCADE, related_name="+")
    token = models.CharField(max_length=16, unique=True)
    email = models.CharField(max_length=254)
    order_numbers = models.JSONField(default=list, blank=True)
    notified_at = models.DateTimeField(null=True, blank=True)
    outbox_message_id = models.BigIntegerField(null=True, blank=True)
    replied_at = models.DateTimeField(null=True, blank=True)
    ticket = models.ForeignKey(
        Ticket, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["id"]
        constraints = [
            models.UniqueConstraint(
                fields=["campaign", "customer"], name="uniq_recipient_per_campaign"
            )
        ]

    def __str__(self) -> str:
        return f"campaign {self.campaign_id} → customer {self.customer_id}"

    @property
    def reference(self) -> str:
        return f"PC-{self.campaign_id}-{self.token}"
