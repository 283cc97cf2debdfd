import json

import pytest
from django.test import Client

pytestmark = pytest.mark.django_db

PAYLOAD = {"channel": "email", "identity": {"email": "a@example.com"}, "text": "hello"}


def test_post_without_credentials_is_401_not_csrf_403() -> None:
    client = Client(enforce_csrf_checks=True)
    response = client.post(
        "/api/v1/messages", data=json.dumps(PAYLOAD), content_type="application/json"
    )
    assert (response.status_code, response.json()["code"]) == (401, "unauthenticated")


def test_post_with_unknown_token_is_401() -> None:
    client = Client(enforce_csrf_checks=True)
    response = client.post(
        "/api/v1/messages",
        data=json.dumps(PAYLOAD),
        content_type="application/json",
        HTTP_AUTHORIZATION="Bearer sdk_not-a-real-token",
    )
    assert (response.status_code, response.json()["code"]) == (401, "unauthenticated")
