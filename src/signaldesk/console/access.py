"""Who may open which page. Deny by default: every console and account view is wrapped in
`role_required(capability)` or explicitly marked `public_view`; the authorisation tests walk the
URL resolver and fail on any view that is neither."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest
from django.http.response import HttpResponseBase

from signaldesk.accounts.permissions import CAPABILITIES, role_allows
from signaldesk.accounts.selectors import user_role

View = Callable[..., HttpResponseBase]

CAPABILITY_ATTR = "signaldesk_capability"
PUBLIC_ATTR = "signaldesk_public"


def role_required(capability: str) -> Callable[[View], View]:
    """Anonymous callers go to the login page; signed-in callers whose role lacks the
    capability get the 403 page. The caller's role is kept on `request.console_role`."""
    if capability not in CAPABILITIES:
        raise ValueError(f"Unknown capability {capability!r}")

    def decorator(view: View) -> View:
        @wraps(view)
        def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
            if not request.user.is_authenticated:
                return redirect_to_login(request.get_full_path())
            role = user_role(request.user)
            request.console_role = role  # type: ignore[attr-defined]
            if not role_allows(role, capability):
                raise PermissionDenied(f"Your role may not use {capability}.")
            return view(request, *args, **kwargs)

        setattr(wrapper, CAPABILITY_ATTR, capability)
        return wrapper

    return decorator


def public_view(view: View) -> View:
    """Mark a view as reachable without signing in (login, password reset)."""
    setattr(view, PUBLIC_ATTR, True)
    return view


def view_access(view: Callable[..., Any]) -> str | None:
    """'public', the capability a view requires, or None when it declares neither."""
    if getattr(view, PUBLIC_ATTR, False):
        return "public"
    capability = getattr(view, CAPABILITY_ATTR, None)
    return capability if isinstance(capability, str) else None
