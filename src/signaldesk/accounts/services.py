"""Writes for users, teams and API tokens."""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets

from django.contrib.auth import get_user_model
from django.contrib.auth.models import User
from django.db import transaction
from django.utils import timezone

from signaldesk.accounts.models import AgentProfile, ApiToken, Role, Team, TeamKind
from signaldesk.core.audit import Actor, audit_record
from signaldesk.core.errors import ValidationError

TOKEN_PREFIX = "sdk_"


def token_digest(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()


@transaction.atomic
def team_ensure(*, slug: str, name: str, kind: str, actor: Actor) -> Team:
    team, created = Team.objects.get_or_create(slug=slug, defaults={"name": name, "kind": kind})
    if created:
        audit_record(actor=actor, action="team.created", obj=team, after={"slug": slug})
    return team


@transaction.atomic
def user_create(
    *,
    username: str,
    email: str,
    password: str,
    role: str,
    actor: Actor,
    team_slug: str | None = None,
    languages: list[str] | None = None,
    skills: list[str] | None = None,
    is_senior: bool = False,
) -> User:
    if role not in Role.values:
        raise ValidationError(f"Unknown role {role!r}; choose one of {', '.join(Role.values)}.")
    user_model = get_user_model()
    if user_model.objects.filter(username=username).exists():
        raise ValidationError(f"User {username!r} already exists.", code="duplicate")
    team = None
    if team_slug:
        kind = team_slug if team_slug in TeamKind.values else TeamKind.SUPPORT
        team = team_ensure(slug=team_slug, name=team_slug.title(), kind=kind, actor=actor)
    user = user_model.objects.create_user(username=username, email=email, password=password)
    if role == Role.ADMIN:
        user.is_staff = True
        user.is_superuser = True
        user.save(update_fields=["is_staff", "is_superuser"])
    AgentProfile.objects.create(
        user=user,
        role=role,
        team=team,
        languages=languages or ["en"],
        skills=skills or [],
        is_senior=is_senior,
    )
    audit_record(
        actor=actor,
        action="user.created",
        obj=user,
        after={"username": username, "role": role, "team": team_slug},
    )
    return user


@transaction.atomic
def api_token_create(
    *,
    user: User,
    name: str,
    scopes: list[str],
    actor: Actor,
    expires_at: dt.datetime | None = None,
) -> tuple[ApiToken, str]:
    """Create a token and return it with its key. The key is not stored and cannot be shown
    again; only its SHA-256 digest is kept."""
    key = TOKEN_PREFIX + secrets.token_urlsafe(32)
    token = ApiToken.objects.create(
        user=user,
        name=name,
        prefix=key[:12],
        digest=token_digest(key),
        scopes=sorted(set(scopes)),
        created_at=timezone.now(),
        expires_at=expires_at,
    )
    audit_record(
        actor=actor,
        action="api_token.created",
        obj=token,
        after={"name": name, "scopes": token.scopes, "user": user.pk},
    )
    return token, key


@transaction.atomic
def api_token_revoke(*, token: ApiToken, actor: Actor) -> None:
    token.revoked_at = timezone.now()
    token.save(update_fields=["revoked_at"])
    audit_record(actor=actor, action="api_token.revoked", obj=token)
