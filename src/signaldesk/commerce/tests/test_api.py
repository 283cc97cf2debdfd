"""Customers and orders API: filters, cursor paging, details, errors."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from decimal import Decimal

import pytest
from django.test import Client

from signaldesk.commerce.models import Refund, Return
from signaldesk.testing.factories import (
    CustomerFactory,
    CustomerIdentityFactory,
    OrderFactory,
    OrderLineFactory,
    ShipmentFactory,
    TicketFactory,
)

pytestmark = pytest.mark.django_db
T0 = dt.datetime(2026, 3, 1, 9, 0, tzinfo=dt.UTC)


@pytest.fixture
def auth(api_key_for: Callable[..., str]) -> dict[str, str]:
    return {"HTTP_AUTHORIZATION": f"Bearer {api_key_for(role='agent', scopes=['read'])}"}


def test_customer_filters_and_paging(client: Client, auth: dict[str, str]) -> None:
    gold = CustomerFactory(email="Ana@Example.com", loyalty_tier="gold")
    via_identity = CustomerFactory(email="", loyalty_tier="none")
    CustomerIdentityFactory(customer=via_identity, kind="email", value="zoe@example.com")
    others = [CustomerFactory().pk for _ in range(4)]

    def ids(**params: object) -> list[int]:
        body = client.get("/api/v1/customers", params, **auth).json()
        return [item["id"] for item in body["items"]]

    assert ids(tier="gold") == [gold.pk]
    assert ids(email="Ana@Example.com") == [gold.pk]
    assert ids(email="ZOE@example.com") == [via_identity.pk]
    seen, cursor = [], None
    while True:
        params: dict[str, object] = {"limit": 2, **({"cursor": cursor} if cursor else {})}
        body = client.get("/api/v1/customers", params, **auth).json()
        seen += [item["id"] for item in body["items"]]
        cursor = body["next"]
        if cursor is None:
            break
    assert sorted(seen) == sorted([gold.pk, via_identity.pk, *others])


def test_customer_detail(client: Client, auth: dict[str, str]) -> None:
    customer = CustomerFactory(name="Ana", lifetime_value=Decimal("812.40"))
    CustomerIdentityFactory(customer=customer, kind="phone", value="+4915112345")
    order = OrderFactory(customer=customer, number="#7001")
    TicketFactory(customer=customer, status="open")
    TicketFactory(customer=customer, status="solved")
    body = client.get(f"/api/v1/customers/{customer.pk}", **auth).json()
    assert body["name"] == "Ana"
    assert body["lifetime_value"] == "812.40"
    assert body["identities"] == [{"kind": "phone", "value": "+4915112345"}]
    assert [o["number"] for o in body["orders"]] == [order.number]
    assert (body["tickets"]["total"], body["tickets"]["open"]) == (2, 1)
    assert body["tickets"]["by_status"] == {"open": 1, "solved": 1}
    missing = client.get("/api/v1/customers/999999", **auth)
    assert (missing.status_code, missing.json()["code"]) == (404, "not_found")


def test_order_filters(client: Client, auth: dict[str, str]) -> None:
    match = OrderFactory(
        number="#8001", email="a@x.com", discount_code="SPRING", campaign="spring", created_at=T0
    )
    OrderFactory(number="#8002", created_at=T0 - dt.timedelta(days=10))
    OrderFactory(number="#8003", created_at=T0 + dt.timedelta(days=10))
    cases = [
        {"number": "8001"},
        {"email": "a@x.com"},
        {"discount_code": "SPRING"},
        {"campaign": "spring"},
        {
            "created_after": (T0 - dt.timedelta(days=1)).isoformat(),
            "created_before": (T0 + dt.timedelta(days=1)).isoformat(),
        },
    ]
    for params in cases:
        body = client.get("/api/v1/orders", params, **auth).json()
        assert [item["id"] for item in body["items"]] == [match.pk], params


def test_order_detail_by_number(client: Client, auth: dict[str, str]) -> None:
    order = OrderFactory(number="#9001", total=Decimal("89.90"))
    OrderLineFactory(order=order, line_no=2, sku="B", name="Second")
    OrderLineFactory(order=order, line_no=1, sku="A", name="First")
    ShipmentFactory(order=order, tracking_number="JJD1", carrier="DHL")
    ret = Return.objects.create(rma="RMA-1", order=order, sku="A", requested_at=T0)
    Refund.objects.create(
        external_id="R-1", order=order, return_request=ret, amount=Decimal("10.00"), created_at=T0
    )
    for number in ("%239001", "9001"):
        body = client.get(f"/api/v1/orders/{number}", **auth).json()
        assert body["number"] == "#9001"
        assert body["total"] == "89.90"
        assert [line["sku"] for line in body["lines"]] == ["A", "B"]
        assert [s["tracking_number"] for s in body["shipments"]] == ["JJD1"]
        assert [r["rma"] for r in body["returns"]] == ["RMA-1"]
        assert [(r["external_id"], r["amount"]) for r in body["refunds"]] == [("R-1", "10.00")]
    missing = client.get("/api/v1/orders/nope", **auth)
    assert missing.json() == {"detail": "Order nope does not exist.", "code": "not_found"}


def test_stakeholder_and_missing_scope_are_403(
    client: Client, api_key_for: Callable[..., str]
) -> None:
    for role, scopes, url in (
        ("stakeholder", ["read"], "/api/v1/customers"),
        ("agent", ["write"], "/api/v1/orders"),
    ):
        key = api_key_for(role=role, scopes=scopes)
        response = client.get(url, HTTP_AUTHORIZATION=f"Bearer {key}")
        assert response.status_code == 403
        assert response.json()["code"] == "permission_denied"
