"""The tickets REST API: list filters and cursor paging, detail, PATCH, replies, notes, merge,
split, bulk, and the error bodies."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client

from signaldesk.accounts.models import Team
from signaldesk.core.models import AuditEvent
from signaldesk.testing.factories import (
    CustomerFactory,
    MessageFactory,
    OrderFactory,
    TicketFactory,
    UserFactory,
)
from signaldesk.tickets.models import Direction, Message, Ticket, TicketThread

pytestmark = pytest.mark.django_db
T0 = dt.datetime(2026, 3, 1, 9, 0, tzinfo=dt.UTC)


class Api:
    def __init__(self, client: Client, key: str) -> None:
        self.client, self.auth = client, {"HTTP_AUTHORIZATION": f"Bearer {key}"}

    def get(self, url: str, **params: Any) -> Any:
        return self.client.get(url, params, **self.auth)

    def send(self, method: str, url: str, body: dict[str, Any]) -> Any:
        call = getattr(self.client, method)
        return call(url, json.dumps(body), content_type="application/json", **self.auth)


@pytest.fixture
def api(client: Client, api_key_for: Callable[..., str]) -> Api:
    return Api(client, api_key_for(role="agent", scopes=["read", "write"]))


def test_list_filters_each_field(api: Api) -> None:
    team = Team.objects.create(slug="eu", name="EU")
    agent = UserFactory(role="agent")
    customer = CustomerFactory()
    order = OrderFactory(number="#5001", customer=customer)
    match = TicketFactory(
        status="open",
        priority="high",
        channel="chat",
        contact_reason="lost_parcel",
        assignee=agent,
        owner_team=team,
        customer=customer,
        order=order,
        created_at=T0,
    )
    TicketFactory(status="open", created_at=T0)
    TicketFactory(status="solved", priority="high", created_at=T0 - dt.timedelta(days=3))
    filters = {
        "status": "open",
        "priority": "high",
        "channel": "chat",
        "contact_reason": "lost_parcel",
        "assignee": agent.pk,
        "team": team.pk,
        "customer_id": customer.pk,
        "order": "5001",
        "created_after": (T0 - dt.timedelta(hours=1)).isoformat(),
        "created_before": (T0 + dt.timedelta(hours=1)).isoformat(),
    }
    for name, value in filters.items():
        response = api.get("/api/v1/tickets", **{name: value})
        assert response.status_code == 200, name
        ids = [item["id"] for item in response.json()["items"]]
        assert match.pk in ids, name
    body = api.get("/api/v1/tickets", **filters).json()
    assert [item["id"] for item in body["items"]] == [match.pk]
    assert body["items"][0]["order_number"] == "#5001"
    assert body["items"][0]["team_id"] == team.pk
    assert body["next"] is None


def test_cursor_traversal_returns_every_row_exactly_once(api: Api) -> None:
    created = {TicketFactory().pk for _ in range(23)}
    seen: list[int] = []
    cursor = ""
    pages = 0
    while True:
        body = api.get("/api/v1/tickets", limit=5, **({"cursor": cursor} if cursor else {})).json()
        seen += [item["id"] for item in body["items"]]
        pages += 1
        if body["next"] is None:
            break
        cursor = body["next"]
    assert pages == 5
    assert sorted(seen) == sorted(created)
    assert len(seen) == len(set(seen))
    assert seen == sorted(seen, reverse=True)


def test_limit_above_max_and_bad_cursor_are_422(api: Api) -> None:
    too_big = api.get("/api/v1/tickets", limit=201)
    assert too_big.status_code == 422
    assert too_big.json()["code"] == "invalid"
    bad = api.get("/api/v1/tickets", cursor="nonsense")
    assert bad.status_code == 422
    assert bad.json() == {
        "detail": "The cursor is not valid; use `next` from a previous page.",
        "code": "invalid_cursor",
    }


def test_detail_has_messages_and_threads(api: Api) -> None:
    ticket = TicketFactory(subject="Broken zip")
    first = MessageFactory(ticket=ticket, body_text="The zip broke", created_at=T0)
    note = MessageFactory(
        ticket=ticket, direction=Direction.NOTE, body_text="FYI", created_at=T0 + dt.timedelta(1)
    )
    TicketThread.objects.create(
        ticket=ticket, channel="email", external_thread_id="<a@x>", created_at=T0
    )
    body = api.get(f"/api/v1/tickets/{ticket.pk}").json()
    assert body["subject"] == "Broken zip"
    assert [(m["id"], m["direction"], m["body_text"]) for m in body["messages"]] == [
        (first.pk, "inbound", "The zip broke"),
        (note.pk, "note", "FYI"),
    ]
    assert body["threads"] == [{"channel": "email", "external_thread_id": "<a@x>"}]
    assert body["messages_truncated"] is False


def test_unknown_ticket_is_404_with_error_body(api: Api) -> None:
    response = api.get("/api/v1/tickets/999999")
    assert response.status_code == 404
    assert response.json() == {"detail": "Ticket 999999 does not exist.", "code": "not_found"}


def test_patch_changes_fields_through_audited_services(api: Api) -> None:
    team = Team.objects.create(slug="eu", name="EU")
    agent = UserFactory(role="agent")
    ticket = TicketFactory(status="open")
    response = api.send(
        "patch",
        f"/api/v1/tickets/{ticket.pk}",
        {"status": "pending", "priority": "urgent", "assignee_id": agent.pk, "team_id": team.pk},
    )
    assert response.status_code == 200
    body = response.json()
    assert (body["status"], body["priority"], body["assignee_id"], body["team_id"]) == (
        "pending",
        "urgent",
        agent.pk,
        team.pk,
    )
    actions = set(
        AuditEvent.objects.filter(
            object_type="tickets.ticket", object_id=str(ticket.pk)
        ).values_list("action", flat=True)
    )
    assert actions == {
        "ticket.status_changed",
        "ticket.priority_changed",
        "ticket.assigned",
        "ticket.team_changed",
    }
    cleared = api.send("patch", f"/api/v1/tickets/{ticket.pk}", {"assignee_id": None}).json()
    assert (cleared["assignee_id"], cleared["team_id"], cleared["status"]) == (
        None,
        team.pk,
        "pending",
    )


def test_patch_rejects_bad_values_with_422(api: Api) -> None:
    ticket = TicketFactory()
    bad_status = api.send("patch", f"/api/v1/tickets/{ticket.pk}", {"status": "gone"})
    assert bad_status.status_code == 422
    assert bad_status.json()["code"] == "invalid"
    stakeholder = UserFactory(role="stakeholder")
    bad_user = api.send("patch", f"/api/v1/tickets/{ticket.pk}", {"assignee_id": stakeholder.pk})
    assert bad_user.status_code == 422
    assert bad_user.json() == {
        "detail": f"User {stakeholder.pk} cannot be assigned tickets.",
        "code": "invalid_assignee",
    }


def test_reply_and_note(api: Api) -> None:
    ticket = TicketFactory(status="new")
    reply = api.send("post", f"/api/v1/tickets/{ticket.pk}/replies", {"body": " On its way "})
    note = api.send("post", f"/api/v1/tickets/{ticket.pk}/notes", {"body": "Checked DHL"})
    assert (reply.status_code, note.status_code) == (201, 201)
    assert (reply.json()["direction"], reply.json()["body_text"]) == ("outbound", "On its way")
    assert (note.json()["direction"], note.json()["body_text"]) == ("note", "Checked DHL")
    assert Ticket.objects.get(pk=ticket.pk).status == "open"
    empty = api.send("post", f"/api/v1/tickets/{ticket.pk}/replies", {"body": "   "})
    assert empty.status_code == 422
    assert empty.json() == {"detail": "Write something first.", "code": "empty"}


def test_merge_and_split_endpoints(api: Api) -> None:
    customer = CustomerFactory()
    source = TicketFactory(customer=customer)
    target = TicketFactory(customer=customer)
    moved = MessageFactory(ticket=source, body_text="dup", created_at=T0 + dt.timedelta(hours=1))
    kept = MessageFactory(ticket=target, body_text="orig", created_at=T0)
    merged = api.send("post", f"/api/v1/tickets/{source.pk}/merge", {"into_ticket_id": target.pk})
    assert merged.status_code == 200
    assert [m["id"] for m in merged.json()["messages"]] == [kept.pk, moved.pk]
    again = api.send("post", f"/api/v1/tickets/{source.pk}/merge", {"into_ticket_id": target.pk})
    assert again.status_code == 409
    assert again.json()["code"] == "already_merged"

    split = api.send("post", f"/api/v1/tickets/{target.pk}/split", {"message_ids": [moved.pk]})
    assert split.status_code == 201
    assert [m["id"] for m in split.json()["messages"]] == [moved.pk]
    assert split.json()["customer_id"] == customer.pk
    assert Message.objects.get(pk=kept.pk).ticket_id == target.pk


def test_bulk_endpoint(api: Api) -> None:
    tickets = [TicketFactory(status="open") for _ in range(3)]
    ids = [t.pk for t in tickets]
    response = api.send(
        "post", "/api/v1/tickets/bulk", {"ids": ids, "action": "set_priority", "value": "high"}
    )
    assert response.status_code == 200
    assert response.json() == {"action": "set_priority", "updated": 3, "ids": sorted(ids)}
    assert set(Ticket.objects.filter(pk__in=ids).values_list("priority", flat=True)) == {"high"}
    too_many = api.send(
        "post", "/api/v1/tickets/bulk", {"ids": list(range(1, 502)), "action": "tag", "value": "x"}
    )
    assert too_many.status_code == 422
    missing = api.send(
        "post", "/api/v1/tickets/bulk", {"ids": [*ids, 999999], "action": "tag", "value": "x"}
    )
    assert missing.status_code == 404
    assert missing.json() == {"detail": "Tickets [999999] do not exist.", "code": "not_found"}
    assert list(Ticket.objects.filter(pk__in=ids).values_list("tags", flat=True)) == [[], [], []]


@pytest.mark.parametrize(
    ("role", "scopes", "method", "path"),
    [
        ("stakeholder", ["read"], "get", "/api/v1/tickets"),
        ("agent", ["intake"], "get", "/api/v1/tickets"),
        ("agent", ["read"], "patch", "/api/v1/tickets/{id}"),
        ("agent", ["read"], "post", "/api/v1/tickets/bulk"),
    ],
)
def test_wrong_role_or_scope_is_403(
    client: Client,
    api_key_for: Callable[..., str],
    role: str,
    scopes: list[str],
    method: str,
    path: str,
) -> None:
    ticket = TicketFactory()
    caller = Api(client, api_key_for(role=role, scopes=scopes))
    url = path.format(id=ticket.pk)
    body = {"ids": [ticket.pk], "action": "tag", "value": "x"}
    response = caller.get(url) if method == "get" else caller.send(method, url, body)
    assert response.status_code == 403
    assert response.json()["code"] == "permission_denied"


def test_no_credentials_is_401(client: Client) -> None:
    response = client.get("/api/v1/tickets")
    assert response.status_code == 401
    assert response.json() == {"detail": "Authentication required.", "code": "unauthenticated"}


def test_openapi_lists_the_new_operations(client: Client) -> None:
    response = client.get("/api/v1/openapi.json")
    assert response.status_code == 200
    paths = response.json()["paths"]
    for path in (
        "/api/v1/tickets",
        "/api/v1/tickets/{ticket_id}",
        "/api/v1/tickets/{ticket_id}/replies",
        "/api/v1/tickets/{ticket_id}/notes",
        "/api/v1/tickets/{ticket_id}/merge",
        "/api/v1/tickets/{ticket_id}/split",
        "/api/v1/tickets/bulk",
        "/api/v1/customers",
        "/api/v1/customers/{customer_id}",
        "/api/v1/orders",
        "/api/v1/orders/{number}",
        "/api/v1/search",
    ):
        assert path in paths, path
    assert sorted(paths["/api/v1/tickets/{ticket_id}"]) == ["get", "patch"]
