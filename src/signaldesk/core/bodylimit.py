"""Request body limits: an oversized body is a clear 413, never a 400 HTML page or a 500.

RequestBodyLimitMiddleware (early in MIDDLEWARE) refuses a request whose declared Content-Length
is over the limit for its path before anything reads it, and turns Django's RequestDataTooBig
(a body without Content-Length that grows past DATA_UPLOAD_MAX_MEMORY_SIZE while read) into the
same 413. Under /api/ the body is `{"detail": ..., "code": "too_large"}`; elsewhere a short page.

Limits (docs/security.md, "Bad input"):
- POST /api/v1/imports/<kind>: SIGNALDESK_IMPORT_MAX_UPLOAD_BYTES (the upload is streamed to disk);
- POST /api/v1/mail/inbound: SIGNALDESK_MAIL_MAX_MESSAGE_BYTES (raw RFC 5322 message);
- any other multipart/form-data body: SIGNALDESK_MAX_UPLOAD_BYTES (file parts go to disk);
- every other body (JSON, url-encoded forms): DATA_UPLOAD_MAX_MEMORY_SIZE."""

from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.core.exceptions import RequestDataTooBig
from django.http import HttpRequest, HttpResponse, JsonResponse

DEFAULT_IMPORT_MAX_UPLOAD = 2 * 1024**3

_TOO_LARGE_HTML = """<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Request too large</title></head>
<body><h1>Request too large</h1><p>{detail}</p></body></html>
"""


def body_limit(request: HttpRequest) -> int:
    """The largest body, in bytes, this request may carry."""
    path = request.path
    if path.startswith("/api/v1/imports/"):
        return int(
            getattr(settings, "SIGNALDESK_IMPORT_MAX_UPLOAD_BYTES", DEFAULT_IMPORT_MAX_UPLOAD)
        )
    if path == "/api/v1/mail/inbound":
        return int(settings.SIGNALDESK_MAIL_MAX_MESSAGE_BYTES)
    if request.META.get("CONTENT_TYPE", "").startswith("multipart/form-data"):
        return int(settings.SIGNALDESK_MAX_UPLOAD_BYTES)
    return int(settings.DATA_UPLOAD_MAX_MEMORY_SIZE)


def too_large_response(request: HttpRequest, detail: str) -> HttpResponse:
    if request.path.startswith("/api/"):
        return JsonResponse({"detail": detail, "code": "too_large"}, status=413)
    return HttpResponse(_TOO_LARGE_HTML.format(detail=detail), status=413)


class RequestBodyLimitMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        try:
            declared = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            declared = 0
        limit = body_limit(request)
        if declared > limit:
            return too_large_response(
                request, f"The request body is {declared} bytes; the limit is {limit}."
            )
        return self.get_response(request)

    def process_exception(self, request: HttpRequest, exc: Exception) -> HttpResponse | None:
        if isinstance(exc, RequestDataTooBig):
            limit = body_limit(request)
            return too_large_response(request, f"The request body is over the limit of {limit}.")
        return None
