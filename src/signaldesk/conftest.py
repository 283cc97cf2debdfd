"""Shared pytest fixtures. Tests talk to a real database (SQLite or PostgreSQL, chosen by
SIGNALDESK_DATABASE_URL) and to real servers on loopback; nothing of ours is mocked."""

from __future__ import annotations

import socket

import pytest

from signaldesk.core.audit import Actor


@pytest.fixture
def system_actor() -> Actor:
    return Actor.system("test")


@pytest.fixture(autouse=True)
def _block_non_loopback_network(monkeypatch: pytest.MonkeyPatch) -> None:
    """Tests may only talk to servers on this machine's loopback."""
    real_connect = socket.socket.connect

    def guarded_connect(self: socket.socket, address: object) -> object:
        host = address[0] if isinstance(address, tuple) else address
        if isinstance(host, str) and self.family in (socket.AF_INET, socket.AF_INET6):
            if not (host.startswith("127.") or host in {"::1", "localhost"}):
                raise OSError(f"network access outside loopback blocked in tests: {host}")
        return real_connect(self, address)  # type: ignore[arg-type]

    monkeypatch.setattr(socket.socket, "connect", guarded_connect)
