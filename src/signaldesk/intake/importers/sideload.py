"""Sideloaded Zendesk users kept out of memory: a private temporary SQLite file (deleted on
close) indexed by user id, filled during the validation pass and read per chunk for the users
that chunk mentions. Memory stays flat however many users the export carries."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable

User = tuple[str, str, str, str]  # email (lower-case), name, phone, role

BATCH = 5000
PER_QUERY = 900  # below SQLite's smallest bound-parameter limit


class UserStore:
    def __init__(self) -> None:
        # "" = a private temporary on-disk database, removed when the connection closes
        self._db = sqlite3.connect("", isolation_level=None, check_same_thread=False)
        for pragma in ("journal_mode = OFF", "synchronous = OFF", "cache_size = -4000"):
            self._db.execute(f"PRAGMA {pragma}")
        self._db.execute(
            "CREATE TABLE users (id TEXT PRIMARY KEY, email TEXT, name TEXT, phone TEXT,"
            " role TEXT) WITHOUT ROWID"
        )
        self._pending: list[tuple[str, str, str, str, str]] = []
        self.count = 0

    def add(self, uid: str, user: User) -> None:
        self._pending.append((uid, *user))
        if len(self._pending) >= BATCH:
            self.flush()

    def flush(self) -> None:
        if self._pending:
            # a user listed twice: the later entry wins, as a dict would have it
            self._db.execute("BEGIN")
            self._db.executemany(
                "INSERT OR REPLACE INTO users VALUES (?, ?, ?, ?, ?)", self._pending
            )
            self._db.execute("COMMIT")
            self.count += len(self._pending)
            self._pending = []

    def lookup(self, ids: Iterable[str]) -> dict[str, User]:
        """user id -> user for the given ids that were sideloaded."""
        if not self.count:
            return {}
        wanted = [i for i in set(ids) if i]
        out: dict[str, User] = {}
        for start in range(0, len(wanted), PER_QUERY):
            part = wanted[start : start + PER_QUERY]
            marks = ", ".join("?" * len(part))
            sql = f"SELECT id, email, name, phone, role FROM users WHERE id IN ({marks})"
            for uid, email, name, phone, role in self._db.execute(sql, part):
                out[uid] = (email, name, phone, role)
        return out

    def close(self) -> None:
        self._db.close()
