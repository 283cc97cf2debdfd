"""Platform middleware: health endpoints and graceful degradation when the database is down.

HealthCheckMiddleware (first in MIDDLEWARE) answers two unauthenticated probes before anything
else runs (no session, no host check, no database for /healthz):
- GET /healthz: the process is alive and serving requests. Always 200.
- GET /readyz: the process can do useful work: the database answers `SELECT 1`, and Redis answers
  PING when SIGNALDESK_REDIS_URL is set. 200 when ready, 503 otherwise. The body names each
  check as "ok"/"unavailable" and the scheduler heartbeat's age; never hosts, errors or versions.

DatabaseUnavailableMiddleware turns "the database cannot be reached" (OperationalError or
InterfaceError, on connect or mid-request, wherever raised) into a retryable 503 with
`Retry-After: 5`: JSON under /api/, a small HTML page elsewhere. Nothing needs restarting
afterwards: Django drops the broken connection at the end of the request and reconnects
(CONN_HEALTH_CHECKS is on for PostgreSQL) on the next one.
"""

from __future__ import annotations

import logging
import sys
from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.core.signals import got_request_exception
from django.db import DatabaseError, InterfaceError, OperationalError, connection
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.utils import timezone

logger = logging.getLogger(__name__)

RETRY_AFTER_SECONDS = 5
UNAVAILABLE_DETAIL = "Service temporarily unavailable, retry shortly."
_MARK = "_signaldesk_database_unavailable"

_UNAVAILABLE_HTML = """<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Temporarily unavailable</title></head>
<body><h1>SignalDesk is temporarily unavailable</h1>
<p>We cannot reach the database right now. Nothing you sent was lost; please retry in a few
seconds.</p></body></html>
"""


def is_database_unavailable(exc: BaseException | None) -> bool:
    return isinstance(exc, OperationalError | InterfaceError)


def unavailable_response(request: HttpRequest) -> HttpResponse:
    response: HttpResponse
    if request.path.startswith("/api/"):
        response = JsonResponse({"detail": UNAVAILABLE_DETAIL, "code": "unavailable"}, status=503)
    else:
        response = HttpResponse(_UNAVAILABLE_HTML, status=503, content_type="text/html")
    response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    response["Cache-Control"] = "no-store"
    return response


def _mark_database_unavailable(
    sender: object, request: HttpRequest | None = None, **_: Any
) -> None:
    """Called by Django for an exception it is about to turn into a 500 (also from middleware,
    where process_exception does not reach)."""
    if request is not None and is_database_unavailable(sys.exc_info()[1]):
        setattr(request, _MARK, True)


got_request_exception.connect(
    _mark_database_unavailable, dispatch_uid="signaldesk.core.middleware.db_unavailable"
)


class DatabaseUnavailableMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if response.status_code == 500 and getattr(request, _MARK, False):
            logger.warning("db.unavailable", extra={"path": request.path, "where": "middleware"})
            return unavailable_response(request)
        return response

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        if not is_database_unavailable(exception):
            return None
        logger.warning("db.unavailable", extra={"path": request.path, "where": "view"})
        return unavailable_response(request)


class HealthCheckMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.path == "/healthz":
            return _no_store(JsonResponse({"status": "ok"}))
        if request.path == "/readyz":
            return _no_store(readiness())
        return self.get_response(request)


def _no_store(response: HttpResponse) -> HttpResponse:
    response["Cache-Control"] = "no-store"
    return response


def readiness() -> JsonResponse:
    checks = {"database": _check_database(), "redis": _check_redis()}
    ready = all(value in {"ok", "not_configured"} for value in checks.values())
    body: dict[str, Any] = {
        "status": "ready" if ready else "unavailable",
        "checks": checks,
        "scheduler_heartbeat_age_seconds": _heartbeat_age() if checks["database"] == "ok" else None,
    }
    response = JsonResponse(body, status=200 if ready else 503)
    if not ready:
        response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    return response


def _check_database() -> str:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except DatabaseError:
        connection.close_if_unusable_or_obsolete()
        return "unavailable"
    return "ok"


_redis_client: Any = None


def _check_redis() -> str:
    global _redis_client
    url = getattr(settings, "REDIS_URL", "")
    if not url:
        return "not_configured"
    import redis

    try:
        if _redis_client is None:
            _redis_client = redis.Redis.from_url(url, socket_timeout=2, socket_connect_timeout=2)
        _redis_client.ping()
    except (redis.RedisError, OSError):
        return "unavailable"
    return "ok"


def _heartbeat_age() -> int | None:
    from signaldesk.core.models import Heartbeat

    try:
        beat = Heartbeat.objects.filter(name="scheduler").values_list("beat_at", flat=True).first()
    except DatabaseError:
        return None
    if beat is None:
        return None
    return max(0, int((timezone.now() - beat).total_seconds()))
