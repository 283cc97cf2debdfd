"""Routes of follow-up and reporting: quality, surveys, proactive campaigns, insights,
self-service, dashboards and the console pages.

key: "/<route>" for Django views, "/<route> <METHOD>" for API operations."""

from __future__ import annotations

from signaldesk.accounts.models import Role
from signaldesk.console.tests.authz.access import (
    EVERY_ROLE,
    LEADS,
    MANAGERS,
    STAFF,
    Access,
)

FOLLOWUP_ROUTES: dict[str, Access] = {
    # Response quality (quality/): QA queue, rubric and results for leads+; scorecards for staff.
    "/api/v1/quality/reviews GET": Access(
        "/api/v1/quality/reviews", LEADS, anonymous="unauthenticated"
    ),
    "/api/v1/quality/reviews/<review_id>/score POST": Access(
        "/api/v1/quality/reviews/999999/score",
        LEADS,
        anonymous="unauthenticated",
        method="POST",
        data={"scores": {"accuracy": 3}, "comment": ""},
    ),
    "/api/v1/quality/results GET": Access(
        "/api/v1/quality/results?by=agent", LEADS, anonymous="unauthenticated"
    ),
    "/api/v1/quality/tickets/<ticket_id>/scorecards GET": Access(
        "/api/v1/quality/tickets/{ticket}/scorecards", STAFF, anonymous="unauthenticated"
    ),
    "/quality/": Access("/quality/", LEADS, anonymous="login"),
    "/quality/reviews/<int:review_id>/": Access(
        "/quality/reviews/999999/", LEADS, anonymous="login"
    ),
    "/quality/results/": Access("/quality/results/?by=macro", LEADS, anonymous="login"),
    "/quality/results.csv": Access("/quality/results.csv?by=reason", LEADS, anonymous="login"),
    # Follow-up (followup/): CSAT/NPS and macro reports for everyone, follow-ups for leads+,
    # the survey page for anyone holding a signed link.
    "/api/v1/followup/results GET": Access(
        "/api/v1/followup/results?by=channel", EVERY_ROLE, anonymous="unauthenticated"
    ),
    "/api/v1/followup/macros GET": Access(
        "/api/v1/followup/macros", EVERY_ROLE, anonymous="unauthenticated"
    ),
    "/api/v1/followup/followups GET": Access(
        "/api/v1/followup/followups", LEADS, anonymous="unauthenticated"
    ),
    "/api/v1/followup/followups/<followup_id>/close POST": Access(
        "/api/v1/followup/followups/999999/close",
        LEADS,
        anonymous="unauthenticated",
        method="POST",
        data={"note": "Called the customer"},
    ),
    "/followup/": Access("/followup/", LEADS, anonymous="login"),
    "/followup/<int:followup_id>/close/": Access(
        "/followup/999999/close/", LEADS, anonymous="login", method="POST", data={"note": "x"}
    ),
    "/followup/results/": Access("/followup/results/?by=agent", EVERY_ROLE, anonymous="login"),
    "/followup/macros/": Access("/followup/macros/", EVERY_ROLE, anonymous="login"),
    "/survey/<str:token>/": Access("/survey/not-a-signed-token/", EVERY_ROLE, anonymous="allowed"),
    # Proactive campaigns (proactive/): leads, managers and admins (proactive.manage).
    "/api/v1/proactive/campaigns GET": Access(
        "/api/v1/proactive/campaigns", LEADS, anonymous="unauthenticated"
    ),
    "/api/v1/proactive/campaigns POST": Access(
        "/api/v1/proactive/campaigns",
        LEADS,
        anonymous="unauthenticated",
        method="POST",
        data={
            "name": "Matrix recall",
            "kind": "recall",
            "subject": "Recall",
            "body": "Hello {name}",
            "skus": ["SKU-MATRIX"],
        },
    ),
    "/api/v1/proactive/campaigns/<campaign_id> GET": Access(
        "/api/v1/proactive/campaigns/999999", LEADS, anonymous="unauthenticated"
    ),
    "/api/v1/proactive/campaigns/<campaign_id>/audience GET": Access(
        "/api/v1/proactive/campaigns/999999/audience", LEADS, anonymous="unauthenticated"
    ),
    "/api/v1/proactive/campaigns/<campaign_id>/send POST": Access(
        "/api/v1/proactive/campaigns/999999/send",
        LEADS,
        anonymous="unauthenticated",
        method="POST",
    ),
    "/api/v1/proactive/campaigns/<campaign_id>/recipients GET": Access(
        "/api/v1/proactive/campaigns/999999/recipients", LEADS, anonymous="unauthenticated"
    ),
    "/proactive/": Access("/proactive/", LEADS, anonymous="login"),
    "/proactive/new/": Access("/proactive/new/?kind=recall&skus=SKU-1", LEADS, anonymous="login"),
    "/proactive/<int:campaign_id>/": Access("/proactive/999999/", LEADS, anonymous="login"),
    "/proactive/<int:campaign_id>/send/": Access(
        "/proactive/999999/send/", LEADS, anonymous="login", method="POST"
    ),
    "/proactive/<int:campaign_id>/report.csv": Access(
        "/proactive/999999/report.csv", LEADS, anonymous="login"
    ),
    # Weekly insight notes (insights/): everyone reads published notes; leads+ edit and publish.
    "/api/v1/insights/notes GET": Access(
        "/api/v1/insights/notes", EVERY_ROLE, anonymous="unauthenticated"
    ),
    "/api/v1/insights/notes/<note_id> GET": Access(
        "/api/v1/insights/notes/999999", EVERY_ROLE, anonymous="unauthenticated"
    ),
    "/api/v1/insights/notes/<note_id>/publish POST": Access(
        "/api/v1/insights/notes/999999/publish",
        frozenset({Role.LEAD, Role.MANAGER, Role.ADMIN}),
        anonymous="unauthenticated",
        method="POST",
    ),
    "/insights/": Access("/insights/", EVERY_ROLE, anonymous="login"),
    "/insights/draft/": Access(
        "/insights/draft/",
        frozenset({Role.LEAD, Role.MANAGER, Role.ADMIN}),
        anonymous="login",
        method="POST",
    ),
    "/insights/<int:note_id>/": Access("/insights/999999/", EVERY_ROLE, anonymous="login"),
    "/insights/<int:note_id>/edit/": Access(
        "/insights/999999/edit/",
        frozenset({Role.LEAD, Role.MANAGER, Role.ADMIN}),
        anonymous="login",
    ),
    "/insights/<int:note_id>/publish/": Access(
        "/insights/999999/publish/",
        frozenset({Role.LEAD, Role.MANAGER, Role.ADMIN}),
        anonymous="login",
        method="POST",
    ),
    # Self-service (selfservice/): public help pages and API (rate limited, no sign-in);
    # the deflection report for leads+, the knowledge gap report for managers.
    "/help/": Access("/help/", EVERY_ROLE, anonymous="allowed"),
    "/help/articles/<slug:slug>/": Access(
        "/help/articles/returns-policy/", EVERY_ROLE, anonymous="allowed"
    ),
    "/help/order-status/": Access("/help/order-status/", EVERY_ROLE, anonymous="allowed"),
    "/help/returns/": Access("/help/returns/", EVERY_ROLE, anonymous="allowed"),
    "/help/returns/<str:token>/": Access(
        "/help/returns/not-a-token/", EVERY_ROLE, anonymous="allowed"
    ),
    "/help/returns/<str:token>/document/": Access(
        "/help/returns/not-a-token/document/", EVERY_ROLE, anonymous="allowed"
    ),
    "/help/resolve/": Access(
        "/help/resolve/", EVERY_ROLE, anonymous="allowed", method="POST", data={"flow": "question"}
    ),
    "/help/still-need-help/": Access(
        "/help/still-need-help/", EVERY_ROLE, anonymous="allowed", method="POST"
    ),
    "/help/still-need-help/sent/": Access(
        "/help/still-need-help/sent/", EVERY_ROLE, anonymous="allowed"
    ),
    "/api/v1/selfservice/sessions POST": Access(
        "/api/v1/selfservice/sessions",
        EVERY_ROLE,
        anonymous="allowed",
        method="POST",
        data={"flow": "question"},
    ),
    "/api/v1/selfservice/order-status POST": Access(
        "/api/v1/selfservice/order-status",
        EVERY_ROLE,
        anonymous="allowed",
        method="POST",
        data={"order_number": "#10023", "email": "nobody@example.com"},
    ),
    "/api/v1/selfservice/returns/options POST": Access(
        "/api/v1/selfservice/returns/options",
        EVERY_ROLE,
        anonymous="allowed",
        method="POST",
        data={"order_number": "#10023", "email": "nobody@example.com"},
    ),
    "/api/v1/selfservice/returns POST": Access(
        "/api/v1/selfservice/returns",
        EVERY_ROLE,
        anonymous="allowed",
        method="POST",
        data={
            "order_number": "#10023",
            "email": "nobody@example.com",
            "line_no": 1,
            "reason": "too_small",
            "condition": "unused",
        },
    ),
    "/api/v1/selfservice/answers POST": Access(
        "/api/v1/selfservice/answers",
        EVERY_ROLE,
        anonymous="allowed",
        method="POST",
        data={"question": "How long do refunds take?"},
    ),
    "/api/v1/selfservice/sessions/<token>/resolve POST": Access(
        "/api/v1/selfservice/sessions/no-such-token/resolve",
        EVERY_ROLE,
        anonymous="allowed",
        method="POST",
    ),
    "/api/v1/selfservice/sessions/<token>/handover POST": Access(
        "/api/v1/selfservice/sessions/no-such-token/handover",
        EVERY_ROLE,
        anonymous="allowed",
        method="POST",
        data={"email": "matrix@example.com", "message": "Help"},
    ),
    "/api/v1/selfservice/deflection GET": Access(
        "/api/v1/selfservice/deflection", LEADS, anonymous="unauthenticated"
    ),
    "/api/v1/knowledge/gaps GET": Access(
        "/api/v1/knowledge/gaps", MANAGERS, anonymous="unauthenticated"
    ),
    "/selfservice/deflection/": Access("/selfservice/deflection/", LEADS, anonymous="login"),
    "/selfservice/deflection.csv": Access("/selfservice/deflection.csv", LEADS, anonymous="login"),
    "/knowledge/gaps/": Access("/knowledge/gaps/", MANAGERS, anonymous="login"),
    # Account pages: public.
    "/accounts/login/": Access("/accounts/login/", EVERY_ROLE, anonymous="allowed"),
    "/accounts/logout/": Access(
        "/accounts/logout/", EVERY_ROLE, anonymous="allowed", method="POST"
    ),
    "/accounts/password_reset/": Access(
        "/accounts/password_reset/", EVERY_ROLE, anonymous="allowed"
    ),
    "/accounts/password_reset/done/": Access(
        "/accounts/password_reset/done/", EVERY_ROLE, anonymous="allowed"
    ),
    "/accounts/reset/<uidb64>/<token>/": Access(
        "/accounts/reset/MQ/bad-token/", EVERY_ROLE, anonymous="allowed"
    ),
    "/accounts/reset/done/": Access("/accounts/reset/done/", EVERY_ROLE, anonymous="allowed"),
    # Console: read-only pages for everyone, agent pages for staff only.
    "/": Access("/", EVERY_ROLE, anonymous="login"),
    "/dashboards/": Access("/dashboards/", EVERY_ROLE, anonymous="login"),
    "/dashboards/<slug:audience>/": Access(
        "/dashboards/leadership/?period=7d", EVERY_ROLE, anonymous="login"
    ),
    "/dashboards/tickets/": Access(
        "/dashboards/tickets/?metric=created&since=2026-10-01&until=2026-10-07",
        STAFF,
        anonymous="login",
    ),
    "/api/v1/metrics/dashboards GET": Access(
        "/api/v1/metrics/dashboards", EVERY_ROLE, anonymous="unauthenticated"
    ),
    "/api/v1/metrics/dashboards/<audience> GET": Access(
        "/api/v1/metrics/dashboards/support?period=7d", EVERY_ROLE, anonymous="unauthenticated"
    ),
    "/queues/": Access("/queues/", STAFF, anonymous="login"),
    "/queues/counts/": Access("/queues/counts/", STAFF, anonymous="login"),
    "/queues/<slug:key>/": Access("/queues/mine/", STAFF, anonymous="login"),
    "/search/": Access("/search/?q=%23{ticket}", STAFF, anonymous="login"),
    "/search/live/": Access("/search/live/?q=parcel", STAFF, anonymous="login"),
    "/tickets/bulk/": Access(
        "/tickets/bulk/",
        STAFF,
        anonymous="login",
        method="POST",
        data={"ids": ["999999"], "action": "set_priority", "priority": "high"},
    ),
    "/tickets/<int:ticket_id>/merge/": Access(
        "/tickets/{ticket}/merge/",
        STAFF,
        anonymous="login",
        method="POST",
        data={"into_ticket_id": "999999"},
    ),
    "/tickets/<int:ticket_id>/split/": Access(
        "/tickets/{ticket}/split/",
        STAFF,
        anonymous="login",
        method="POST",
        data={"message_ids": ["999999"]},
    ),
    "/tickets/<int:ticket_id>/": Access("/tickets/{ticket}/", STAFF, anonymous="login"),
    "/tickets/<int:ticket_id>/reply/": Access(
        "/tickets/{ticket}/reply/", STAFF, anonymous="login", method="POST", data={"body": "Hi"}
    ),
    "/tickets/<int:ticket_id>/note/": Access(
        "/tickets/{ticket}/note/", STAFF, anonymous="login", method="POST", data={"body": "FYI"}
    ),
    "/tickets/<int:ticket_id>/status/": Access(
        "/tickets/{ticket}/status/",
        STAFF,
        anonymous="login",
        method="POST",
        data={"status": "solved"},
    ),
    "/tickets/<int:ticket_id>/assign-me/": Access(
        "/tickets/{ticket}/assign-me/", STAFF, anonymous="login", method="POST"
    ),
    "/tickets/<int:ticket_id>/reason/": Access(
        "/tickets/{ticket}/reason/",
        STAFF,
        anonymous="login",
        method="POST",
        data={"reason": "lost_parcel"},
    ),
}
