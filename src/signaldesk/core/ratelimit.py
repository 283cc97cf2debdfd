"""Fixed-window rate limits for public endpoints (self-service, survey answers, inbound webhooks).

Counts live in the default cache (Redis in production, per-process memory on the embedded
default), keyed by scope and a digest of the caller key (an IP address, a token), so nothing
personal is stored in clear. Limits come from settings `SIGNALDESK_RATE_LIMITS`:
`{"scope": (requests, window_seconds)}`; an unknown scope is a programming error.

Use: `rate_limit_check(scope="selfservice", key=client_ip(request), now=timezone.now())`
raises `RateLimited` (HTTP 429 with Retry-After through the API's error handler, or
`rate_limited_response()` in a plain Django view)."""

from __future__ import annotations

import datetime as dt
import hashlib

from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest, JsonResponse

from signaldesk.core.errors import RateLimited


def rate_limit(scope: str) -> tuple[int, int]:
    """(requests allowed, window in seconds) for a scope."""
    limits: dict[str, tuple[int, int]] = settings.SIGNALDESK_RATE_LIMITS
    if scope not in limits:
        raise KeyError(f"no rate limit configured for scope {scope!r}")
    requests, window = limits[scope]
    return int(requests), int(window)


def client_ip(request: HttpRequest) -> str:
    """The caller's address. Behind a proxy, set SIGNALDESK_TRUSTED_PROXY_HEADER (e.g.
    HTTP_X_FORWARDED_FOR) and the first address of that header is used."""
    header = getattr(settings, "SIGNALDESK_TRUSTED_PROXY_HEADER", "")
    if header and request.META.get(header):
        return str(request.META[header]).split(",")[0].strip()
    return str(request.META.get("REMOTE_ADDR", "unknown"))


def rate_limit_check(*, scope: str, key: str, now: dt.datetime) -> int:
    """Count one request; return how many remain in this window, or raise RateLimited."""
    allowed, window = rate_limit(scope)
    epoch = int(now.timestamp())
    window_start = epoch - epoch % window
    digest = hashlib.sha256(f"{scope}\x00{key}".encode()).hexdigest()[:32]
    cache_key = f"ratelimit:{scope}:{window_start}:{digest}"
    if cache.add(cache_key, 1, timeout=window + 1):
        count = 1
    else:
        try:
            count = int(cache.incr(cache_key))
        except ValueError:  # expired between add and incr
            cache.add(cache_key, 1, timeout=window + 1)
            count = 1
    if count > allowed:
        retry_after = max(1, window_start + window - epoch)
        raise RateLimited(
            f"Too many requests: at most {allowed} per {window} s. Retry in {retry_after} s.",
            retry_after=retry_after,
        )
    return allowed - count


def rate_limited_response(exc: RateLimited) -> JsonResponse:
    """The 429 body and Retry-After header for plain Django views (the API adds the same)."""
    response = JsonResponse({"detail": exc.detail, "code": exc.code}, status=429)
    response["Retry-After"] = str(exc.retry_after)
    return response
