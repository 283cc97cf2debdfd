"""Helpers for stack tests: real processes with captured logs, bounded waits, loopback HTTP."""

from __future__ import annotations

import contextlib
import http.client
import json
import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any

REPO = Path(__file__).resolve().parents[3]
ARTIFACTS = REPO / "artifacts" / "stack"
SIGNALDESK = str(Path(sys.executable).with_name("signaldesk"))


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def wait_until(
    predicate: Callable[[], Any], *, timeout: float, interval: float = 0.25, what: str = ""
) -> Any:
    """Poll until `predicate()` is truthy (returned); AssertionError after `timeout` seconds."""
    deadline = time.monotonic() + timeout
    last: Any = None
    while time.monotonic() < deadline:
        last = predicate()
        if last:
            return last
        time.sleep(interval)
    raise AssertionError(f"timed out after {timeout:.0f}s waiting for {what}; last={last!r}")


@dataclass
class Proc:
    name: str
    popen: subprocess.Popen[bytes]
    log_path: Path
    log: IO[bytes] = field(repr=False)

    def alive(self) -> bool:
        return self.popen.poll() is None

    def log_text(self) -> str:
        self.log.flush()
        return self.log_path.read_text(errors="replace")

    def stop(self, timeout: float = 20.0) -> int | None:
        """SIGTERM the process group (warm shutdown), SIGKILL after `timeout`."""
        if self.alive():
            with contextlib.suppress(ProcessLookupError):
                os.killpg(self.popen.pid, signal.SIGTERM)
            try:
                self.popen.wait(timeout)
            except subprocess.TimeoutExpired:
                with contextlib.suppress(ProcessLookupError):
                    os.killpg(self.popen.pid, signal.SIGKILL)
                self.popen.wait(10)
        # Children that outlived their parent (e.g. a killed worker's pool) go too.
        with contextlib.suppress(ProcessLookupError, PermissionError):
            os.killpg(self.popen.pid, signal.SIGKILL)
        self.log.close()
        return self.popen.returncode


class Processes:
    """Starts processes in their own session (so a group kill reaches all children) and stops
    every one of them, last started first, on exit."""

    def __init__(self, env: dict[str, str], prefix: str) -> None:
        self.env = env
        self.prefix = prefix
        self.procs: list[Proc] = []
        ARTIFACTS.mkdir(parents=True, exist_ok=True)

    def start(self, name: str, args: list[str]) -> Proc:
        log_path = ARTIFACTS / f"{self.prefix}-{name}.log"
        log = log_path.open("wb")
        popen = subprocess.Popen(
            args,
            env=self.env,
            cwd=self.env.get("SIGNALDESK_HOME", str(REPO)),
            stdin=subprocess.DEVNULL,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        proc = Proc(name=name, popen=popen, log_path=log_path, log=log)
        self.procs.append(proc)
        return proc

    def stop_all(self) -> None:
        for proc in reversed(self.procs):
            proc.stop()


@contextlib.contextmanager
def processes(env: dict[str, str], prefix: str) -> Iterator[Processes]:
    group = Processes(env, prefix)
    try:
        yield group
    finally:
        group.stop_all()


def run_cli(env: dict[str, str], *args: str, timeout: float = 120.0, stdin: str = "") -> str:
    """Run `signaldesk …` to completion; its output, or AssertionError with the output."""
    done = subprocess.run(
        [SIGNALDESK, *args],
        env=env,
        cwd=env.get("SIGNALDESK_HOME", str(REPO)),
        input=stdin.encode(),
        capture_output=True,
        timeout=timeout,
        check=False,
    )
    out = (done.stdout + done.stderr).decode(errors="replace")
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    with (ARTIFACTS / "cli.log").open("a") as log:
        log.write(f"$ signaldesk {' '.join(args)}  (exit {done.returncode})\n{out}\n")
    assert done.returncode == 0, f"signaldesk {' '.join(args)} failed:\n{out}"
    return done.stdout.decode()


@dataclass(frozen=True)
class Reply:
    status: int
    headers: dict[str, str]
    body: bytes

    def json(self) -> Any:
        return json.loads(self.body)


def http_request(
    port: int,
    method: str,
    path: str,
    *,
    payload: Any = None,
    headers: dict[str, str] | None = None,
    timeout: float = 15.0,
) -> Reply:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)
    try:
        body = None if payload is None else json.dumps(payload).encode()
        all_headers = {"Accept": "application/json", **(headers or {})}
        if body is not None:
            all_headers["Content-Type"] = "application/json"
        conn.request(method, path, body=body, headers=all_headers)
        response = conn.getresponse()
        return Reply(
            status=response.status,
            headers={k.lower(): v for k, v in response.getheaders()},
            body=response.read(),
        )
    finally:
        conn.close()


def wait_http_ok(port: int, path: str, *, proc: Proc, timeout: float = 60.0) -> None:
    """Wait until GET `path` answers 200; fail early (with the log) if the process died."""

    def ok() -> bool:
        assert proc.alive(), f"{proc.name} exited:\n{proc.log_text()[-4000:]}"
        try:
            return http_request(port, "GET", path, timeout=5).status == 200
        except OSError:
            return False

    wait_until(ok, timeout=timeout, interval=0.3, what=f"{proc.name} {path}")


def stack_env(**overrides: str) -> dict[str, str]:
    """The environment of a production-mode SignalDesk process, from this one minus SignalDesk
    and Django settings (which the caller gives)."""
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("SIGNALDESK_", "DJANGO_"))
    }
    env.update(
        {
            "DJANGO_SETTINGS_MODULE": "signaldesk.config.settings.production",
            "SIGNALDESK_SECRET_KEY": "stack-test-secret-" + "x" * 40,
            "SIGNALDESK_SECURE_COOKIES": "0",
            "SIGNALDESK_LOG_LEVEL": "INFO",
            "PYTHONUNBUFFERED": "1",
        }
    )
    env.update(overrides)
    return env


_TOKEN_SCRIPT = """
from django.contrib.auth import get_user_model
from signaldesk.accounts.services import api_token_create
from signaldesk.core.audit import Actor
user = get_user_model().objects.get(username="stackbot")
_token, key = api_token_create(
    user=user, name="stack test", scopes=["intake"], actor=Actor.system("stack-test")
)
print("KEY=" + key)
"""


def provision(env: dict[str, str]) -> str:
    """Migrate the database of `env`, create an agent with the real CLI and give it an intake
    API token; returns the bearer key."""
    run_cli(env, "migrate")
    run_cli({**env, "SIGNALDESK_PASSWORD": "stack-Test-pass-9!"}, "createuser", "stackbot",
            "--role", "agent", "--email", "stackbot@example.com")  # fmt: skip
    out = run_cli(env, "manage", "shell", "-c", _TOKEN_SCRIPT)
    keys = [line[4:] for line in out.splitlines() if line.startswith("KEY=")]
    assert len(keys) == 1, out
    return keys[0]


def message_payload(i: int, *, prefix: str, customers: int) -> dict[str, Any]:
    """Message `i` from one of `customers` customers, with a unique idempotency key."""
    n = i % customers
    return {
        "channel": "email",
        "customer": {"email": f"{prefix}-customer-{n}@example.com", "name": f"Customer {n}"},
        "subject": f"Order question {i}",
        "text": f"Hello, where is my parcel? My order arrived damaged (message {i}).",
        "idempotency_key": f"{prefix}-{i}",
    }
