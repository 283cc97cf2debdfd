from __future__ import annotations

import datetime as dt

import pytest
from django.core.cache import cache
from django.test import override_settings

from signaldesk.core.errors import RateLimited
from signaldesk.core.ratelimit import rate_limit_check

NOW = dt.datetime(2026, 11, 2, 10, 0, 40, tzinfo=dt.UTC)


@pytest.fixture(autouse=True)
def _clear_cache() -> None:
    cache.clear()


@override_settings(SIGNALDESK_RATE_LIMITS={"probe": (3, 60)})
def test_allows_the_limit_then_refuses_with_seconds_to_the_next_window() -> None:
    remaining = [rate_limit_check(scope="probe", key="10.0.0.1", now=NOW) for _ in range(3)]
    with pytest.raises(RateLimited) as refused:
        rate_limit_check(scope="probe", key="10.0.0.1", now=NOW)
    assert remaining == [2, 1, 0]
    assert refused.value.retry_after == 20
    assert refused.value.status == 429


@override_settings(SIGNALDESK_RATE_LIMITS={"probe": (1, 60)})
def test_callers_and_windows_are_counted_apart() -> None:
    rate_limit_check(scope="probe", key="10.0.0.1", now=NOW)
    other_caller = rate_limit_check(scope="probe", key="10.0.0.2", now=NOW)
    next_window = rate_limit_check(
        scope="probe", key="10.0.0.1", now=NOW + dt.timedelta(seconds=20)
    )
    assert (other_caller, next_window) == (0, 0)


def test_an_unknown_scope_is_refused() -> None:
    with pytest.raises(KeyError):
        rate_limit_check(scope="nope", key="x", now=NOW)
