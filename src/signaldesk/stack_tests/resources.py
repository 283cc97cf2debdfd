"""Databases and Redis for stack tests: a fresh database on the shared PostgreSQL, a private
PostgreSQL cluster (that a test may stop and start), and a locked, flushed Redis database."""

from __future__ import annotations

import contextlib
import fcntl
import glob
import os
import shutil
import subprocess
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import psycopg
import redis

from signaldesk.stack_tests.procs import wait_until

SHARED_PG_URL = os.environ.get(
    "SIGNALDESK_TEST_PG_URL", "postgres://postgres@127.0.0.1:5432/signaldesk"
)
REDIS_BASE = os.environ.get("SIGNALDESK_TEST_REDIS_URL", "redis://127.0.0.1:6379")


def with_database(url: str, name: str) -> str:
    parts = urlsplit(url)
    return urlunsplit((parts.scheme, parts.netloc, f"/{name}", parts.query, parts.fragment))


def _admin_connect(url: str) -> psycopg.Connection:
    return psycopg.connect(
        with_database(url, "postgres").replace("postgres://", "postgresql://", 1),
        autocommit=True,
        connect_timeout=5,
    )


@contextlib.contextmanager
def fresh_database(name: str, server_url: str = SHARED_PG_URL) -> Iterator[str]:
    """CREATE DATABASE `name` (dropped first if left over), yield its URL, DROP it after."""
    with _admin_connect(server_url) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{name}"')
    try:
        yield with_database(server_url, name)
    finally:
        with _admin_connect(server_url) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def query(url: str, sql: str, params: tuple[object, ...] | None = None) -> list[tuple[object, ...]]:
    with psycopg.connect(
        url.replace("postgres://", "postgresql://", 1), connect_timeout=5, autocommit=True
    ) as conn:
        cursor = conn.execute(sql, params)  # type: ignore[arg-type]
        return list(cursor.fetchall()) if cursor.description is not None else []


@contextlib.contextmanager
def redis_database(number: int, timeout: float = 300.0) -> Iterator[str]:
    """Exclusive use of Redis DB `number` on this machine (a file lock serialises concurrent
    stack runs by several engineers), flushed before and after."""
    lock_path = Path(tempfile.gettempdir()) / f"signaldesk-stack-redis-{number}.lock"
    with lock_path.open("w") as lock:
        deadline = time.monotonic() + timeout
        while True:
            try:
                fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except OSError:
                assert time.monotonic() < deadline, f"Redis DB {number} busy for {timeout}s"
                time.sleep(1)
        url = f"{REDIS_BASE}/{number}"
        client = redis.Redis.from_url(url)
        client.flushdb()
        try:
            yield url
        finally:
            client.flushdb()
            client.close()


def _pg_bin(tool: str) -> str:
    found = sorted(glob.glob(f"/usr/lib/postgresql/*/bin/{tool}"))
    assert found, f"PostgreSQL server binaries ({tool}) not found under /usr/lib/postgresql"
    return found[-1]


class PrivateCluster:
    """A throwaway PostgreSQL cluster in a temp dir, owned by the `postgres` OS user (initdb
    refuses root), listening on 127.0.0.1:`port` with trust auth. Start and stop it at will."""

    def __init__(self, port: int) -> None:
        self.port = port
        self.root = Path(tempfile.mkdtemp(prefix="signaldesk-pg-"))
        self.data = self.root / "data"
        self.socket_dir = self.root / "sock"
        self.log = self.root / "server.log"
        self.url = f"postgres://postgres@127.0.0.1:{port}/postgres"

    def _as_postgres(self, *args: str, timeout: float = 60.0) -> None:
        cmd = list(args)
        if os.geteuid() == 0:
            cmd = ["runuser", "-u", "postgres", "--", *cmd]
        done = subprocess.run(cmd, capture_output=True, timeout=timeout, check=False)
        output = (done.stdout + done.stderr).decode(errors="replace")
        assert done.returncode == 0, f"{' '.join(cmd)} failed:\n{output}"

    def init(self) -> None:
        self.socket_dir.mkdir()
        if os.geteuid() == 0:
            shutil.chown(self.root, "postgres")
            shutil.chown(self.socket_dir, "postgres")
        self._as_postgres(
            _pg_bin("initdb"),
            "-D",
            str(self.data),
            "-U",
            "postgres",
            "--auth=trust",
            "--no-sync",
            "-E",
            "UTF8",
        )

    def start(self) -> None:
        options = (
            f"-p {self.port} -k {self.socket_dir} -c listen_addresses=127.0.0.1 "
            "-c fsync=off -c synchronous_commit=off -c full_page_writes=off"
        )
        self._as_postgres(
            _pg_bin("pg_ctl"), "-D", str(self.data), "-l", str(self.log), "-o", options, "-w",
            "-t", "60", "start",
        )  # fmt: skip
        wait_until(self.accepting, timeout=60, what=f"private PostgreSQL on {self.port}")

    def stop(self) -> None:
        self._as_postgres(_pg_bin("pg_ctl"), "-D", str(self.data), "-m", "fast", "-w", "stop")

    def accepting(self) -> bool:
        try:
            with _admin_connect(self.url):
                return True
        except psycopg.OperationalError:
            return False

    def destroy(self) -> None:
        if (self.data / "postmaster.pid").exists():
            with contextlib.suppress(AssertionError, subprocess.TimeoutExpired):
                self._as_postgres(
                    _pg_bin("pg_ctl"), "-D", str(self.data), "-m", "immediate", "-w", "stop"
                )
        shutil.rmtree(self.root, ignore_errors=True)
