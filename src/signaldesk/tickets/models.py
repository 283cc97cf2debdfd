"""Tickets, their messages and the channel threads that feed them."""

from __future__ import annotations

from django.conf import settings
from django.db import models

from signaldesk.accounts.models import Team
from signaldesk.commerce.models import Customer, Order, Variant


class Channel(models.TextChoices):
    EMAIL = "email", "Email"
    CHAT = "chat", "Chat"
    SOCIAL = "social", "Social"
    MARKETPLACE = "marketplace", "Marketplace"
    FORM = "form", "Web form"
    PHONE = "phone", "Phone note"
    WHATSAPP = "whatsapp", "WhatsApp"
    API = "api", "API"
    SELF_SERVICE = "self_service", "Self-service"


class TicketStatus(models.TextChoices):
    NEW = "new", "New"
    OPEN = "open", "Open"
    PENDING = "pending", "Waiting on customer"
    ON_HOLD = "on_hold", "On hold"
    SOLVED = "solved", "Solved"
    CLOSED = "closed", "Closed"


OPEN_STATUSES = (TicketStatus.NEW, TicketStatus.OPEN, TicketStatus.PENDING, TicketStatus.ON_HOLD)


class Priority(models.TextChoices):
    LOW = "low", "Low"
    NORMAL = "normal", "Normal"
    HIGH = "high", "High"
    URGENT = "urgent", "Urgent"


PRIORITY_RANK = {Priority.LOW: 0, Priority.NORMAL: 1, Priority.HIGH: 2, Priority.URGENT: 3}


class TicketType(models.TextChoices):
    GENERAL = "general", "General"
    RETURN = "return", "Return"
    REFUND = "refund", "Refund / credit"
    REPLACEMENT = "replacement", "Replacement / warranty"
    COMPLAINT = "complaint", "Complaint"
    QUESTION = "question", "Question"
    INCIDENT = "incident", "Incident"
    PROBLEM = "problem", "Problem"
    TASK = "task", "Task"


class Ticket(models.Model):
    subject = models.CharField(max_length=500, blank=True)
    channel = models.CharField(max_length=20, choices=Channel.choices, default=Channel.EMAIL)
    # status, contact_reason and customer have no single-column index: the composite indexes
    # in Meta start with them and serve the same lookups (fewer indexes to update on writes)
    status = models.CharField(max_length=10, choices=TicketStatus.choices, default=TicketStatus.NEW)
    workflow_state = models.CharField(max_length=40, blank=True)
    priority = models.CharField(max_length=10, choices=Priority.choices, default=Priority.NORMAL)
    ticket_type = models.CharField(
        max_length=20, choices=TicketType.choices, default=TicketType.GENERAL
    )
    contact_reason = models.CharField(max_length=60, blank=True)
    reason_confidence = models.FloatField(null=True, blank=True)
    reason_source = models.CharField(
        max_length=20, blank=True, help_text="model, agent, tag_mapping, import, self_service"
    )
    taxonomy_version = models.CharField(max_length=40, blank=True)
    owner_team = models.ForeignKey(Team, null=True, blank=True, on_delete=models.SET_NULL)
    assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="assigned_tickets",
    )
    language = models.CharField(max_length=10, blank=True)
    sentiment = models.FloatField(null=True, blank=True)
    risk_flags = models.JSONField(default=list, blank=True)
    tags = models.JSONField(default=list, blank=True)
    custom_fields = models.JSONField(default=dict, blank=True)
    customer = models.ForeignKey(
        Customer,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="tickets",
        db_index=False,
    )
    order = models.ForeignKey(
        Order, null=True, blank=True, on_delete=models.SET_NULL, related_name="tickets"
    )
    variant = models.ForeignKey(
        Variant, null=True, blank=True, on_delete=models.SET_NULL, related_name="tickets"
    )
    external_source = models.CharField(max_length=30, blank=True, help_text="zendesk, csv, …")
    external_id = models.CharField(max_length=64, blank=True)
    merged_into = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="merged_from"
    )
    created_at = models.DateTimeField(db_index=True)
    updated_at = models.DateTimeField()
    first_response_at = models.DateTimeField(null=True, blank=True)
    last_customer_message_at = models.DateTimeField(null=True, blank=True)
    solved_at = models.DateTimeField(null=True, blank=True)
    closed_at = models.DateTimeField(null=True, blank=True)
    reopened_count = models.PositiveIntegerField(default=0)
    satisfaction_score = models.CharField(max_length=20, blank=True)
    satisfaction_comment = models.TextField(blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["external_source", "external_id"],
                condition=~models.Q(external_id=""),
                name="uniq_ticket_external",
            )
        ]
        indexes = [
            models.Index(fields=["status", "priority"]),
            models.Index(fields=["customer", "created_at"]),
            models.Index(fields=["contact_reason", "created_at"]),
        ]

    def __str__(self) -> str:
        return f"#{self.pk} {self.subject}"


class TicketThread(models.Model):
    """A conversation key on one channel (email Message-ID chain, chat session, social DM…).
    Messages that arrive with the same (channel, external_thread_id) continue the same ticket."""

    ticket = models.ForeignKey(Ticket, on_delete=models.CASCADE, related_name="threads")
    channel = models.CharField(max_length=20, choices=Channel.choices)
    external_thread_id = models.CharField(max_length=255)
    created_at = models.DateTimeField()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["channel", "external_thread_id"], name="uniq_thread_channel_external"
            )
        ]

    def __str__(self) -> str:
        return f"{self.channel}:{self.external_thread_id}"


class Direction(models.TextChoices):
    INBOUND = "inbound", "From the customer"
    OUTBOUND = "outbound", "To the customer"
    NOTE = "note", "Internal note"


class Message(models.Model):
    # no index of its own: Meta's (ticket, created_at) index serves lookups by ticket
    ticket = models.ForeignKey(
        Ticket, on_delete=models.CASCADE, related_name="messages", db_index=False
    )
    direction = models.CharField(max_length=10, choices=Direction.choices)
    channel = models.CharField(max_length=20, choices=Channel.choices)
    author_user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL
    )
    author_customer = models.ForeignKey(Customer, null=True, blank=True, on_delete=models.SET_NULL)
    author_label = models.CharField(max_length=200, blank=True)
    body_text = models.TextField(blank=True)
    body_html = models.TextField(blank=True, help_text="Sanitised HTML, safe to render.")
    attachments = models.JSONField(default=list, blank=True)
    external_id = models.CharField(max_length=255, blank=True, db_index=True)
    idempotency_key = models.CharField(max_length=255, null=True, blank=True, unique=True)
    created_at = models.DateTimeField(db_index=True)
    received_at = models.DateTimeField()

    class Meta:
        ordering = ["created_at", "id"]
        indexes = [models.Index(fields=["ticket", "created_at"])]

    def __str__(self) -> str:
        return f"{self.direction} on #{self.ticket_id}"
