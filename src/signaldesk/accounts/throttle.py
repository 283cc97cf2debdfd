"""Login throttling: after N failed sign-ins for one username from one IP address, that pair is
locked out for a window. Counts live in the default cache (Redis in production, per-process
memory on the embedded default), keyed by a digest so no username is stored in clear."""

from __future__ import annotations

import hashlib

from django.conf import settings
from django.core.cache import cache


def _key(*, username: str, ip: str) -> str:
    digest = hashlib.sha256(f"{username.strip().lower()}\x00{ip}".encode()).hexdigest()
    return f"login-failures:{digest}"


def login_is_locked(*, username: str, ip: str) -> bool:
    failures = cache.get(_key(username=username, ip=ip), 0)
    return int(failures) >= settings.SIGNALDESK_LOGIN_MAX_FAILURES


def login_failure_record(*, username: str, ip: str) -> int:
    """Count one failure; the window starts at the first failure and is not extended."""
    key = _key(username=username, ip=ip)
    if cache.add(key, 1, timeout=settings.SIGNALDESK_LOGIN_LOCKOUT_SECONDS):
        return 1
    try:
        return cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.add(key, 1, timeout=settings.SIGNALDESK_LOGIN_LOCKOUT_SECONDS)
        return 1


def login_failures_clear(*, username: str, ip: str) -> None:
    cache.delete(_key(username=username, ip=ip))
