"""Who the matrix calls with, and what one entry says about a route."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from signaldesk.accounts.models import Role

STAFF = frozenset({Role.AGENT, Role.LEAD, Role.MANAGER, Role.ADMIN})
EVERY_ROLE = frozenset({*STAFF, Role.STAKEHOLDER})
LEADS = frozenset({Role.LEAD, Role.MANAGER, Role.ADMIN})
MANAGERS = frozenset({Role.MANAGER, Role.ADMIN})
ADMINS = frozenset({Role.ADMIN})
ACTION_WRITERS = frozenset({Role.LEAD, Role.MANAGER, Role.ADMIN, Role.STAKEHOLDER})
CALLERS = ["anonymous", *sorted(EVERY_ROLE)]


@dataclass(frozen=True)
class Access:
    url: str  # with {ticket} / {message} placeholders
    allowed: frozenset[str]  # signed-in roles that get through
    anonymous: str  # outcome for a caller who is not signed in
    method: str = "GET"
    denied: str = "denied"  # outcome for a signed-in role that is not allowed
    data: dict[str, Any] = field(default_factory=dict)  # form fields or JSON body
    upload: bool = False  # send a small CSV as the multipart field "file"


INGEST = {"channel": "email", "customer": {"email": "matrix@example.com"}, "text": "Hello"}
