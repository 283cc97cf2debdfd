"""Taxonomy versions (immutable once created), their contact reasons, legacy tag mappings and
the relabel batches that applied them to ticket history (reversible)."""

from __future__ import annotations

from django.conf import settings
from django.db import models

from signaldesk.tickets.models import Ticket


class TaxonomyVersion(models.Model):
    """One immutable snapshot of the taxonomy. Editing creates a new version (copy-on-write),
    so tickets classified under a version can always be explained by it."""

    label = models.CharField(max_length=40, unique=True, help_text="e.g. 2026.11.1")
    content_hash = models.CharField(max_length=64, unique=True)
    source_yaml = models.TextField()
    source_name = models.CharField(max_length=255, blank=True)
    created_at = models.DateTimeField(db_index=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_by_label = models.CharField(max_length=200, blank=True)
    parent = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="children"
    )
    is_active = models.BooleanField(default=False)
    notes = models.TextField(blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["is_active"],
                condition=models.Q(is_active=True),
                name="uniq_taxonomy_one_active",
            )
        ]

    def __str__(self) -> str:
        return f"{self.label}{' (active)' if self.is_active else ''}"


class ContactReason(models.Model):
    """One contact reason with its routing template, as it was in one taxonomy version."""

    version = models.ForeignKey(TaxonomyVersion, on_delete=models.CASCADE, related_name="reasons")
    position = models.PositiveIntegerField(default=0)
    reason_id = models.SlugField(max_length=60)
    name = models.CharField(max_length=120)
    group = models.CharField(max_length=40)
    description = models.TextField(blank=True)
    examples = models.JSONField(default=list, blank=True)
    aliases = models.JSONField(default=list, blank=True, help_text="Legacy tags meaning this.")
    required_context = models.JSONField(default=list, blank=True)
    macro_id = models.CharField(max_length=80)
    macro_template = models.TextField()
    auto_action_allowed = models.BooleanField(default=False)
    auto_action = models.CharField(max_length=80, blank=True)
    auto_action_limit = models.DecimalField(max_digits=14, decimal_places=2, null=True, blank=True)
    escalation_value_threshold = models.DecimalField(
        max_digits=14, decimal_places=2, null=True, blank=True
    )
    escalation_repeat_contacts = models.PositiveIntegerField(null=True, blank=True)
    escalation_vip = models.BooleanField(default=False)
    escalation_batch_spike = models.BooleanField(default=False)
    escalation_policy_exception = models.BooleanField(default=False)
    owner_team = models.CharField(max_length=20)
    review_cadence = models.CharField(max_length=10)
    ticket_type = models.CharField(max_length=20)
    priority = models.CharField(max_length=10)

    class Meta:
        ordering = ["version", "position"]
        constraints = [
            models.UniqueConstraint(fields=["version", "reason_id"], name="uniq_reason_per_version")
        ]

    def __str__(self) -> str:
        return f"{self.reason_id} ({self.version.label})"


class MappingStatus(models.TextChoices):
    PROPOSED = "proposed", "Proposed"
    APPROVED = "approved", "Approved"
    REJECTED = "rejected", "Rejected"


class TagMapping(models.Model):
    """A legacy tag → contact reason mapping. reason_id "" means "no mapping" (too broad)."""

    tag = models.CharField(max_length=200, unique=True)
    reason_id = models.CharField(max_length=60, blank=True)
    confidence = models.FloatField(default=0.0)
    status = models.CharField(
        max_length=10, choices=MappingStatus.choices, default=MappingStatus.PROPOSED
    )
    evidence = models.JSONField(default=dict, blank=True)
    taxonomy_version = models.ForeignKey(
        TaxonomyVersion, null=True, blank=True, on_delete=models.PROTECT, related_name="mappings"
    )
    created_at = models.DateTimeField()
    updated_at = models.DateTimeField()
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    approved_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["tag"]

    def __str__(self) -> str:
        return f"{self.tag} → {self.reason_id or '(no mapping)'} [{self.status}]"


class RelabelBatch(models.Model):
    """One application of the approved tag mappings to ticket history. Every changed ticket has a
    RelabelItem with its before values, so the batch can be reverted exactly."""

    created_at = models.DateTimeField(db_index=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_by_label = models.CharField(max_length=200)
    taxonomy_version = models.CharField(max_length=40)
    mappings = models.JSONField(default=list, help_text="[{tag, reason_id, confidence}] applied")
    ticket_count = models.PositiveIntegerField(default=0)
    reverted_at = models.DateTimeField(null=True, blank=True)
    reverted_by_label = models.CharField(max_length=200, blank=True)
    reverted_count = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"relabel #{self.pk} ({self.ticket_count} tickets)"


class RelabelItem(models.Model):
    batch = models.ForeignKey(RelabelBatch, on_delete=models.CASCADE, related_name="items")
    ticket = models.ForeignKey(Ticket, on_delete=models.CASCADE, related_name="+")
    before_reason = models.CharField(max_length=60, blank=True)
    before_confidence = models.FloatField(null=True, blank=True)
    before_source = models.CharField(max_length=20, blank=True)
    before_version = models.CharField(max_length=40, blank=True)
    after_reason = models.CharField(max_length=60)
    after_confidence = models.FloatField()
    tag = models.CharField(max_length=200)

    class Meta:
        indexes = [models.Index(fields=["batch", "tag"])]

    def __str__(self) -> str:
        return f"batch {self.batch_id}: ticket {self.ticket_id} → {self.after_reason}"
