"""Full-text search on SQLite (FTS5 + triggers) and PostgreSQL (GIN expression indexes):
ranking, snippets, escaping, status filter, and rows written by bulk inserts."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.db import connection
from django.test import Client

from signaldesk.commerce.models import Customer
from signaldesk.search.schema import search_schema_ensure
from signaldesk.search.selectors import (
    START,
    STOP,
    fts5_query,
    highlight,
    search_customers,
    search_tickets,
)
from signaldesk.testing.factories import (
    CustomerFactory,
    CustomerIdentityFactory,
    MessageFactory,
    TicketFactory,
)
from signaldesk.tickets.models import Message, Ticket

pytestmark = pytest.mark.django_db


def test_subject_and_message_matches_ranked_and_highlighted() -> None:
    strong = TicketFactory(subject="Zipper broken on parka")
    weak = TicketFactory(subject="Question")
    MessageFactory(ticket=weak, body_text="My order is fine but the zipper on the coat is stuck")
    TicketFactory(subject="Unrelated")
    hits = search_tickets(query="zipper", limit=10)
    assert [h.ticket_id for h in hits] == [strong.pk, weak.pk]
    assert [h.matched_in for h in hits] == ["subject", "message"]
    assert hits[0].snippet == "<mark>Zipper</mark> broken on parka"
    assert "the <mark>zipper</mark> on the coat" in hits[1].snippet
    assert hits[0].score > hits[1].score


def test_every_word_must_match_and_status_filters() -> None:
    open_ticket = TicketFactory(subject="Parcel lost in depot", status="open")
    TicketFactory(subject="Parcel lost in depot", status="solved")
    TicketFactory(subject="Parcel arrived", status="open")
    assert [h.ticket_id for h in search_tickets(query="parcel lost", status="open")] == [
        open_ticket.pk
    ]
    assert len(search_tickets(query="parcel lost")) == 2


def test_snippet_escapes_html_in_text() -> None:
    ticket = TicketFactory(subject="hello")
    MessageFactory(ticket=ticket, body_text="<script>alert(1)</script> refund please")
    [hit] = search_tickets(query="refund")
    assert "<script>" not in hit.snippet
    assert hit.snippet.endswith("<mark>refund</mark> please")
    sqlite_kept_the_text = connection.vendor == "sqlite"  # ts_headline drops tags itself
    assert ("&lt;script&gt;alert(1)&lt;/script&gt;" in hit.snippet) == sqlite_kept_the_text


def test_highlight_escapes_before_marking() -> None:
    raw = f'<script>x</script> & {START}refund{STOP} "now"'
    assert highlight(raw) == (
        "&lt;script&gt;x&lt;/script&gt; &amp; <mark>refund</mark> &quot;now&quot;"
    )


def test_operators_in_the_query_are_plain_text() -> None:
    TicketFactory(subject="Refund NOT received")
    assert fts5_query('refund" OR (x*') == '"refund""" "OR" "(x*"'
    assert [h.subject for h in search_tickets(query='received" -refund')] == ["Refund NOT received"]
    assert search_tickets(query="*** ()") == []


def test_bulk_inserted_and_updated_rows_are_indexed() -> None:
    customer = CustomerFactory()
    tickets = Ticket.objects.bulk_create(
        [
            TicketFactory.build(subject=f"Imported {n}", customer=customer, status="open")
            for n in range(3)
        ]
    )
    saved = list(Ticket.objects.filter(subject__startswith="Imported").order_by("pk"))
    Message.objects.bulk_create(
        [
            Message(
                ticket=saved[1],
                direction="inbound",
                channel="email",
                body_text="The kettle whistles backwards",
                created_at=saved[1].created_at,
                received_at=saved[1].created_at,
            )
        ]
    )
    assert len(tickets) == 3
    assert [h.ticket_id for h in search_tickets(query="kettle")] == [saved[1].pk]
    Message.objects.filter(ticket=saved[1]).update(body_text="The teapot hums")
    assert search_tickets(query="kettle") == []
    assert [h.ticket_id for h in search_tickets(query="teapot")] == [saved[1].pk]
    Ticket.objects.filter(pk=saved[0].pk).update(subject="Renamed thermos")
    assert [h.ticket_id for h in search_tickets(query="thermos")] == [saved[0].pk]


