"""Build a big SignalDesk database fast: 1,000,000 tickets by default, with customers, their email
identities, orders, messages, triage enrichments and running SLA clocks in realistic ratios.

    SIGNALDESK_DATABASE_URL=postgres://postgres@127.0.0.1:5432/sd_bigdb \
        .venv/bin/python bench/bigdb.py --tickets 1000000
    SIGNALDESK_DATABASE_URL=sqlite:////work/main/var/bigdb.sqlite3 \
        .venv/bin/python bench/bigdb.py --tickets 1000000

The database is created (PostgreSQL) and migrated first. Rows get ids 1..n per table and are
generated deterministically from their id, so a run that was stopped resumes where the table
stops (each table is loaded in committed chunks) and a finished one does nothing.
PostgreSQL: COPY through psycopg with foreign-key triggers off for the session
(session_replication_role=replica); SQLite: executemany in chunks. Secondary indexes of a table
(and on SQLite its FTS5 triggers) are dropped while it loads and built once at the end, so the
GIN full-text indexes (PostgreSQL) and the FTS5 tables (SQLite rebuild) are complete as the app
expects (search/schema.py); PostgreSQL ends with VACUUM ANALYZE. Prints the time of every step.

Shape (n tickets): n*0.4 customers each with an email identity, n*0.6 orders, ~2.2 messages per
ticket (the customer's message, an agent reply unless the ticket is new/open, a follow-up on
every fifth), an enrichment row per ticket, a running first-response SLA clock per open ticket.
Tickets span two years; the last two weeks hold the open work (~2.5% of tickets) and ~1% of
older tickets are still open (a backlog)."""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import sys
import time
from collections.abc import Callable, Iterator
from decimal import Decimal
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))

FIRST = [
    "ana", "bob", "carla", "dmitri", "eva", "farid", "greta", "hugo", "ines", "jonas",
    "kemal", "lena", "mateo", "nora", "oskar", "paula", "quinn", "rosa", "sven", "tara",
]  # fmt: skip
LAST = [
    "silva", "meyer", "rossi", "novak", "jensen", "garcia", "kowalski", "dubois", "smith",
    "tanaka", "olsen", "costa", "weber", "moreau", "lind", "fischer", "nagy", "berg",
]  # fmt: skip
PRODUCTS = [
    "jacket", "sneakers", "backpack", "lamp", "kettle", "blender", "desk chair", "sofa",
    "headphones", "watch", "raincoat", "boots", "mattress", "frying pan", "tent",
]  # fmt: skip
SUBJECTS = [
    "Where is my order {order}?", "Damaged {product} in order {order}", "Refund for {order}",
    "Wrong size {product}", "Return label for my {product}", "Missing item in {order}",
    "Discount code did not work", "Cancel order {order}", "Parcel marked delivered but not here",
    "Question about the {product} warranty", "Change delivery address for {order}",
    "Payment charged twice", "When is the {product} back in stock?", "Exchange my {product}",
]  # fmt: skip
BODIES = [
    "Hello, my order {order} has not arrived yet and tracking shows no update for a week.",
    "The {product} arrived broken, the box was crushed. Order {order}. I want a replacement.",
    "I returned the {product} two weeks ago, when do I get my refund for {order}?",
    "The {product} is too small, can I exchange it for a bigger size? Order {order}.",
    "I was charged twice for order {order}, please refund the duplicate payment.",
    "Your courier left the parcel at the wrong address. Order {order}, {product}.",
    "The discount code WELCOME10 was not applied to order {order}.",
    "My {product} stopped working after three days, is it under warranty?",
    "Please cancel order {order}, I ordered the wrong {product}.",
    "Love the {product}! But the colour differs from the photos. Order {order}.",
]  # fmt: skip
REPLY = "Thanks for writing to us about order {order}. We are on it and will update you soon."
REASONS = ["delivery_delay", "damaged_item", "refund_status", "sizing", "payment_issue",
           "failed_delivery", "discount_code", "warranty_request", "cancellation",
           "expectation_mismatch", "return_request", "missing_item", "order_status"]  # fmt: skip
