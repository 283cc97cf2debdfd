"""Routes of the service core: admin, intake, tickets, workflow, signals, actions, approvals,
suppressions and privacy.

key: "/<route>" for Django views, "/<route> <METHOD>" for API operations."""

from __future__ import annotations

from signaldesk.accounts.models import Role
from signaldesk.console.tests.authz.access import (
    ACTION_WRITERS,
    ADMINS,
    EVERY_ROLE,
    INGEST,
    MANAGERS,
    STAFF,
    Access,
)

SERVICE_ROUTES: dict[str, Access] = {
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
}