def test_merged_away_tickets_are_left_out() -> None:
    target = TicketFactory(subject="Gift card")
    TicketFactory(subject="Gift card", merged_into=target)
    assert [h.ticket_id for h in search_tickets(query="gift")] == [target.pk]


def test_customers_by_name_email_and_identity() -> None:
    ana = CustomerFactory(name="Ana Lopez", email="ana@example.com")
    CustomerIdentityFactory(customer=ana, kind="phone", value="+491511234567")
    other = CustomerFactory(name="Bob Stone", email="bob@example.com")
    CustomerIdentityFactory(customer=other, kind="email", value="bobby@shop.example")
    assert [h.customer_id for h in search_customers(query="lopez")] == [ana.pk]
    assert [h.customer_id for h in search_customers(query="ana@example.com")] == [ana.pk]
    assert [h.customer_id for h in search_customers(query="+491511234567")] == [ana.pk]
    [bob] = search_customers(query="bobby@shop.example")
    assert (bob.customer_id, bob.name) == (other.pk, "Bob Stone")
    assert "<mark>" in bob.snippet
    Customer.objects.bulk_create([CustomerFactory.build(name="Zed Quill", email="")])
    assert [h.name for h in search_customers(query="quill")] == ["Zed Quill"]


def test_index_objects_exist_for_this_vendor() -> None:
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute(
                "SELECT count(*) FROM sqlite_master WHERE type = 'trigger' AND name LIKE 'search_%'"
            )
        else:
            cursor.execute("SELECT count(*) FROM pg_indexes WHERE indexname LIKE 'search_%_gin'")
        found = cursor.fetchone()[0]
    assert found == {"sqlite": 12, "postgresql": 4}[connection.vendor]


def test_search_api(client: Client, api_key_for: Callable[..., str]) -> None:
    customer = CustomerFactory(name="Mira Sand")
    ticket = TicketFactory(subject="Mira asks about sandals", customer=customer, status="open")
    key = api_key_for(role="agent", scopes=["read"])
    auth = {"HTTP_AUTHORIZATION": f"Bearer {key}"}
    body = client.get("/api/v1/search", {"q": "mira"}, **auth).json()
    assert [t["ticket_id"] for t in body["tickets"]] == [ticket.pk]
    assert body["tickets"][0]["snippet"] == "<mark>Mira</mark> asks about sandals"
    assert [c["customer_id"] for c in body["customers"]] == [customer.pk]
    solved = client.get("/api/v1/search", {"q": "mira", "status": "solved"}, **auth).json()
    assert solved["tickets"] == []
    missing = client.get("/api/v1/search", **auth)
    assert missing.status_code == 422
    denied_key = api_key_for(role="agent", scopes=["intake"])
    denied = client.get("/api/v1/search", {"q": "x"}, HTTP_AUTHORIZATION=f"Bearer {denied_key}")
    assert denied.status_code == 403


@pytest.mark.skipif(connection.vendor != "sqlite", reason="PostgreSQL indexes need no triggers")
def test_dropped_triggers_are_recreated_and_reindexed() -> None:
    """A SQLite table rebuild (Django's way to alter a table) drops its triggers."""
    with connection.cursor() as cursor:
        for name in ("search_message_fts_ai", "search_message_fts_ad", "search_message_fts_au"):
            cursor.execute(f"DROP TRIGGER IF EXISTS {name}")
    MessageFactory(body_text="lost walrus")
    repaired = search_schema_ensure(connection)
    assert repaired == ["search_message_fts"]
    assert [h.matched_in for h in search_tickets(query="walrus")] == ["message"]
