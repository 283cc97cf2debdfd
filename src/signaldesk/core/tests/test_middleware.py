import datetime as dt
import json

import pytest
from django.core.handlers.exception import convert_exception_to_response
from django.db import OperationalError, connection
from django.http import HttpRequest, HttpResponse
from django.test import Client, RequestFactory
from django.utils import timezone

from signaldesk.core.middleware import DatabaseUnavailableMiddleware
from signaldesk.core.models import Heartbeat

UNAVAILABLE = {"detail": "Service temporarily unavailable, retry shortly.", "code": "unavailable"}
PAYLOAD = {
    "channel": "email",
    "customer": {"email": "ana@example.com"},
    "text": "Where is my parcel?",
    "idempotency_key": "mw-1",
}


def refuse_queries(execute, sql, params, many, context):  # type: ignore[no-untyped-def]
    raise OperationalError("connection to server at 127.0.0.1 failed: Connection refused")


def test_healthz_answers_without_the_database(client: Client) -> None:
    response = client.get("/healthz")

    assert (response.status_code, response.json(), response["Cache-Control"]) == (
        200,
        {"status": "ok"},
        "no-store",
    )


@pytest.mark.django_db
def test_readyz_checks_the_database_and_reports_the_heartbeat_age(client: Client) -> None:
    Heartbeat.objects.create(
        name="scheduler", beat_at=timezone.now() - dt.timedelta(seconds=30), beats=3
    )

    body = client.get("/readyz").json()

    age = body.pop("scheduler_heartbeat_age_seconds")
    assert 30 <= age <= 31
    assert body == {"status": "ready", "checks": {"database": "ok", "redis": "not_configured"}}


@pytest.mark.django_db
def test_readyz_is_503_when_the_database_fails(client: Client) -> None:
    with connection.execute_wrapper(refuse_queries):
        response = client.get("/readyz")

    assert (response.status_code, response["Retry-After"], response.json()) == (
        503,
        "5",
        {
            "status": "unavailable",
            "checks": {"database": "unavailable", "redis": "not_configured"},
            "scheduler_heartbeat_age_seconds": None,
        },
    )


@pytest.mark.django_db
def test_api_request_during_a_database_failure_is_a_retryable_503(
    client: Client, intake_key: str
) -> None:
    with connection.execute_wrapper(refuse_queries):
        response = client.post(
            "/api/v1/messages",
            data=json.dumps(PAYLOAD),
            content_type="application/json",
            HTTP_AUTHORIZATION=f"Bearer {intake_key}",
        )

    assert (response.status_code, response["Retry-After"], response.json()) == (
        503,
        "5",
        UNAVAILABLE,
    )


@pytest.mark.django_db
def test_api_recovers_on_the_next_request(client: Client, intake_key: str) -> None:
    headers = {"HTTP_AUTHORIZATION": f"Bearer {intake_key}"}
    with connection.execute_wrapper(refuse_queries):
        down = client.post(
            "/api/v1/messages", json.dumps(PAYLOAD), content_type="application/json", **headers
        )
    up = client.post(
        "/api/v1/messages", json.dumps(PAYLOAD), content_type="application/json", **headers
    )

    assert (down.status_code, up.status_code, up.json()["created"]) == (503, 201, True)


@pytest.mark.django_db
def test_page_request_during_a_database_failure_is_an_html_503(client: Client) -> None:
    client.cookies["sessionid"] = "a" * 32  # the session lookup needs the database
    with connection.execute_wrapper(refuse_queries):
        response = client.get("/")

    assert (response.status_code, response["Retry-After"], response["Content-Type"]) == (
        503,
        "5",
        "text/html",
    )
    assert b"temporarily unavailable" in response.content


def test_a_failure_raised_in_inner_middleware_also_becomes_a_503() -> None:
    """process_exception only sees view errors; the got_request_exception mark covers the rest."""

    def inner_middleware(request: HttpRequest) -> HttpResponse:
        raise OperationalError("server closed the connection unexpectedly")

    chain = DatabaseUnavailableMiddleware(convert_exception_to_response(inner_middleware))

    response = chain(RequestFactory().get("/api/v1/messages/1"))

    assert (response.status_code, response["Retry-After"], json.loads(response.content)) == (
        503,
        "5",
        UNAVAILABLE,
    )


def test_other_errors_are_left_alone() -> None:
    def inner_middleware(request: HttpRequest) -> HttpResponse:
        raise RuntimeError("a bug")

    chain = DatabaseUnavailableMiddleware(convert_exception_to_response(inner_middleware))

    assert chain(RequestFactory().get("/api/v1/messages/1")).status_code == 500
