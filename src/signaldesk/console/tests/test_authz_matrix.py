"""One declared table of who may reach every URL, checked for anonymous callers and each role.

Adding a URL (a console page, an account page, an API operation) without an entry in MATRIX fails
`test_every_url_is_declared`; declare the new route below with the roles that may use it."""

from __future__ import annotations

import inspect
import json
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

import pytest
from django.contrib.auth.models import AbstractUser
from django.core.files.uploadedfile import SimpleUploadedFile
from django.http import HttpResponse
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, resolve

from signaldesk.accounts.models import Role
from signaldesk.console.access import view_access
from signaldesk.tickets.models import Ticket

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

# key: "/<route>" for Django views, "/<route> <METHOD>" for API operations.
MATRIX: dict[str, Access] = {
    # Django admin (the whole site; it checks is_staff itself and sends others to its login).
    "/admin/": Access("/admin/", ADMINS, anonymous="login", denied="login"),
    # API (token or session auth; anonymous gets 401).
    "/api/v1/ GET": Access("/api/v1/", EVERY_ROLE, anonymous="allowed"),
    "/api/v1/docs GET": Access("/api/v1/docs", EVERY_ROLE, anonymous="allowed"),
    "/api/v1/openapi.json GET": Access("/api/v1/openapi.json", EVERY_ROLE, anonymous="allowed"),
    "/api/v1/messages POST": Access(
        "/api/v1/messages", STAFF, anonymous="unauthenticated", method="POST", data=INGEST
    ),
    "/api/v1/messages/<message_id> GET": Access(
        "/api/v1/messages/{message}", STAFF, anonymous="unauthenticated"
    ),
    "/api/v1/imports/<kind> POST": Access(
        "/api/v1/imports/shipments",
        MANAGERS,
        anonymous="unauthenticated",
        method="POST",
        upload=True,
    ),
    # raw MIME from a mail provider: an `intake` token or an HMAC signature, never a session
    "/api/v1/mail/inbound POST": Access(
        "/api/v1/mail/inbound",
        frozenset(),
        anonymous="unauthenticated",
        method="POST",
        denied="unauthenticated",
    ),
    "/api/v1/taxonomy GET": Access("/api/v1/taxonomy", EVERY_ROLE, anonymous="unauthenticated"),
    "/api/v1/taxonomy/audit GET": Access(
        "/api/v1/taxonomy/audit", EVERY_ROLE, anonymous="unauthenticated"
    ),
    "/api/v1/taxonomy/mappings GET": Access(
        "/api/v1/taxonomy/mappings", EVERY_ROLE, anonymous="unauthenticated"
    ),
    "/api/v1/taxonomy/reasons/<reason_id> GET": Access(
        "/api/v1/taxonomy/reasons/lost_parcel", EVERY_ROLE, anonymous="unauthenticated"
    ),
    "/api/v1/taxonomy/versions GET": Access(
        "/api/v1/taxonomy/versions", EVERY_ROLE, anonymous="unauthenticated"
    ),
    "/api/v1/taxonomy/versions/<version_id>/activate POST": Access(
        "/api/v1/taxonomy/versions/999999/activate",
        MANAGERS,
        anonymous="unauthenticated",
        method="POST",
    ),
    "/api/v1/taxonomy/mappings/propose POST": Access(
        "/api/v1/taxonomy/mappings/propose", MANAGERS, anonymous="unauthenticated", method="POST"
    ),
    "/api/v1/taxonomy/mappings/apply POST": Access(
        "/api/v1/taxonomy/mappings/apply", MANAGERS, anonymous="unauthenticated", method="POST"
    ),
    "/api/v1/taxonomy/mappings/<mapping_id>/approve POST": Access(
        "/api/v1/taxonomy/mappings/999999/approve",
        MANAGERS,
        anonymous="unauthenticated",
        method="POST",
        data={"reason_id": "lost_parcel"},
    ),
    "/api/v1/taxonomy/mappings/<mapping_id>/reject POST": Access(
        "/api/v1/taxonomy/mappings/999999/reject",
        MANAGERS,
        anonymous="unauthenticated",
        method="POST",
    ),
    "/api/v1/taxonomy/relabels/<batch_id>/revert POST": Access(
        "/api/v1/taxonomy/relabels/999999/revert",
        MANAGERS,
        anonymous="unauthenticated",
        method="POST",
    ),
    "/api/v1/triage/tickets/<ticket_id>/enrichment GET": Access(
        "/api/v1/triage/tickets/999999/enrichment", STAFF, anonymous="unauthenticated"
    ),
    "/api/v1/triage/tickets/<ticket_id>/run POST": Access(
        "/api/v1/triage/tickets/999999/run", STAFF, anonymous="unauthenticated", method="POST"
    ),
    "/api/v1/workflow/tickets/<ticket_id>/transitions GET": Access(
        "/api/v1/workflow/tickets/{ticket}/transitions", STAFF, anonymous="unauthenticated"
    ),
    "/api/v1/workflow/tickets/<ticket_id>/transition POST": Access(
        "/api/v1/workflow/tickets/999999/transition",
        STAFF,
        anonymous="unauthenticated",
        method="POST",
        data={"to_state": "open", "fields": {}},
    ),
    "/api/v1/workflow/tickets/<ticket_id>/sla GET": Access(
        "/api/v1/workflow/tickets/{ticket}/sla", STAFF, anonymous="unauthenticated"
    ),
    "/api/v1/workflow/rules GET": Access(
        "/api/v1/workflow/rules", STAFF, anonymous="unauthenticated"
    ),
    "/api/v1/workflow/rules/simulate POST": Access(
        "/api/v1/workflow/rules/simulate",
        MANAGERS,
        anonymous="unauthenticated",
        method="POST",
        data={"since_days": 1},
    ),
    # Tickets, customers, orders and search API (tickets/api.py, commerce/api.py, search/api.py).
    "/api/v1/tickets GET": Access("/api/v1/tickets", STAFF, anonymous="unauthenticated"),
    "/api/v1/tickets/<ticket_id> GET": Access(
        "/api/v1/tickets/{ticket}", STAFF, anonymous="unauthenticated"
    ),
    "/api/v1/tickets/<ticket_id> PATCH": Access(
        "/api/v1/tickets/{ticket}",
        STAFF,
        anonymous="unauthenticated",
        method="PATCH",
        data={"priority": "urgent"},
    ),
    "/api/v1/tickets/<ticket_id>/replies POST": Access(
        "/api/v1/tickets/{ticket}/replies",
        STAFF,
        anonymous="unauthenticated",
        method="POST",
        data={"body": "Hello"},
    ),
    "/api/v1/tickets/<ticket_id>/notes POST": Access(
        "/api/v1/tickets/{ticket}/notes",
        STAFF,
        anonymous="unauthenticated",
        method="POST",
        data={"body": "FYI"},
    ),
    "/api/v1/tickets/<ticket_id>/merge POST": Access(
        "/api/v1/tickets/{ticket}/merge",
        STAFF,
        anonymous="unauthenticated",
        method="POST",
        data={"into_ticket_id": 999999},
    ),
    "/api/v1/tickets/<ticket_id>/split POST": Access(
        "/api/v1/tickets/{ticket}/split",
        STAFF,
        anonymous="unauthenticated",
        method="POST",
        data={"message_ids": [999999]},
    ),
    "/api/v1/tickets/bulk POST": Access(
        "/api/v1/tickets/bulk",
        STAFF,
        anonymous="unauthenticated",
        method="POST",
        data={"ids": [999999], "action": "tag", "value": "x"},
    ),
    "/api/v1/customers GET": Access("/api/v1/customers", STAFF, anonymous="unauthenticated"),
    "/api/v1/customers/<customer_id> GET": Access(
        "/api/v1/customers/999999", STAFF, anonymous="unauthenticated"
    ),
    "/api/v1/orders GET": Access("/api/v1/orders", STAFF, anonymous="unauthenticated"),
    "/api/v1/orders/<number> GET": Access(
        "/api/v1/orders/%2310023", STAFF, anonymous="unauthenticated"
    ),
    "/api/v1/search GET": Access("/api/v1/search?q=parcel", STAFF, anonymous="unauthenticated"),
    # Workflow console routes (POST from the ticket page).
    "/workflow/tickets/<int:ticket_id>/transition/": Access(
        "/workflow/tickets/{ticket}/transition/",
        STAFF,
        anonymous="login",
        method="POST",
        data={"to_state": "missing_data", "field_missing_info": "order number"},
    ),
    # Reason classifier (triage/learning): API and console pages.
    "/api/v1/classifier/predict POST": Access(
        "/api/v1/classifier/predict",
        STAFF,
        anonymous="unauthenticated",
        method="POST",
        data={"text": "Where is my parcel?"},
    ),
    "/api/v1/classifier/versions GET": Access(
        "/api/v1/classifier/versions", MANAGERS, anonymous="unauthenticated"
    ),
    "/api/v1/classifier/versions/<version_id>/activate POST": Access(
        "/api/v1/classifier/versions/999999/activate",
        MANAGERS,
        anonymous="unauthenticated",
        method="POST",
    ),
    "/api/v1/classifier/retrain POST": Access(
        "/api/v1/classifier/retrain", MANAGERS, anonymous="unauthenticated", method="POST"
    ),
    "/api/v1/classifier/review-queue GET": Access(
        "/api/v1/classifier/review-queue", STAFF, anonymous="unauthenticated"
    ),
    "/api/v1/classifier/corrections POST": Access(
        "/api/v1/classifier/corrections",
        STAFF,
        anonymous="unauthenticated",
        method="POST",
        data={"ticket_id": 999999, "reason": "lost_parcel"},
    ),
    "/review/": Access("/review/", STAFF, anonymous="login"),
    "/review/<int:prediction_id>/": Access(
        "/review/999999/", STAFF, anonymous="login", method="POST", data={"reason": "lost_parcel"}
    ),
    "/models/": Access("/models/", MANAGERS, anonymous="login"),
    "/models/retrain/": Access("/models/retrain/", MANAGERS, anonymous="login", method="POST"),
    "/models/<int:version_id>/activate/": Access(
        "/models/999999/activate/", MANAGERS, anonymous="login", method="POST"
    ),
    # Taxonomy console pages: everyone reads, managers and admins write.
    "/taxonomy/": Access("/taxonomy/", EVERY_ROLE, anonymous="login"),
    "/taxonomy/audit/": Access("/taxonomy/audit/", EVERY_ROLE, anonymous="login"),
    "/taxonomy/audit/run/": Access(
        "/taxonomy/audit/run/", MANAGERS, anonymous="login", method="POST"
    ),
    "/taxonomy/mappings/<int:mapping_id>/approve/": Access(
        "/taxonomy/mappings/999999/approve/", MANAGERS, anonymous="login", method="POST"
    ),
    "/taxonomy/mappings/<int:mapping_id>/reject/": Access(
        "/taxonomy/mappings/999999/reject/", MANAGERS, anonymous="login", method="POST"
    ),
    "/taxonomy/mappings/apply/": Access(
        "/taxonomy/mappings/apply/", MANAGERS, anonymous="login", method="POST"
    ),
    "/taxonomy/relabels/<int:batch_id>/revert/": Access(
        "/taxonomy/relabels/999999/revert/", MANAGERS, anonymous="login", method="POST"
    ),
    # Replies (grounded drafts and guardrail checks).
    "/api/v1/replies/tickets/<ticket_id>/draft GET": Access(
        "/api/v1/replies/tickets/{ticket}/draft", STAFF, anonymous="unauthenticated"
    ),
    "/api/v1/replies/tickets/<ticket_id>/check POST": Access(
        "/api/v1/replies/tickets/{ticket}/check",
        STAFF,
        anonymous="unauthenticated",
        method="POST",
        data={"text": "Hi there"},
    ),
    # Signals (signals/api.py): alerts and contact rates for everyone, snooze for leads+.
    "/api/v1/signals/alerts GET": Access(
        "/api/v1/signals/alerts", EVERY_ROLE, anonymous="unauthenticated"
    ),
    "/api/v1/signals/alerts/<alert_id>/snooze POST": Access(
        "/api/v1/signals/alerts/999999/snooze",
        frozenset({Role.LEAD, Role.MANAGER, Role.ADMIN}),
        anonymous="unauthenticated",
        method="POST",
        data={"until": "2026-12-01"},
    ),
    "/api/v1/signals/contact-rates GET": Access(
        "/api/v1/signals/contact-rates?dimension=sku", EVERY_ROLE, anonymous="unauthenticated"
    ),
    "/api/v1/signals/alerts/<alert_id>/acknowledge POST": Access(
        "/api/v1/signals/alerts/999999/acknowledge",
        frozenset({Role.LEAD, Role.MANAGER, Role.ADMIN}),
        anonymous="unauthenticated",
        method="POST",
    ),
    "/api/v1/signals/alerts/<alert_id>/resolve POST": Access(
        "/api/v1/signals/alerts/999999/resolve",
        frozenset({Role.LEAD, Role.MANAGER, Role.ADMIN}),
        anonymous="unauthenticated",
        method="POST",
    ),
    "/api/v1/signals/themes GET": Access(
        "/api/v1/signals/themes", EVERY_ROLE, anonymous="unauthenticated"
    ),
    "/api/v1/signals/ranked GET": Access(
        "/api/v1/signals/ranked", EVERY_ROLE, anonymous="unauthenticated"
    ),
    # Signals console (signals/views.py): read for everyone, alert changes for leads+,
    # proposing a taxonomy entry from a theme for managers+ (taxonomy.write).
    "/signals/": Access("/signals/", EVERY_ROLE, anonymous="login"),
    "/signals/alerts/": Access("/signals/alerts/?severity=warning", EVERY_ROLE, anonymous="login"),
    "/signals/alerts/<int:alert_id>/": Access(
        "/signals/alerts/999999/", EVERY_ROLE, anonymous="login"
    ),
    "/signals/alerts/<int:alert_id>/change/": Access(
        "/signals/alerts/999999/change/",
        frozenset({Role.LEAD, Role.MANAGER, Role.ADMIN}),
        anonymous="login",
        method="POST",
        data={"op": "acknowledge"},
    ),
    "/signals/themes/": Access("/signals/themes/", EVERY_ROLE, anonymous="login"),
    "/signals/themes/<int:theme_id>/propose/": Access(
        "/signals/themes/999999/propose/", MANAGERS, anonymous="login", method="POST"
    ),
    # Root-cause actions (actions/): everyone reads (stakeholders their team's), leads+ and
    # stakeholders write (actions.write).
    "/api/v1/actions GET": Access("/api/v1/actions", EVERY_ROLE, anonymous="unauthenticated"),
    "/api/v1/actions POST": Access(
        "/api/v1/actions",
        ACTION_WRITERS,
        anonymous="unauthenticated",
        method="POST",
        data={"title": "Fix", "action_type": "faq", "owner_team": "product"},
    ),
    "/api/v1/actions/from-signal POST": Access(
        "/api/v1/actions/from-signal",
        ACTION_WRITERS,
        anonymous="unauthenticated",
        method="POST",
        data={"signal": "spike:999999"},
    ),
    "/api/v1/actions/<action_id> GET": Access(
        "/api/v1/actions/999999", EVERY_ROLE, anonymous="unauthenticated"
    ),
    "/api/v1/actions/<action_id> PATCH": Access(
        "/api/v1/actions/999999",
        ACTION_WRITERS,
        anonymous="unauthenticated",
        method="PATCH",
        data={"title": "x"},
    ),
    "/api/v1/actions/<action_id>/transition POST": Access(
        "/api/v1/actions/999999/transition",
        ACTION_WRITERS,
        anonymous="unauthenticated",
        method="POST",
        data={"to": "in_progress"},
    ),
    "/api/v1/actions/<action_id>/measure POST": Access(
        "/api/v1/actions/999999/measure", ACTION_WRITERS, anonymous="unauthenticated", method="POST"
    ),
    "/api/v1/actions/<action_id>/notify-customers POST": Access(
        "/api/v1/actions/999999/notify-customers",
        ACTION_WRITERS,
        anonymous="unauthenticated",
        method="POST",
        data={"message": ""},
    ),
    "/actions/": Access("/actions/?team=product", EVERY_ROLE, anonymous="login"),
    "/actions/new/": Access(
        "/actions/new/",
        ACTION_WRITERS,
        anonymous="login",
        method="POST",
        data={"title": "Fix", "action_type": "faq", "owner_team": "product"},
    ),
    "/actions/from-signal/": Access(
        "/actions/from-signal/",
        ACTION_WRITERS,
        anonymous="login",
        method="POST",
        data={"signal": "spike:999999"},
    ),
    "/actions/<int:action_id>/": Access("/actions/999999/", EVERY_ROLE, anonymous="login"),
    "/actions/<int:action_id>/edit/": Access(
        "/actions/999999/edit/",
        ACTION_WRITERS,
        anonymous="login",
        method="POST",
        data={"title": "x"},
    ),
    "/actions/<int:action_id>/status/": Access(
        "/actions/999999/status/",
        ACTION_WRITERS,
        anonymous="login",
        method="POST",
        data={"to": "in_progress"},
    ),
    "/actions/<int:action_id>/notify/": Access(
        "/actions/999999/notify/", ACTION_WRITERS, anonymous="login", method="POST"
    ),
    # Approvals (approvals/): money requests by staff, decisions by leads+ (approvals.decide).
    "/api/v1/approvals POST": Access(
        "/api/v1/approvals",
        STAFF,
        anonymous="unauthenticated",
        method="POST",
        data={"ticket_id": 999999, "kind": "refund", "amount": "10.00", "reason": "x"},
    ),
    "/api/v1/approvals GET": Access(
        "/api/v1/approvals?status=pending", STAFF, anonymous="unauthenticated"
    ),
    "/api/v1/approvals/<request_id>/decide POST": Access(
        "/api/v1/approvals/999999/decide",
        frozenset({Role.LEAD, Role.MANAGER, Role.ADMIN}),
        anonymous="unauthenticated",
        method="POST",
        data={"approve": True, "reason": "x"},
    ),
    "/approvals/": Access(
        "/approvals/", frozenset({Role.LEAD, Role.MANAGER, Role.ADMIN}), anonymous="login"
    ),
    "/approvals/<int:request_id>/decide/": Access(
        "/approvals/999999/decide/",
        frozenset({Role.LEAD, Role.MANAGER, Role.ADMIN}),
        anonymous="login",
        method="POST",
        data={"decision": "approve", "reason": "x"},
    ),
    "/approvals/tickets/<int:ticket_id>/request/": Access(
        "/approvals/tickets/{ticket}/request/",
        STAFF,
        anonymous="login",
        method="POST",
        data={"kind": "refund", "amount": "10.00", "reason": "x"},
    ),
    # Marketing suppression (suppression/): staff read the list and export it.
    "/api/v1/suppressions GET": Access("/api/v1/suppressions", STAFF, anonymous="unauthenticated"),
    # Privacy (privacy/): managers and admins export or erase a customer's data.
    "/api/v1/privacy/customers/<customer_id>/export GET": Access(
        "/api/v1/privacy/customers/999999/export", MANAGERS, anonymous="unauthenticated"
    ),
    "/api/v1/privacy/customers/<customer_id>/erase POST": Access(
        "/api/v1/privacy/customers/999999/erase",
        MANAGERS,
        anonymous="unauthenticated",
        method="POST",
        data={"reason": "matrix"},
    ),
    "/suppressions/": Access("/suppressions/", STAFF, anonymous="login"),
    "/suppressions/export.csv": Access("/suppressions/export.csv", STAFF, anonymous="login"),
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
