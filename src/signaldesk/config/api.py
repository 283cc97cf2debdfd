"""The REST API (django-ninja). Each domain package contributes a router from its api.py."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, HttpError
from ninja.errors import ValidationError as NinjaValidationError

from signaldesk.core.errors import SignalDeskError

api = NinjaAPI(
    title="SignalDesk API",
    version="1",
    docs_url="/docs",
    urls_namespace="api",
)


@api.exception_handler(SignalDeskError)
def _domain_error(request: HttpRequest, exc: SignalDeskError) -> HttpResponse:
    return api.create_response(request, {"detail": exc.detail, "code": exc.code}, status=exc.status)


@api.exception_handler(NinjaValidationError)
def _validation_error(request: HttpRequest, exc: NinjaValidationError) -> HttpResponse:
    return api.create_response(
        request, {"detail": exc.errors, "code": "invalid"}, status=422
    )


@api.exception_handler(AuthenticationError)
def _auth_error(request: HttpRequest, exc: AuthenticationError) -> HttpResponse:
    return api.create_response(
        request, {"detail": "Authentication required.", "code": "unauthenticated"}, status=401
    )


@api.exception_handler(HttpError)
def _http_error(request: HttpRequest, exc: HttpError) -> HttpResponse:
    return api.create_response(
        request, {"detail": str(exc), "code": f"http_{exc.status_code}"}, status=exc.status_code
    )
