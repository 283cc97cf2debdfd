"""Versioned rule sets (workflow/rules/): the YAML text as saved, its hash and version, and which
one is active. A firing's audit event names the version, so it can be read back exactly."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q


class RuleSet(models.Model):
    version = models.PositiveIntegerField(unique=True)
    yaml_text = models.TextField()
    sha256 = models.CharField(max_length=64)
    active = models.BooleanField(default=False)
    comment = models.CharField(max_length=200, blank=True)
    created_at = models.DateTimeField()
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["-version"]
        constraints = [
            models.UniqueConstraint(
                fields=["active"], condition=Q(active=True), name="uniq_active_ruleset"
            )
        ]

    def __str__(self) -> str:
        return f"rules v{self.version}{' (active)' if self.active else ''}"
