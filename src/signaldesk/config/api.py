"""The REST API (django-ninja). Each domain package contributes a router from its api.py."""

from __future__ import annotations

from django.db import DataError
from django.http import HttpRequest, HttpResponse
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, HttpError
from ninja.errors import ValidationError as NinjaValidationError

from signaldesk.core.errors import RateLimited, SignalDeskError

api = NinjaAPI(
    title="SignalDesk API",
    version="1",
    docs_url="/docs",
    urls_namespace="api",
)


@api.exception_handler(SignalDeskError)
def _domain_error(request: HttpRequest, exc: SignalDeskError) -> HttpResponse:
    response = api.create_response(
        request, {"detail": exc.detail, "code": exc.code}, status=exc.status
    )
    if isinstance(exc, RateLimited):
        response["Retry-After"] = str(exc.retry_after)
    return response


@api.exception_handler(NinjaValidationError)
def _validation_error(request: HttpRequest, exc: NinjaValidationError) -> HttpResponse:
    return api.create_response(request, {"detail": exc.errors, "code": "invalid"}, status=422)


@api.exception_handler(AuthenticationError)
def _auth_error(request: HttpRequest, exc: AuthenticationError) -> HttpResponse:
    return api.create_response(
        request, {"detail": "Authentication required.", "code": "unauthenticated"}, status=401
    )


@api.exception_handler(OverflowError)
def _number_out_of_range(request: HttpRequest, exc: OverflowError) -> HttpResponse:
    """An id or count beyond the database's 64-bit integers (SQLite raises OverflowError)."""
    return api.create_response(
        request, {"detail": "A number is out of range.", "code": "out_of_range"}, status=422
    )


@api.exception_handler(DataError)
def _data_error(request: HttpRequest, exc: DataError) -> HttpResponse:
    """A value the database refuses (PostgreSQL: integer out of range, NUL in text)."""
    return api.create_response(
        request, {"detail": "A value is out of range or malformed.", "code": "invalid"}, status=422
    )


@api.exception_handler(HttpError)
def _http_error(request: HttpRequest, exc: HttpError) -> HttpResponse:
    return api.create_response(
        request, {"detail": str(exc), "code": f"http_{exc.status_code}"}, status=exc.status_code
    )


# Routers are imported here, after the handlers, so domain packages never import this module.
from signaldesk.intake.api_messages import messages_router  # noqa: E402

api.add_router("/messages", messages_router)

from signaldesk.taxonomy.api import taxonomy_router  # noqa: E402

api.add_router("/taxonomy", taxonomy_router)

from signaldesk.intake.api import imports_router  # noqa: E402

api.add_router("/imports", imports_router)

from signaldesk.triage.api import triage_router  # noqa: E402

api.add_router("/triage", triage_router)

from signaldesk.workflow.api import workflow_router  # noqa: E402

api.add_router("/workflow", workflow_router)

from signaldesk.triage.learning.api import classifier_router  # noqa: E402

api.add_router("/classifier", classifier_router)

from signaldesk.tickets.api import tickets_router  # noqa: E402

api.add_router("/tickets", tickets_router)

from signaldesk.commerce.api import customers_router, orders_router  # noqa: E402

api.add_router("/customers", customers_router)
api.add_router("/orders", orders_router)

from signaldesk.search.api import search_router  # noqa: E402

api.add_router("/search", search_router)

from signaldesk.replies.api import replies_router  # noqa: E402

api.add_router("/replies", replies_router)

from signaldesk.signals.api import signals_router  # noqa: E402

api.add_router("/signals", signals_router)

from signaldesk.actions.api import actions_router  # noqa: E402

api.add_router("/actions", actions_router)

from signaldesk.approvals.api import approvals_router  # noqa: E402

api.add_router("/approvals", approvals_router)

from signaldesk.suppression.api import suppressions_router  # noqa: E402

api.add_router("/suppressions", suppressions_router)

from signaldesk.quality.api import quality_router  # noqa: E402

api.add_router("/quality", quality_router)

from signaldesk.followup.api import followup_router  # noqa: E402

api.add_router("/followup", followup_router)

from signaldesk.insights.api import insights_router  # noqa: E402

api.add_router("/insights", insights_router)

from signaldesk.mail.api import mail_router  # noqa: E402

api.add_router("/mail", mail_router)

from signaldesk.proactive.api import proactive_router  # noqa: E402

api.add_router("/proactive", proactive_router)

from signaldesk.dashboards.api import metrics_router  # noqa: E402

api.add_router("/metrics", metrics_router)

from signaldesk.selfservice.api import selfservice_router  # noqa: E402

api.add_router("/selfservice", selfservice_router)

from signaldesk.knowledge.api import knowledge_router  # noqa: E402

api.add_router("/knowledge", knowledge_router)

from signaldesk.privacy.api import privacy_router  # noqa: E402

api.add_router("/privacy", privacy_router)
