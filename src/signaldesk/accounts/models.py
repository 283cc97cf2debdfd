"""Teams, agent profiles with roles, and scoped API tokens (stored hashed)."""

from __future__ import annotations

from django.conf import settings
from django.db import models


class Role(models.TextChoices):
    AGENT = "agent", "Agent"
    LEAD = "lead", "Lead"
    MANAGER = "manager", "Manager"
    ADMIN = "admin", "Admin"
    STAKEHOLDER = "stakeholder", "Stakeholder"


class TeamKind(models.TextChoices):
    SUPPORT = "support", "Support"
    OPERATIONS = "operations", "Operations"
    PRODUCT = "product", "Product"
    SUPPLIER = "supplier", "Supplier"
    ECOMMERCE = "ecommerce", "Ecommerce"
    FINANCE = "finance", "Finance"
    MERCHANDISING = "merchandising", "Merchandising"
    LIFECYCLE = "lifecycle", "Lifecycle"


class Team(models.Model):
    slug = models.SlugField(max_length=60, unique=True)
    name = models.CharField(max_length=120)
    kind = models.CharField(max_length=20, choices=TeamKind.choices, default=TeamKind.SUPPORT)
    external_id = models.CharField(max_length=64, blank=True, db_index=True)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class AgentProfile(models.Model):
    """The helpdesk side of a user: role, team, languages, skills and capacity."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="profile"
    )
    role = models.CharField(max_length=20, choices=Role.choices, default=Role.AGENT)
    team = models.ForeignKey(Team, null=True, blank=True, on_delete=models.SET_NULL)
    languages = models.JSONField(default=list, blank=True)
    skills = models.JSONField(default=list, blank=True)
    max_open_tickets = models.PositiveIntegerField(default=25)
    is_senior = models.BooleanField(default=False)
    external_id = models.CharField(max_length=64, blank=True, db_index=True)

    def __str__(self) -> str:
        return f"{self.user} ({self.role})"


class ApiToken(models.Model):
    """A bearer token. Only its SHA-256 digest is stored; the key is shown once at creation."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="api_tokens"
    )
    name = models.CharField(max_length=100)
    prefix = models.CharField(max_length=12, db_index=True)
    digest = models.CharField(max_length=64, unique=True)
    scopes = models.JSONField(default=list, blank=True)
    created_at = models.DateTimeField()
    last_used_at = models.DateTimeField(null=True, blank=True)
    expires_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"
