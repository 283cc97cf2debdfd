"""Who may do what. Deny by default: a capability not listed here is allowed to nobody.

Sessions are checked by role; API tokens by scope *and* by their user's role."""

from __future__ import annotations

from signaldesk.accounts.models import Role

STAFF = frozenset({Role.AGENT, Role.LEAD, Role.MANAGER, Role.ADMIN})
LEADS = frozenset({Role.LEAD, Role.MANAGER, Role.ADMIN})
MANAGERS = frozenset({Role.MANAGER, Role.ADMIN})
ADMINS = frozenset({Role.ADMIN})
EVERYONE = frozenset({*STAFF, Role.STAKEHOLDER})

CAPABILITIES: dict[str, frozenset[str]] = {
    "tickets.read": STAFF,
    "tickets.write": STAFF,
    "tickets.review": STAFF,
    "messages.ingest": STAFF,
    "customers.read": STAFF,
    "orders.read": STAFF,
    "imports.run": MANAGERS,
    "taxonomy.read": EVERYONE,
    "taxonomy.write": MANAGERS,
    "rules.write": MANAGERS,
    "approvals.decide": LEADS,
    "metrics.read": EVERYONE,
    "actions.read": EVERYONE,
    "actions.write": frozenset({*LEADS, Role.STAKEHOLDER}),
    "admin.users": ADMINS,
    "models.manage": MANAGERS,
    "signals.manage": LEADS,
    "quality.review": LEADS,
    "followup.manage": LEADS,
    "proactive.manage": LEADS,
    "insights.read": EVERYONE,
    "insights.write": LEADS,
    "selfservice.report": LEADS,
    "knowledge.gaps": MANAGERS,
    "privacy.manage": MANAGERS,
}

# Token scopes and the capabilities they unlock.
SCOPES: dict[str, frozenset[str]] = {
    "intake": frozenset({"messages.ingest"}),
    "read": frozenset(
        {
            "tickets.read",
            "customers.read",
            "orders.read",
            "taxonomy.read",
            "metrics.read",
            "actions.read",
            "insights.read",
        }
    ),
    "write": frozenset(
        {"tickets.write", "tickets.review", "actions.write", "signals.manage", "insights.write"}
    ),
    "import": frozenset({"imports.run"}),
    "admin": frozenset(CAPABILITIES),
}


def role_allows(role: str | None, capability: str) -> bool:
    return role is not None and role in CAPABILITIES.get(capability, frozenset())


def scopes_allow(scopes: list[str], capability: str) -> bool:
    return any(capability in SCOPES.get(scope, frozenset()) for scope in scopes)
