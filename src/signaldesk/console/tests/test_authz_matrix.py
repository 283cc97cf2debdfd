"""One declared table of who may reach every URL, checked for anonymous callers and each role.

Adding a URL (a console page, an account page, an API operation) without an entry in MATRIX fails
`test_every_url_is_declared`; declare the new route in console/tests/authz/routes_*.py with the
roles that may use it."""

from __future__ import annotations

import inspect
import json
from collections.abc import Iterator
from typing import Any

import pytest
from django.contrib.auth.models import AbstractUser
from django.core.files.uploadedfile import SimpleUploadedFile
from django.http import HttpResponse
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, resolve

from signaldesk.console.access import view_access
from signaldesk.console.tests.authz.access import CALLERS, Access
from signaldesk.console.tests.authz.routes_followup import FOLLOWUP_ROUTES
from signaldesk.console.tests.authz.routes_service import SERVICE_ROUTES
from signaldesk.tickets.models import Ticket

MATRIX: dict[str, Access] = {**SERVICE_ROUTES, **FOLLOWUP_ROUTES}


def _ninja_methods(callback: Any) -> list[str] | None:
    """The HTTP methods of a django-ninja path view, or None for any other view."""
    if not getattr(callback, "__qualname__", "").startswith("PathView."):
        return None
    path_view = inspect.getclosurevars(callback).nonlocals["self"]
    return sorted({m for op in path_view.operations for m in op.methods})


def _is_api(resolver: URLResolver) -> bool:
    return resolver.namespace == "api"


def url_keys(
    patterns: list[Any] | None = None, prefix: str = "/", api: bool = False
) -> Iterator[str]:
    for entry in get_resolver().url_patterns if patterns is None else patterns:
        route = prefix + str(entry.pattern)
        if isinstance(entry, URLResolver):
            if entry.namespace == "admin":
                yield route
                continue
            yield from url_keys(entry.url_patterns, route, api or _is_api(entry))
        elif isinstance(entry, URLPattern):
            methods = _ninja_methods(entry.callback)
            if api:
                for method in methods or ["GET"]:
                    yield f"{route} {method}"
            else:
                yield route


def declared_route(key: str) -> str:
    return key.rsplit(" ", 1)[0].lstrip("/")


def test_no_route_is_declared_twice() -> None:
    assert sorted(SERVICE_ROUTES.keys() & FOLLOWUP_ROUTES.keys()) == []


def test_every_url_is_declared() -> None:
    assert sorted(set(url_keys())) == sorted(MATRIX)


def test_every_console_and_account_view_declares_its_access() -> None:
    undeclared = [
        key
        for key in url_keys()
        if not key.startswith(("/admin/", "/api/"))
        and view_access(resolve(MATRIX[key].url.split("?")[0].format(ticket=1, message=1)).func)
        is None
    ]
    assert undeclared == []


def outcome(response: HttpResponse) -> str:
    location = response.get("Location", "")
    if response.status_code == 401:
        return "unauthenticated"
    if response.status_code == 403:
        return "denied"
    if response.status_code == 302 and "login/?next=" in location:
        return "login"
    return "allowed"


def expected(access: Access, caller: str) -> str:
    if caller == "anonymous":
        return access.anonymous
    return "allowed" if caller in access.allowed else access.denied


@pytest.mark.django_db
@pytest.mark.parametrize("caller", CALLERS)
@pytest.mark.parametrize("key", sorted(MATRIX))
def test_access_matrix(
    key: str, caller: str, users: dict[str, AbstractUser], ticket: Ticket
) -> None:
    access = MATRIX[key]
    url = access.url.format(ticket=ticket.pk, message=ticket.messages.first().pk)
    client = Client()
    if caller != "anonymous":
        client.force_login(users[caller])
    if access.upload:
        upload = SimpleUploadedFile("s.csv", b"tracking_number,carrier\n", "text/csv")
        response = client.post(url, {"file": upload})
    elif key.startswith("/api/") and access.method == "PATCH":
        response = client.patch(url, json.dumps(access.data), content_type="application/json")
    elif key.startswith("/api/") and access.method == "POST" and access.data:
        response = client.post(url, json.dumps(access.data), content_type="application/json")
    elif access.method == "POST":
        response = client.post(url, access.data)
    else:
        response = client.get(url)

    assert resolve(url.split("?")[0]).route == declared_route(key)
    assert outcome(response) == expected(access, caller)
