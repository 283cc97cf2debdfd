"""Sign-in, throttling, sign-out, password reset and session cookie settings."""

from __future__ import annotations

import re

import pytest
from django.conf import settings
from django.core import mail
from django.core.cache import cache
from django.test import Client, override_settings

from signaldesk.testing.factories import TEST_PASSWORD, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _clear_cache() -> None:
    cache.clear()


def login(client: Client, username: str, password: str, ip: str = "10.0.0.1"):
    return client.post(
        "/accounts/login/", {"username": username, "password": password}, REMOTE_ADDR=ip
    )


def test_login_page_is_ours_with_labels() -> None:
    html = Client().get("/accounts/login/").content.decode()

    assert '<label for="id_username">Username</label>' in html
    assert '<label for="id_password">Password</label>' in html
    assert 'href="/accounts/password_reset/"' in html


@pytest.mark.parametrize(
    ("role", "landing"),
    [("agent", "/queues/now/"), ("admin", "/queues/now/"), ("stakeholder", "/dashboards/")],
)
def test_login_lands_by_role(role: str, landing: str) -> None:
    UserFactory(username="ana", role=role)
    client = Client()

    response = login(client, "ana", TEST_PASSWORD)

    assert (response.status_code, response["Location"]) == (302, "/")
    assert client.get("/")["Location"] == landing


def test_wrong_password_shows_an_error() -> None:
    UserFactory(username="ana")

    response = login(Client(), "ana", "nope")

    assert response.status_code == 200
    assert "Please enter a correct username and password." in response.content.decode()


def test_five_failures_lock_the_username_and_ip_pair() -> None:
    UserFactory(username="ana")
    client = Client()
    statuses = [login(client, "ana", "wrong").status_code for _ in range(5)]

    locked = login(client, "ANA", TEST_PASSWORD)
    other_ip = login(Client(), "ana", TEST_PASSWORD, ip="10.0.0.2")

    assert statuses == [200, 200, 200, 200, 200]
    assert locked.status_code == 429
    assert "Too many failed sign-in attempts" in locked.content.decode()
    assert other_ip.status_code == 302


def test_success_clears_the_failure_count() -> None:
    UserFactory(username="ana")
    for _ in range(4):
        login(Client(), "ana", "wrong")

    assert login(Client(), "ana", TEST_PASSWORD).status_code == 302
    assert [login(Client(), "ana", "wrong").status_code for _ in range(4)] == [200] * 4


def test_logout_is_post_only() -> None:
    user = UserFactory(username="ana")
    client = Client()
    client.force_login(user)

    get = client.get("/accounts/logout/")
    post = client.post("/accounts/logout/")

    assert get.status_code == 405
    assert (post.status_code, post["Location"]) == (302, "/accounts/login/")
    assert client.get("/dashboards/").status_code == 302


def test_password_reset_by_email() -> None:
    UserFactory(username="ana", email="ana@staff.example.com")
    client = Client()

    response = client.post("/accounts/password_reset/", {"email": "ana@staff.example.com"})
    link = re.search(r"http://testserver(/accounts/reset/\S+/)", mail.outbox[0].body)
    assert link is not None
    form_page = client.get(link.group(1), follow=True)
    done = client.post(
        form_page.redirect_chain[-1][0],
        {"new_password1": "a-new-long-passphrase", "new_password2": "a-new-long-passphrase"},
    )

    assert response["Location"] == "/accounts/password_reset/done/"
    assert mail.outbox[0].subject == "Reset your SignalDesk password"
    assert done["Location"] == "/accounts/reset/done/"
    assert login(Client(), "ana", "a-new-long-passphrase").status_code == 302


def test_password_reset_for_unknown_email_sends_nothing_and_says_the_same() -> None:
    response = Client().post("/accounts/password_reset/", {"email": "nobody@example.com"})

    assert response["Location"] == "/accounts/password_reset/done/"
    assert mail.outbox == []


@override_settings(SIGNALDESK_RATE_LIMITS={"password_reset": (2, 3600)})
def test_password_reset_requests_are_limited_per_address() -> None:
    UserFactory(username="ana", email="ana@staff.example.com")
    client = Client()
    sent = [
        client.post("/accounts/password_reset/", {"email": "ana@staff.example.com"}).status_code
        for _ in range(2)
    ]

    refused = client.post("/accounts/password_reset/", {"email": "ana@staff.example.com"})

    assert sent == [302, 302]
    assert refused.status_code == 429
    assert 0 < int(refused["Retry-After"]) <= 3600
    assert len(mail.outbox) == 2


def test_session_and_csrf_cookie_settings() -> None:
    assert (
        settings.SESSION_COOKIE_HTTPONLY,
        settings.SESSION_COOKIE_SAMESITE,
        settings.CSRF_COOKIE_SAMESITE,
        settings.SESSION_COOKIE_AGE,
        "django.middleware.csrf.CsrfViewMiddleware" in settings.MIDDLEWARE,
    ) == (True, "Lax", "Lax", 36000, True)


def test_login_requires_csrf() -> None:
    UserFactory(username="ana")
    client = Client(enforce_csrf_checks=True)

    response = client.post("/accounts/login/", {"username": "ana", "password": TEST_PASSWORD})

    assert response.status_code == 403
