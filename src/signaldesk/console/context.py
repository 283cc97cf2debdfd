"""Template context for the console layout: the caller's role and which nav items to show."""

from __future__ import annotations

from django.http import HttpRequest

from signaldesk.accounts.permissions import role_allows


def console(request: HttpRequest) -> dict[str, object]:
    role = getattr(request, "console_role", None)
    return {
        "console_role": role,
        "nav_queues": role_allows(role, "tickets.read"),
        "nav_dashboards": role_allows(role, "metrics.read"),
        "nav_admin": role_allows(role, "admin.users"),
        "nav_review": role_allows(role, "tickets.review"),
        "nav_models": role_allows(role, "models.manage"),
        "nav_taxonomy": role_allows(role, "taxonomy.read"),
        "nav_approvals": role_allows(role, "approvals.decide"),
        "nav_suppressions": role_allows(role, "customers.read"),
        "nav_signals": role_allows(role, "metrics.read"),
        "nav_actions": role_allows(role, "actions.read"),
        "nav_quality": role_allows(role, "quality.review"),
        "nav_followups": role_allows(role, "followup.manage"),
        "nav_surveys": role_allows(role, "metrics.read"),
        "nav_proactive": role_allows(role, "proactive.manage"),
        "nav_insights": role_allows(role, "insights.read"),
        "nav_selfservice": role_allows(role, "selfservice.report"),
        "nav_knowledge_gaps": role_allows(role, "knowledge.gaps"),
    }
