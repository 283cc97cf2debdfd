"""Reads for users, roles and tokens."""

from __future__ import annotations

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.db.models import Q
from django.utils import timezone

from signaldesk.accounts.models import AgentProfile, ApiToken
from signaldesk.accounts.services import TOKEN_PREFIX, token_digest


def user_role(user: AbstractBaseUser | AnonymousUser) -> str | None:
    if not user.is_authenticated:
        return None
    profile = AgentProfile.objects.filter(user_id=user.pk).only("role").first()
    if profile is None:
        return "admin" if getattr(user, "is_superuser", False) else None
    return profile.role


def api_token_for_key(key: str) -> ApiToken | None:
    """The live token for a presented key, or None (unknown, revoked or expired)."""
    if not key.startswith(TOKEN_PREFIX):
        return None
    now = timezone.now()
    return (
        ApiToken.objects.select_related("user")
        .filter(digest=token_digest(key), revoked_at__isnull=True, user__is_active=True)
        .filter(Q(expires_at__isnull=True) | Q(expires_at__gt=now))
        .first()
    )
