"""/api/v1/triage: who may read and run triage, and what comes back."""

from __future__ import annotations

from signaldesk.testing.factories import UserFactory
from signaldesk.triage.tests.conftest import Store, make_ticket

URL = "/api/v1/triage/tickets/{}/"


def bearer(key: str) -> dict[str, str]:
    return {"HTTP_AUTHORIZATION": f"Bearer {key}"}


def test_no_credentials_is_401(client, store: Store) -> None:
    ticket = make_ticket(store.ana, "Order #10023?")

    response = client.get(URL.format(ticket.pk) + "enrichment")

    assert (response.status_code, response.json()["code"]) == (401, "unauthenticated")


def test_stakeholder_may_not_read_enrichment(client, store: Store) -> None:
    ticket = make_ticket(store.ana, "Order #10023?")
    client.force_login(UserFactory(role="stakeholder"))

    response = client.get(URL.format(ticket.pk) + "enrichment")

    assert (response.status_code, response.json()["code"]) == (403, "permission_denied")


def test_read_token_may_not_run_triage(client, store: Store, api_key_for) -> None:
    ticket = make_ticket(store.ana, "Order #10023?")

    response = client.post(
        URL.format(ticket.pk) + "run", **bearer(api_key_for(role="agent", scopes=["read"]))
    )

    assert (response.status_code, response.json()) == (
        403,
        {"detail": "This API token lacks a scope for tickets.write.", "code": "permission_denied"},
    )


def test_not_triaged_yet_is_404(client, store: Store, api_key_for) -> None:
    ticket = make_ticket(store.ana, "Order #10023?")

    response = client.get(
        URL.format(ticket.pk) + "enrichment", **bearer(api_key_for(scopes=["read"]))
    )

    assert (response.status_code, response.json()["code"]) == (404, "not_triaged")


def test_unknown_ticket_is_404(client, db, api_key_for) -> None:
    response = client.post(URL.format(999999) + "run", **bearer(api_key_for(scopes=["write"])))

    assert (response.status_code, response.json()["code"]) == (404, "not_found")


def test_run_then_read(client, store: Store, api_key_for) -> None:
    ticket = make_ticket(store.ana, "Order #10023: the merino crew sweater is damaged")
    key = api_key_for(role="agent", scopes=["read", "write"])

    ran = client.post(URL.format(ticket.pk) + "run", **bearer(key))
    read = client.get(URL.format(ticket.pk) + "enrichment", **bearer(key))

    assert ran.status_code == 200
    assert ran.json()["changes"]["order"] == [None, store.order.pk]
    body = read.json()
    assert read.status_code == 200
    assert {k: body[k] for k in ("order_number", "order_match", "sku", "carrier", "days_late")} == {
        "order_number": "#10023",
        "order_match": "quoted",
        "sku": "MER-CRW-M",
        "carrier": "UPS",
        "days_late": 3,
    }
    assert (body["refund_amount"], body["warnings"]) == ("59.90", [])
