"""Response macros, their use, and the guardrail report of every reply that was checked."""

from __future__ import annotations

from django.conf import settings
from django.db import models

from signaldesk.tickets.models import Message, Ticket


class Macro(models.Model):
    """An approved response template. Seeded from the taxonomy's default responses
    (macros_sync_from_taxonomy) and editable in the admin; {variables} are filled per ticket."""

    slug = models.SlugField(max_length=120, unique=True)
    reason_id = models.CharField(max_length=60, db_index=True)
    title = models.CharField(max_length=200)
    body = models.TextField(help_text="Template with {variables}, e.g. {order_number}.")
    language = models.CharField(max_length=10, default="en")
    is_default = models.BooleanField(default=False, help_text="The reason's default macro.")
    active = models.BooleanField(default=True)
    version = models.PositiveIntegerField(default=1)
    source = models.CharField(max_length=20, default="taxonomy", help_text="taxonomy or manual")
    updated_at = models.DateTimeField()

    class Meta:
        indexes = [models.Index(fields=["reason_id", "language", "active"])]

    def __str__(self) -> str:
        return self.slug


class MacroUse(models.Model):
    macro = models.ForeignKey(Macro, on_delete=models.CASCADE, related_name="uses")
    ticket = models.ForeignKey(Ticket, on_delete=models.CASCADE, related_name="macro_uses")
    message = models.ForeignKey(
        Message, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    used_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL
    )
    used_at = models.DateTimeField(db_index=True)
    reopened_count_at_use = models.PositiveIntegerField(
        default=0, help_text="The ticket's reopened_count when the macro was sent (reopen after)."
    )

    class Meta:
        indexes = [models.Index(fields=["macro", "used_at"])]

    def __str__(self) -> str:
        return f"{self.macro_id} on #{self.ticket_id}"


class ReplyOrigin(models.TextChoices):
    DRAFT = "draft", "Machine draft (possibly edited)"
    HUMAN = "human", "Written by the agent"
    LLM = "llm", "LLM rewrite"


class GuardrailReport(models.Model):
    ticket = models.ForeignKey(Ticket, on_delete=models.CASCADE, related_name="guardrail_reports")
    message = models.ForeignKey(
        Message, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    origin = models.CharField(max_length=10, choices=ReplyOrigin.choices)
    text = models.TextField()
    findings = models.JSONField(default=list, blank=True)
    blocked = models.BooleanField(default=False, help_text="Had blocking findings.")
    sent = models.BooleanField(default=False)
    overridden_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    override_reason = models.TextField(blank=True)
    checked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL
    )
    created_at = models.DateTimeField(db_index=True)

    class Meta:
        indexes = [models.Index(fields=["ticket", "created_at"])]

    def __str__(self) -> str:
        return f"guardrails on #{self.ticket_id} ({'blocked' if self.blocked else 'ok'})"
