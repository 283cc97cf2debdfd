"""The database objects behind full-text search, per vendor.

SQLite: FTS5 external-content tables kept in step by database triggers, so every writer
(services, importers' bulk inserts, raw SQL) is indexed without application code. PostgreSQL:
GIN indexes on to_tsvector('simple', …) expressions; selectors.py repeats the exact expressions
so the planner uses them.

Django rebuilds an SQLite table (new table, copy, drop, rename) for many schema changes, and the
drop takes the table's triggers with it. `search_schema_ensure` (run after every `migrate`, see
apps.py) recreates missing triggers and rebuilds the affected index."""

from __future__ import annotations

from django.db.backends.base.base import BaseDatabaseWrapper

# (fts table, source table, indexed columns)
SQLITE_TABLES = [
    ("search_ticket_fts", "tickets_ticket", ["subject"]),
    ("search_message_fts", "tickets_message", ["body_text"]),
    ("search_customer_fts", "commerce_customer", ["name", "email"]),
    ("search_identity_fts", "commerce_customeridentity", ["value"]),
]

PG_TICKET_VECTOR = "to_tsvector('simple'::regconfig, {t}subject)"
PG_MESSAGE_VECTOR = "to_tsvector('simple'::regconfig, left({t}body_text, 100000))"
PG_CUSTOMER_VECTOR = "to_tsvector('simple'::regconfig, {t}name || ' ' || {t}email)"
PG_IDENTITY_VECTOR = "to_tsvector('simple'::regconfig, {t}value)"
PG_INDEXES = [
    ("search_ticket_fts_gin", "tickets_ticket", PG_TICKET_VECTOR),
    ("search_message_fts_gin", "tickets_message", PG_MESSAGE_VECTOR),
    ("search_customer_fts_gin", "commerce_customer", PG_CUSTOMER_VECTOR),
    ("search_identity_fts_gin", "commerce_customeridentity", PG_IDENTITY_VECTOR),
]


def sqlite_triggers(fts: str, source: str, columns: list[str]) -> dict[str, str]:
    cols = ", ".join(columns)
    new = ", ".join(f"new.{c}" for c in columns)
    old = ", ".join(f"old.{c}" for c in columns)
    delete = f"INSERT INTO {fts}({fts}, rowid, {cols}) VALUES ('delete', old.id, {old});"
    insert = f"INSERT INTO {fts}(rowid, {cols}) VALUES (new.id, {new});"
    return {
        f"{fts}_ai": f"AFTER INSERT ON {source} BEGIN {insert} END",
        f"{fts}_ad": f"AFTER DELETE ON {source} BEGIN {delete} END",
        f"{fts}_au": f"AFTER UPDATE OF {cols} ON {source} BEGIN {delete} {insert} END",
    }


def sqlite_forward() -> list[str]:
    statements = []
    for fts, source, columns in SQLITE_TABLES:
        statements.append(
            f"CREATE VIRTUAL TABLE IF NOT EXISTS {fts} USING fts5({', '.join(columns)}, "
            f"content='{source}', content_rowid='id', tokenize='unicode61 remove_diacritics 2')"
        )
        for name, body in sqlite_triggers(fts, source, columns).items():
            statements.append(f"CREATE TRIGGER IF NOT EXISTS {name} {body}")
        statements.append(f"INSERT INTO {fts}({fts}) VALUES ('rebuild')")
    return statements


def sqlite_backward() -> list[str]:
    statements = []
    for fts, _source, _columns in SQLITE_TABLES:
        statements += [f"DROP TRIGGER IF EXISTS {fts}_{s}" for s in ("ai", "ad", "au")]
        statements.append(f"DROP TABLE IF EXISTS {fts}")
    return statements


def pg_forward() -> list[str]:
    return [
        f"CREATE INDEX IF NOT EXISTS {name} ON {table} USING gin (({expr.format(t='')}))"
        for name, table, expr in PG_INDEXES
    ]


def pg_backward() -> list[str]:
    return [f"DROP INDEX IF EXISTS {name}" for name, _table, _expr in PG_INDEXES]


def search_schema_ensure(connection: BaseDatabaseWrapper) -> list[str]:
    """SQLite only: recreate triggers a table rebuild dropped, and rebuild those indexes.
    Returns the FTS tables that were repaired."""
    if connection.vendor != "sqlite":
        return []
    with connection.cursor() as cursor:
        cursor.execute("SELECT name FROM sqlite_master WHERE type IN ('table', 'trigger')")
        existing = {row[0] for row in cursor.fetchall()}
        if "search_ticket_fts" not in existing:
            return []  # the search migration has not run yet
        repaired = []
        for fts, source, columns in SQLITE_TABLES:
            triggers = sqlite_triggers(fts, source, columns)
            missing = [name for name in triggers if name not in existing]
            for name in missing:
                cursor.execute(f"CREATE TRIGGER {name} {triggers[name]}")
            if missing:
                cursor.execute(f"INSERT INTO {fts}({fts}) VALUES ('rebuild')")
                repaired.append(fts)
    return repaired
