"""Full-text search over tickets (subject + message text) and customers (name, email,
identities). Index-backed on both databases: FTS5 with bm25() on SQLite, GIN expression indexes
with ts_rank() on PostgreSQL (see schema.py). Each side fetches at most a bounded number of
best-ranked rows, then rows are grouped per ticket/customer in Python.

Query syntax: words are matched whole (case- and accent-insensitive); every word must occur;
"quoted phrases" are kept together. Snippets are HTML-escaped, then the matched terms are
wrapped in <mark>, so they are safe to render."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from django.db import connection
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from signaldesk.search.schema import (
    PG_CUSTOMER_VECTOR,
    PG_IDENTITY_VECTOR,
    PG_MESSAGE_VECTOR,
    PG_TICKET_VECTOR,
)
from signaldesk.tickets.models import Ticket

MAX_LIMIT = 100
MAX_QUERY_CHARS = 200
OVERFETCH = 4  # rows fetched per side for each hit returned (several messages per ticket)
SUBJECT_WEIGHT = 2.0
START, STOP = "\ue000", "\ue001"  # private-use markers, replaced after escaping
_TERM = re.compile(r'"([^"]*)"|(\S+)')


@dataclass(frozen=True)
class TicketHit:
    ticket_id: int
    subject: str
    status: str
    customer_id: int | None
    score: float  # higher is better
    snippet: SafeString  # escaped, with <mark> around matches
    matched_in: str  # "subject" or "message"


@dataclass(frozen=True)
class CustomerHit:
    customer_id: int
    name: str
    email: str
    score: float
    snippet: SafeString


def highlight(raw: str) -> SafeString:
    """Escape text that carries START/STOP markers, then turn the markers into <mark>."""
    text = escape(raw)
    return mark_safe(text.replace(START, "<mark>").replace(STOP, "</mark>"))  # noqa: S308


def _terms(query: str) -> list[str]:
    out = []
    for phrase, word in _TERM.findall(query[:MAX_QUERY_CHARS]):
        term = (phrase or word).strip()
        if any(ch.isalnum() for ch in term):
            out.append(term)
    return out[:20]


def fts5_query(query: str) -> str:
    """A safe FTS5 MATCH expression: each term a quoted string (the tokenizer turns
    "ana@example.com" into the phrase ana example com), all terms required."""
    return " ".join('"' + term.replace('"', '""') + '"' for term in _terms(query))


def pg_query(query: str) -> str:
    """Input for websearch_to_tsquery: the same terms, each quoted so that words like "or" and
    a leading "-" are plain text."""
    cleaned = (" ".join(t.replace('"', " ").replace("\\", " ").split()) for t in _terms(query))
    return " ".join(f'"{term}"' for term in cleaned if term)


def _clamp(limit: int) -> int:
    return max(1, min(limit, MAX_LIMIT))


def _fetch(sql: str, params: list[Any]) -> list[tuple[object, ...]]:
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return list(cursor.fetchall())


_HEADLINE = f"StartSel={START}, StopSel={STOP}, MaxWords=24, MinWords=8, MaxFragments=2"


def _ticket_rows(query: str, status: str | None, n: int) -> list[tuple[object, ...]]:
    """(ticket_id, score, snippet, matched_in) rows, best first, from subjects and messages."""
    status_sql = " AND t.status = %s" if status else ""
    extra: list[object] = [status] if status else []
    if connection.vendor == "sqlite":
        match = fts5_query(query)
        if not match:
            return []
        subject = (
            "SELECT t.id, -bm25(search_ticket_fts) * %s, "
            "snippet(search_ticket_fts, 0, %s, %s, '…', 16), 'subject' "
            "FROM search_ticket_fts JOIN tickets_ticket t ON t.id = search_ticket_fts.rowid "
            f"WHERE search_ticket_fts MATCH %s AND t.merged_into_id IS NULL{status_sql} "
            "ORDER BY bm25(search_ticket_fts) LIMIT %s"
        )
        message = (
            "SELECT m.ticket_id, -bm25(search_message_fts), "
            "snippet(search_message_fts, 0, %s, %s, '…', 16), 'message' "
            "FROM search_message_fts JOIN tickets_message m ON m.id = search_message_fts.rowid "
            "JOIN tickets_ticket t ON t.id = m.ticket_id "
            f"WHERE search_message_fts MATCH %s AND t.merged_into_id IS NULL{status_sql} "
            "ORDER BY bm25(search_message_fts) LIMIT %s"
        )
        return _fetch(subject, [SUBJECT_WEIGHT, START, STOP, match, *extra, n]) + _fetch(
            message, [START, STOP, match, *extra, n * OVERFETCH]
        )
    if connection.vendor != "postgresql":
        return []
    words = pg_query(query)
    if not words:
        return []
    tv = PG_TICKET_VECTOR.format(t="t.")
    mv = PG_MESSAGE_VECTOR.format(t="m.")
    subject = (
        f"SELECT h.id, h.score * %s, ts_headline('simple', h.subject, q, %s), 'subject' FROM ("
        f" SELECT t.id, t.subject, ts_rank({tv}, q) AS score, q"
        f" FROM tickets_ticket t, websearch_to_tsquery('simple', %s) q"
        f" WHERE {tv} @@ q AND t.merged_into_id IS NULL{status_sql}"
        " ORDER BY score DESC, t.id DESC LIMIT %s) h"
    )
    message = (
        f"SELECT h.ticket_id, h.score, ts_headline('simple', h.body, q, %s), 'message' FROM ("
        f" SELECT m.ticket_id, left(m.body_text, 100000) AS body, ts_rank({mv}, q) AS score, q"
        f" FROM tickets_message m JOIN tickets_ticket t ON t.id = m.ticket_id,"
        f" websearch_to_tsquery('simple', %s) q"
        f" WHERE {mv} @@ q AND t.merged_into_id IS NULL{status_sql}"
        " ORDER BY score DESC, m.id DESC LIMIT %s) h"
    )
    return _fetch(subject, [SUBJECT_WEIGHT, _HEADLINE, words, *extra, n]) + _fetch(
        message, [_HEADLINE, words, *extra, n * OVERFETCH]
    )


def search_tickets(*, query: str, limit: int = 20, status: str | None = None) -> list[TicketHit]:
    """Tickets whose subject or messages match, best first (ties: newest ticket first).
    Merged-away tickets are left out (their messages live on the surviving ticket)."""
    limit = _clamp(limit)
    best: dict[int, tuple[float, str, str]] = {}
    for ticket_id, score, snippet, matched_in in _ticket_rows(query, status, limit):
        key = int(str(ticket_id))
        value = (float(str(score)), str(snippet), str(matched_in))
        if key not in best or value[0] > best[key][0]:
            best[key] = value
    ranked = sorted(best.items(), key=lambda item: (-item[1][0], -item[0]))[:limit]
    tickets = Ticket.objects.only("id", "subject", "status", "customer_id").in_bulk(
        [ticket_id for ticket_id, _ in ranked]
    )
    return [
        TicketHit(
            ticket_id=ticket_id,
            subject=tickets[ticket_id].subject,
            status=tickets[ticket_id].status,
            customer_id=tickets[ticket_id].customer_id,
            score=round(score, 6),
            snippet=highlight(snippet),
            matched_in=matched_in,
        )
        for ticket_id, (score, snippet, matched_in) in ranked
        if ticket_id in tickets
    ]


def _customer_rows(query: str, n: int) -> list[tuple[object, ...]]:
    if connection.vendor == "sqlite":
        match = fts5_query(query)
        if not match:
            return []
        direct = (
            "SELECT c.id, -bm25(search_customer_fts), c.name, c.email,"
            " highlight(search_customer_fts, 0, %s, %s) || ' · ' ||"
            " highlight(search_customer_fts, 1, %s, %s)"
            " FROM search_customer_fts JOIN commerce_customer c ON c.id = search_customer_fts.rowid"
            " WHERE search_customer_fts MATCH %s AND c.merged_into_id IS NULL"
            " ORDER BY bm25(search_customer_fts) LIMIT %s"
        )
        identity = (
            "SELECT c.id, -bm25(search_identity_fts), c.name, c.email,"
            " i.kind || ': ' || highlight(search_identity_fts, 0, %s, %s)"
            " FROM search_identity_fts"
            " JOIN commerce_customeridentity i ON i.id = search_identity_fts.rowid"
            " JOIN commerce_customer c ON c.id = i.customer_id"
            " WHERE search_identity_fts MATCH %s AND c.merged_into_id IS NULL"
            " ORDER BY bm25(search_identity_fts) LIMIT %s"
        )
        return _fetch(direct, [START, STOP, START, STOP, match, n]) + _fetch(
            identity, [START, STOP, match, n]
        )
    if connection.vendor != "postgresql":
        return []
    words = pg_query(query)
    if not words:
        return []
    cv = PG_CUSTOMER_VECTOR.format(t="c.")
    iv = PG_IDENTITY_VECTOR.format(t="i.")
    direct = (
        f"SELECT c.id, ts_rank({cv}, q), c.name, c.email,"
        " ts_headline('simple', c.name || ' · ' || c.email, q, %s)"
        " FROM commerce_customer c, websearch_to_tsquery('simple', %s) q"
        f" WHERE {cv} @@ q AND c.merged_into_id IS NULL"
        f" ORDER BY ts_rank({cv}, q) DESC, c.id DESC LIMIT %s"
    )
    identity = (
        f"SELECT c.id, ts_rank({iv}, q), c.name, c.email,"
        " i.kind || ': ' || ts_headline('simple', i.value, q, %s)"
        " FROM commerce_customeridentity i JOIN commerce_customer c ON c.id = i.customer_id,"
        " websearch_to_tsquery('simple', %s) q"
        f" WHERE {iv} @@ q AND c.merged_into_id IS NULL"
        f" ORDER BY ts_rank({iv}, q) DESC, i.id DESC LIMIT %s"
    )
    return _fetch(direct, [_HEADLINE, words, n]) + _fetch(identity, [_HEADLINE, words, n])


def search_customers(*, query: str, limit: int = 20) -> list[CustomerHit]:
    """Customers whose name, email or any identity (email, phone, handle…) matches."""
    limit = _clamp(limit)
    best: dict[int, CustomerHit] = {}
    for customer_id, score, name, email, snippet in _customer_rows(query, limit * 2):
        hit = CustomerHit(
            customer_id=int(str(customer_id)),
            name=str(name),
            email=str(email),
            score=round(float(str(score)), 6),
            snippet=highlight(str(snippet)),
        )
        if hit.customer_id not in best or hit.score > best[hit.customer_id].score:
            best[hit.customer_id] = hit
    return sorted(best.values(), key=lambda h: (-h.score, -h.customer_id))[:limit]
