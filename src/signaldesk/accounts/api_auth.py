"""API authentication: bearer tokens (hashed, scoped) or the console's session (with CSRF)."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.utils import timezone
from ninja.security import HttpBearer, SessionAuth

from signaldesk.accounts.permissions import role_allows, scopes_allow
from signaldesk.accounts.selectors import api_token_for_key, user_role
from signaldesk.core.errors import PermissionDenied


class TokenAuth(HttpBearer):
    def authenticate(self, request: HttpRequest, token: str) -> Any:
        api_token = api_token_for_key(token)
        if api_token is None:
            return None
        if (
            api_token.last_used_at is None
            or (timezone.now() - api_token.last_used_at).total_seconds() > 60
        ):
            type(api_token).objects.filter(pk=api_token.pk).update(last_used_at=timezone.now())
        request.user = api_token.user
        request.api_token = api_token  # type: ignore[attr-defined]
        return api_token.user


class ConsoleSessionAuth(SessionAuth):
    """The console's session. CSRF is checked only for a signed-in session, so a caller with no
    credentials (or a wrong token) gets 401 rather than a misleading CSRF 403."""

    def _get_key(self, request: HttpRequest) -> str | None:
        if not request.user.is_authenticated:
            return None
        return super()._get_key(request)


api_auth = [TokenAuth(), ConsoleSessionAuth()]


def authorize(request: HttpRequest, capability: str) -> None:
    """Raise PermissionDenied unless the caller's role (and token scopes) allow the capability."""
    role = user_role(request.user)
    token = getattr(request, "api_token", None)
    if not role_allows(role, capability):
        raise PermissionDenied(f"Your role may not use {capability}.")
    if token is not None and not scopes_allow(token.scopes, capability):
        raise PermissionDenied(f"This API token lacks a scope for {capability}.")