CHANNELS = ["email", "email", "email", "chat", "form", "social", "marketplace"]
TEAMS = [("bench-tier1", "Bench tier 1"), ("bench-returns", "Bench returns"),
         ("bench-logistics", "Bench logistics")]  # fmt: skip
NOW = dt.datetime(2026, 11, 22, 12, 0, tzinfo=dt.UTC)
SPAN = dt.timedelta(days=730)
RECENT = dt.timedelta(days=14)
CHUNK = 50_000


def _setup(url: str) -> None:
    os.environ["SIGNALDESK_DATABASE_URL"] = url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "signaldesk.config.settings.embedded")
    if url.startswith("postgres"):
        import psycopg

        parts = urlsplit(url)
        name = parts.path.lstrip("/")
        admin = url.replace("postgres://", "postgresql://", 1).rsplit("/", 1)[0] + "/postgres"
        with psycopg.connect(admin, autocommit=True) as conn:
            found = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", (name,))
            if not found.fetchone():
                conn.execute(f'CREATE DATABASE "{name}"')
    import django

    django.setup()


class Shape:
    """Every generated value is a function of the row id (and n), so a resumed load continues
    with exactly the rows a single run would have made."""

    def __init__(self, tickets: int) -> None:
        self.tickets = tickets
        self.customers = max(tickets * 2 // 5, 1)
        self.orders = max(tickets * 3 // 5, 1)
        self.recent_from = tickets - int(tickets * RECENT / SPAN)

    def ticket_at(self, i: int) -> dt.datetime:
        return NOW - SPAN + SPAN * (i / (self.tickets + 1))

    def customer_of(self, i: int) -> int:
        return (i * 2654435761) % self.customers + 1

    def status(self, i: int) -> str:
        r = (i * 7919) % 100
        if i >= self.recent_from:
            return "new" if r < 25 else "open" if r < 60 else "pending" if r < 75 else "solved"
        return "open" if r == 0 else "solved" if r < 10 else "closed"

    def order_text(self, i: int) -> str:
        return f"#{100000 + self.customer_of(i)}"

    def product(self, i: int) -> str:
        return PRODUCTS[(i * 31) % len(PRODUCTS)]


def _email(c: int) -> str:
    return f"{FIRST[c % len(FIRST)]}.{LAST[(c // 7) % len(LAST)]}{c}@example.com"


def customer_row(s: Shape, c: int) -> dict[str, Any]:
    at = NOW - SPAN - dt.timedelta(days=30) + SPAN * (c / (s.customers + 1))
    return {
        "id": c,
        "name": f"{FIRST[c % len(FIRST)].title()} {LAST[(c // 7) % len(LAST)].title()}",
        "email": _email(c),
        "country": ["DE", "FR", "IT", "ES", "NL", "PL"][c % 6],
        "loyalty_tier": ["", "", "", "silver", "gold"][c % 5],
        "orders_count": 1 + (c % 3),
        "created_at": at,
        "updated_at": at,
    }


def identity_row(s: Shape, c: int) -> dict[str, Any]:
    return {"id": c, "customer_id": c, "kind": "email", "value": _email(c),
            "created_at": NOW - SPAN}  # fmt: skip


def order_row(s: Shape, o: int) -> dict[str, Any]:
    c = (o - 1) % s.customers + 1
    at = NOW - SPAN + SPAN * (o / (s.orders + 1)) - dt.timedelta(days=3)
    return {
        "id": o, "number": f"#{100000 + o}", "customer_id": c, "email": _email(c),
        "created_at": at, "paid_at": at, "fulfilled_at": at + dt.timedelta(days=1),
        "financial_status": "paid", "fulfillment_status": "fulfilled", "source": "web",
        "shipping_country": "DE", "region": "EU", "updated_at": at,
    }  # fmt: skip


def ticket_row(s: Shape, i: int) -> dict[str, Any]:
    at = s.ticket_at(i)
    status = s.status(i)
    done = status in ("solved", "closed")
    c = s.customer_of(i)
    r = (i * 104729) % 100
    is_open = status in ("new", "open", "pending")
    return {
        "id": i,
        "subject": SUBJECTS[i % len(SUBJECTS)].format(order=s.order_text(i), product=s.product(i)),
        "channel": CHANNELS[i % len(CHANNELS)],
        "status": status,
        "priority": "low" if r < 10 else "normal" if r < 80 else "high" if r < 95 else "urgent",
        "contact_reason": REASONS[(i * 13) % len(REASONS)],
        "reason_confidence": 0.8,
        "reason_source": "model",
        "language": "en",
        "sentiment": -0.3,
        "customer_id": c,
        "order_id": c if i % 5 < 3 else None,
        "owner_team_id": TEAM_IDS[i % len(TEAM_IDS)] if is_open else None,
        "assignee_id": AGENT_ID if is_open and i % 10 == 0 else None,
        "created_at": at,
        "updated_at": at + dt.timedelta(hours=3 if status != "new" else 0),
        "first_response_at": at + dt.timedelta(hours=3) if status not in ("new", "open") else None,
        "last_customer_message_at": at + dt.timedelta(days=1) if i % 5 == 0 else at,
        "solved_at": at + dt.timedelta(days=2) if done else None,
        "closed_at": at + dt.timedelta(days=6) if status == "closed" else None,
    }


def messages_of(s: Shape, i: int) -> Iterator[dict[str, Any]]:
    """The messages of ticket i; ids are 3*i-2, 3*i-1, 3*i (some skipped)."""
    at = s.ticket_at(i)
    c = s.customer_of(i)
    text = BODIES[(i * 7) % len(BODIES)].format(order=s.order_text(i), product=s.product(i))
    base = {"ticket_id": i, "channel": CHANNELS[i % len(CHANNELS)], "author_customer_id": None}
    yield {
        **base, "id": 3 * i - 2, "direction": "inbound", "author_customer_id": c,
        "author_label": _email(c), "body_text": text, "created_at": at, "received_at": at,
    }  # fmt: skip
    if s.status(i) not in ("new", "open"):
        reply_at = at + dt.timedelta(hours=3)
        yield {**base, "id": 3 * i - 1, "direction": "outbound", "author_label": "Agent",
               "body_text": REPLY.format(order=s.order_text(i)), "created_at": reply_at,
               "received_at": reply_at}  # fmt: skip
    if i % 5 == 0:
        later = at + dt.timedelta(days=1)
        yield {**base, "id": 3 * i, "direction": "inbound", "author_customer_id": c,
               "author_label": _email(c), "body_text": f"Any news on {s.order_text(i)}? {text}",
               "created_at": later, "received_at": later}  # fmt: skip


def enrichment_row(s: Shape, i: int) -> dict[str, Any]:
    at = s.ticket_at(i)
    last = at + dt.timedelta(days=1) if i % 5 == 0 else at
    return {
        "id": i, "ticket_id": i, "order_id": s.customer_of(i) if i % 5 < 3 else None,
        "order_match": "number" if i % 5 < 3 else "none", "channel": CHANNELS[i % len(CHANNELS)],
        "carrier": ["DHL", "UPS", "DPD", "GLS"][i % 4], "warehouse": ["BER", "WAW"][i % 2],
        "language": "en", "sentiment": -0.3, "messages_seen": 2 if i % 5 == 0 else 1,
        "last_message_id": 3 * i if i % 5 == 0 else 3 * i - 2, "as_of": last, "computed_at": last,
    }  # fmt: skip


def sla_row(s: Shape, i: int) -> dict[str, Any]:
    at = s.ticket_at(i)
    return {
        "id": i, "ticket_id": i, "metric": "first_response", "policy_id": "bench",
        "policy_version": 1, "calendar_id": "24x7", "target_minutes": 240, "started_at": at,
        "due_at": at + dt.timedelta(hours=4), "next_action_at": at + dt.timedelta(hours=3),
    }  # fmt: skip


TEAM_IDS: list[int] = []
AGENT_ID: int | None = None


class Loader:
    def __init__(self, shape: Shape) -> None:
        from django.db import connection

        self.shape = shape
        self.conn = connection
        self.pg = connection.vendor == "postgresql"
        with connection.cursor() as cursor:
            cursor.execute(
                "CREATE TABLE IF NOT EXISTS bench_bigdb_index "
                "(tbl varchar(100), name varchar(200), ddl text, PRIMARY KEY (tbl, name))"
            )

    def _query(self, sql: str, params: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
        with self.conn.cursor() as cursor:
            cursor.execute(sql, params)
            return list(cursor.fetchall()) if cursor.description else []

    def _secondary_indexes(self, table: str) -> list[tuple[str, str]]:
        if self.pg:
            return [
                (str(name), str(ddl))
                for name, ddl in self._query(
                    "SELECT indexname, indexdef FROM pg_indexes WHERE tablename = %s "
                    "AND indexname NOT IN (SELECT conname FROM pg_constraint) "
                    "AND indexdef NOT LIKE 'CREATE UNIQUE%%'",
                    (table,),
                )
            ]
        return [
            (str(name), str(ddl))
            for name, ddl in self._query(
                "SELECT name, sql FROM sqlite_master WHERE type = 'index' AND tbl_name = %s "
                "AND sql IS NOT NULL AND sql NOT LIKE 'CREATE UNIQUE%%'",
                (table,),
            )
        ]

    def drop_indexes(self, table: str) -> None:
        for name, ddl in self._secondary_indexes(table):
            self._query(
                "INSERT INTO bench_bigdb_index (tbl, name, ddl) VALUES (%s, %s, %s) "
                "ON CONFLICT DO NOTHING",
                (table, name, ddl),
            )
            self._query(f'DROP INDEX "{name}"')
        if not self.pg:
            for (trigger,) in self._query(
                "SELECT name FROM sqlite_master WHERE type = 'trigger' AND tbl_name = %s "
                "AND name LIKE 'search_%%'",
                (table,),
            ):
                self._query(f'DROP TRIGGER "{trigger}"')

    def restore_indexes(self, table: str) -> None:
        if self.pg:
            self._query("SET maintenance_work_mem = '512MB'")
        for name, ddl in self._query(
            "SELECT name, ddl FROM bench_bigdb_index WHERE tbl = %s ORDER BY name", (table,)
        ):
            started = time.perf_counter()
            self._query(str(ddl).replace("CREATE INDEX ", "CREATE INDEX IF NOT EXISTS ", 1))
            self._query("DELETE FROM bench_bigdb_index WHERE tbl = %s AND name = %s", (table, name))
            print(f"    index {name}: {time.perf_counter() - started:.1f}s", flush=True)
        if self.pg:
            self._query(f"ANALYZE {table}")
            self._query(
                f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "
                f"(SELECT coalesce(max(id), 1) FROM {table}))"
            )

    def template(self, model: Any) -> tuple[list[str], dict[str, Any]]:
        columns, defaults = [], {}
        for field in model._meta.concrete_fields:
            columns.append(field.column)
            value = field.get_default() if not field.primary_key else None
            defaults[field.attname] = value
        return columns, defaults

    def _prep(self, value: Any) -> Any:
        if isinstance(value, (list, dict)):
            return json.dumps(value)
        if self.pg:
            return value
        if isinstance(value, dt.datetime):
            return value.astimezone(dt.UTC).replace(tzinfo=None).isoformat(" ")
        if isinstance(value, Decimal):
            return str(value)
        if isinstance(value, bool):
            return int(value)
        return value

    def load(
        self,
        model: Any,
        count: int,
        rows_of: Callable[[int], Iterator[dict[str, Any]]],
        done_key: Callable[[int], int] = lambda i: i,
    ) -> None:
        """Rows for keys 1..count; `rows_of(key)` yields the rows of one key and `done_key`
        maps the table's max id back to the last complete key (for resuming)."""
        from django.db import transaction

        table = model._meta.db_table
        started = time.perf_counter()
        (max_id,) = self._query(f"SELECT coalesce(max(id), 0) FROM {table}")[0]
        first = done_key(int(max_id)) + 1
        if first > count:
            self.restore_indexes(table)
            print(f"  {table}: complete ({max_id} max id)", flush=True)
            return
        self.drop_indexes(table)
        columns, defaults = self.template(model)
        attnames = [f.attname for f in model._meta.concrete_fields]
        column_list = ", ".join(f'"{c}"' for c in columns)
        for start in range(first, count + 1, CHUNK):
            stop = min(start + CHUNK, count + 1)
            batch = [
                tuple(self._prep(row.get(name, defaults[name])) for name in attnames)
                for key in range(start, stop)
                for row in rows_of(key)
            ]
            with transaction.atomic():
                if self.pg:
                    raw = self.conn.connection
                    with raw.cursor() as cursor:
                        cursor.execute("SET LOCAL session_replication_role = replica")
                        with cursor.copy(f"COPY {table} ({column_list}) FROM STDIN") as copy:
                            for row_values in batch:
                                copy.write_row(row_values)
                else:
                    marks = ", ".join(["?"] * len(columns))
                    raw = self.conn.connection
                    raw.executemany(f"INSERT INTO {table} ({column_list}) VALUES ({marks})", batch)
            rate = (stop - first) / max(time.perf_counter() - started, 1e-9)
            print(f"  {table}: {stop - 1}/{count} keys ({rate:,.0f}/s)", flush=True)
        self.restore_indexes(table)
        print(f"  {table}: done in {time.perf_counter() - started:.1f}s", flush=True)


def _fixtures() -> None:
    """Three teams and a bench agent who owns a tenth of the open tickets."""
    global AGENT_ID
    from django.contrib.auth import get_user_model

    from signaldesk.accounts.models import Team

    TEAM_IDS.clear()
    for slug, name in TEAMS:
        team, _ = Team.objects.get_or_create(slug=slug, defaults={"name": name})
        TEAM_IDS.append(int(team.pk))
    user, created = get_user_model().objects.get_or_create(
        username="bench-agent", defaults={"email": "bench-agent@example.com"}
    )
    if created:
        user.set_password("bench-Agent-pass-1!")
        user.save()
    AGENT_ID = int(user.pk)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--tickets", type=int, default=1_000_000)
    parser.add_argument("--db", default=os.environ.get("SIGNALDESK_DATABASE_URL", ""))
    args = parser.parse_args()
    if not args.db:
        parser.error("give --db or SIGNALDESK_DATABASE_URL")
    total = time.perf_counter()
    _setup(args.db)
    from django.apps import apps
    from django.core.management import call_command
    from django.db import connection

    step = time.perf_counter()
    call_command("migrate", verbosity=0)
    print(f"migrate: {time.perf_counter() - step:.1f}s", flush=True)
    _fixtures()
    s = Shape(args.tickets)
    loader = Loader(s)
    model = apps.get_model
    open_ids = [i for i in range(1, s.tickets + 1) if s.status(i) in ("new", "open", "pending")]
    plan: list[tuple[Any, int, Callable[[int], Iterator[dict[str, Any]]], Callable[[int], int]]]
    plan = [
        (model("commerce", "Customer"), s.customers, lambda c: iter([customer_row(s, c)]), int),
        (model("commerce", "CustomerIdentity"), s.customers,
         lambda c: iter([identity_row(s, c)]), int),
        (model("commerce", "Order"), s.orders, lambda o: iter([order_row(s, o)]), int),
        (model("tickets", "Ticket"), s.tickets, lambda i: iter([ticket_row(s, i)]), int),
        (model("tickets", "Message"), s.tickets, lambda i: messages_of(s, i),
         lambda m: (m + 2) // 3),
        (model("triage", "TicketEnrichment"), s.tickets,
         lambda i: iter([enrichment_row(s, i)]), int),
        (model("workflow", "SlaClock"), len(open_ids),
         lambda k: iter([sla_row(s, open_ids[k - 1]) | {"id": k}]), int),
    ]  # fmt: skip
    for table_model, count, rows_of, done_key in plan:
        loader.load(table_model, count, rows_of, done_key)
    if connection.vendor == "postgresql":
        step = time.perf_counter()
        with connection.cursor() as cursor:
            cursor.execute("VACUUM ANALYZE")  # visibility map: index-only scans skip the heap
        print(f"VACUUM ANALYZE: {time.perf_counter() - step:.1f}s", flush=True)
    if connection.vendor == "sqlite":
        from signaldesk.search.schema import search_schema_ensure

        step = time.perf_counter()
        repaired = search_schema_ensure(connection)
        print(f"FTS5 triggers + rebuild {repaired}: {time.perf_counter() - step:.1f}s")
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    print(f"total: {time.perf_counter() - total:.1f}s for {s.tickets:,} tickets", flush=True)


if __name__ == "__main__":
    main()
