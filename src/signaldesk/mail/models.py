"""The e-mail channel's own records: every e-mail seen or sent (keyed by Message-ID, which is how
replies find their ticket) and the addresses that bounce. Tickets and messages stay in tickets/."""

from __future__ import annotations

from django.db import models

from signaldesk.tickets.models import Message, Ticket


class MailDirection(models.TextChoices):
    INBOUND = "inbound", "Received"
    OUTBOUND = "outbound", "Sent"


class MailKind(models.TextChoices):
    CUSTOMER = "customer", "Customer message"
    BOUNCE = "bounce", "Bounce (delivery report)"
    AUTO_REPLY = "auto_reply", "Auto-reply"
    REPLY = "reply", "Agent reply"


class MailMessage(models.Model):
    """One e-mail. Inbound customer mail is also a tickets.Message (`ticket_message`); bounces and
    auto-replies are recorded here only and never become customer messages."""

    message_id = models.CharField(max_length=255, unique=True, help_text="<id@host>")
    direction = models.CharField(max_length=10, choices=MailDirection.choices)
    kind = models.CharField(max_length=12, choices=MailKind.choices)
    ticket = models.ForeignKey(
        Ticket, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    ticket_message = models.ForeignKey(
        Message, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    from_address = models.CharField(max_length=254, blank=True)
    to_addresses = models.JSONField(default=list, blank=True)
    subject = models.CharField(max_length=500, blank=True)
    in_reply_to = models.CharField(max_length=255, blank=True)
    references = models.JSONField(default=list, blank=True)
    classification_text = models.TextField(
        blank=True, help_text="The text without quoted history and signature."
    )
    detection = models.CharField(max_length=200, blank=True, help_text="Why bounce/auto-reply.")
    attachments_rejected = models.JSONField(default=list, blank=True)
    size = models.PositiveIntegerField(default=0)
    source = models.CharField(max_length=10, blank=True, help_text="smtp, http, imap, outbox")
    bounced = models.BooleanField(default=False, help_text="Outbound mail reported undeliverable.")
    created_at = models.DateTimeField()

    class Meta:
        ordering = ["id"]
        indexes = [models.Index(fields=["ticket", "direction", "created_at"])]

    def __str__(self) -> str:
        return f"{self.direction} {self.kind} {self.message_id}"


class BouncingAddress(models.Model):
    """An address our mail could not be delivered to (permanent failures only)."""

    address = models.CharField(max_length=254, unique=True)
    bounces = models.PositiveIntegerField(default=0)
    first_bounced_at = models.DateTimeField()
    last_bounced_at = models.DateTimeField()
    last_status = models.CharField(max_length=20, blank=True)
    last_diagnostic = models.CharField(max_length=500, blank=True)
    last_ticket = models.ForeignKey(
        Ticket, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["address"]

    def __str__(self) -> str:
        return f"{self.address} ({self.bounces} bounces)"
