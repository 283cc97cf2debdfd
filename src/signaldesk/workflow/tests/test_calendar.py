"""Business-hours arithmetic: weekends, holidays, DST, calendar time zone vs UTC storage."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from signaldesk.workflow.calendar import (
    BusinessCalendar,
    add_business_minutes,
    business_minutes_between,
    business_seconds_between,
    check_intervals,
    parse_interval,
)

BERLIN = ZoneInfo("Europe/Berlin")
UTC = dt.UTC
NINE_SIX = ((dt.time(9), dt.time(18)),)
OFFICE = BusinessCalendar(
    id="berlin_office",
    time_zone="Europe/Berlin",
    hours={**dict.fromkeys(range(5), NINE_SIX), 5: ((dt.time(10), dt.time(14)),)},
    holidays=frozenset({dt.date(2026, 5, 1), dt.date(2026, 12, 25)}),
)
ALWAYS_BERLIN = BusinessCalendar(id="always", time_zone="Europe/Berlin", always_open=True)
SUNDAYS = BusinessCalendar(
    id="sundays", time_zone="Europe/Berlin", hours={6: ((dt.time(0), None),)}
)
NEW_YORK = BusinessCalendar(
    id="ny", time_zone="America/New_York", hours=dict.fromkeys(range(5), NINE_SIX)
)


def berlin(*args: int) -> dt.datetime:
    return dt.datetime(*args, tzinfo=BERLIN)  # type: ignore[misc]


def utc(*args: int) -> dt.datetime:
    return dt.datetime(*args, tzinfo=UTC)  # type: ignore[misc]


@pytest.mark.parametrize(
    ("start", "minutes", "expected"),
    [
        # inside hours, same day (CET = UTC+1)
        (berlin(2026, 3, 2, 10, 0), 30, utc(2026, 3, 2, 9, 30)),
        # before opening: counting starts at 09:00
        (berlin(2026, 3, 2, 7, 0), 30, utc(2026, 3, 2, 8, 30)),
        # after closing: next morning
        (berlin(2026, 3, 2, 19, 0), 30, utc(2026, 3, 3, 8, 30)),
        # runs out exactly at closing: the closing instant, not the next opening
        (berlin(2026, 3, 2, 17, 0), 60, utc(2026, 3, 2, 17, 0)),
        # Friday 17:00 + 5h = 1h Friday + 4h Saturday -> Saturday 14:00 (closing)
        (berlin(2026, 3, 6, 17, 0), 300, utc(2026, 3, 7, 13, 0)),
        # one minute more skips Sunday -> Monday 09:01
        (berlin(2026, 3, 6, 17, 0), 301, utc(2026, 3, 9, 8, 1)),
        # Saturday afternoon, after closing -> Monday
        (berlin(2026, 3, 7, 15, 0), 60, utc(2026, 3, 9, 9, 0)),
        # holiday (Fri 1 May): Thursday 17:30 + 1h -> Saturday 10:30 CEST
        (berlin(2026, 4, 30, 17, 30), 60, utc(2026, 5, 2, 8, 30)),
        # over the spring-forward weekend: Sat 13:00 CET + 2h -> Mon 10:00 CEST (08:00 UTC)
        (berlin(2026, 3, 28, 13, 0), 120, utc(2026, 3, 30, 8, 0)),
        # over the fall-back weekend: Sat 13:00 CEST + 2h -> Mon 10:00 CET (09:00 UTC)
        (berlin(2026, 10, 24, 13, 0), 120, utc(2026, 10, 26, 9, 0)),
        # a start given in UTC is read in the calendar's zone: 07:30 UTC = 08:30 CET
        (utc(2026, 3, 2, 7, 30), 60, utc(2026, 3, 2, 9, 0)),
        # several days: Mon 09:00 + 3 full days (3 x 540) -> Wed 18:00
        (berlin(2026, 3, 2, 9, 0), 1620, utc(2026, 3, 4, 17, 0)),
        # zero minutes: the start itself, even outside hours
        (berlin(2026, 3, 8, 12, 0), 0, utc(2026, 3, 8, 11, 0)),
    ],
)
def test_add_business_minutes_office(
    start: dt.datetime, minutes: int, expected: dt.datetime
) -> None:
    result = add_business_minutes(start, minutes, OFFICE)
    assert result == expected
    assert result.tzinfo is UTC


@pytest.mark.parametrize(
    ("a", "b", "expected"),
    [
        (berlin(2026, 3, 2, 10, 0), berlin(2026, 3, 3, 10, 0), 540),
        # Fri 12:00 -> Mon 12:00: 6h + 4h (Sat) + 3h
        (berlin(2026, 3, 6, 12, 0), berlin(2026, 3, 9, 12, 0), 780),
        # across the 1 May holiday: Thu 17:00 -> Mon 10:00 = 1h + 4h (Sat) + 1h
        (berlin(2026, 4, 30, 17, 0), berlin(2026, 5, 4, 10, 0), 360),
        # Sunday only -> nothing
        (berlin(2026, 3, 8, 0, 0), berlin(2026, 3, 8, 23, 59), 0),
        # b before a -> 0
        (berlin(2026, 3, 3, 10, 0), berlin(2026, 3, 2, 10, 0), 0),
        # seconds are rounded down to whole minutes
        (berlin(2026, 3, 2, 10, 0), berlin(2026, 3, 2, 10, 0, 59), 0),
        # one full week: 5 x 540 + 240
        (berlin(2026, 3, 2, 0, 0), berlin(2026, 3, 9, 0, 0), 2940),
    ],
)
def test_business_minutes_between_office(a: dt.datetime, b: dt.datetime, expected: int) -> None:
    assert business_minutes_between(a, b, OFFICE) == expected


def test_local_day_length_follows_dst() -> None:
    """A calendar open all of Sunday: the spring-forward Sunday has 23 hours, fall-back 25."""
    assert business_minutes_between(berlin(2026, 3, 29), berlin(2026, 3, 30), SUNDAYS) == 1380
    assert business_minutes_between(berlin(2026, 10, 25), berlin(2026, 10, 26), SUNDAYS) == 1500
    assert add_business_minutes(berlin(2026, 3, 29), 1380, SUNDAYS) == utc(2026, 3, 29, 22, 0)


def test_always_open_counts_real_elapsed_time_across_dst() -> None:
    start = berlin(2026, 3, 28, 12, 0)  # 11:00 UTC
    assert add_business_minutes(start, 24 * 60, ALWAYS_BERLIN) == utc(2026, 3, 29, 11, 0)
    assert business_minutes_between(start, berlin(2026, 3, 29, 12, 0), ALWAYS_BERLIN) == 1380


def test_calendar_time_zone_other_than_berlin() -> None:
    """New York hours: EST (UTC-5) before 8 March 2026, EDT (UTC-4) after; Berlin is still CET."""
    assert add_business_minutes(utc(2026, 3, 2, 13, 0), 60, NEW_YORK) == utc(2026, 3, 2, 15, 0)
    assert add_business_minutes(utc(2026, 3, 10, 13, 0), 60, NEW_YORK) == utc(2026, 3, 10, 14, 0)
    # Friday 17:30 EST + 60 -> 30 min Friday, Monday 09:30 EDT (the clocks changed on Sunday)
    assert add_business_minutes(utc(2026, 3, 6, 22, 30), 60, NEW_YORK) == utc(2026, 3, 9, 13, 30)


def test_naive_datetimes_are_refused() -> None:
    with pytest.raises(ValueError, match="timezone-aware"):
        add_business_minutes(dt.datetime(2026, 3, 2, 10, 0), 5, OFFICE)
    with pytest.raises(ValueError, match="timezone-aware"):
        business_minutes_between(utc(2026, 3, 2), dt.datetime(2026, 3, 3), OFFICE)


def test_negative_minutes_are_refused() -> None:
    with pytest.raises(ValueError, match="must not be negative"):
        add_business_minutes(utc(2026, 3, 2), -1, OFFICE)


def test_a_calendar_without_hours_is_refused() -> None:
    with pytest.raises(ValueError, match="has no opening hours"):
        BusinessCalendar(id="closed", hours={})


def test_parse_interval() -> None:
    assert parse_interval("09:00-18:00") == (dt.time(9), dt.time(18))
    assert parse_interval("00:00-24:00") == (dt.time(0), None)
    with pytest.raises(ValueError, match="ends before it starts"):
        parse_interval("18:00-09:00")
    with pytest.raises(ValueError, match="is not HH:MM-HH:MM"):
        parse_interval("9 to 5")


def test_check_intervals_sorts_and_refuses_overlap() -> None:
    assert check_intervals([(dt.time(14), dt.time(18)), (dt.time(9), dt.time(12))]) == (
        (dt.time(9), dt.time(12)),
        (dt.time(14), dt.time(18)),
    )
    with pytest.raises(ValueError, match="overlap"):
        check_intervals([(dt.time(9), dt.time(13)), (dt.time(12), dt.time(18))])


@settings(max_examples=300, deadline=None)
@given(
    start=st.datetimes(
        min_value=dt.datetime(2026, 1, 1),
        max_value=dt.datetime(2027, 1, 1),
        timezones=st.just(UTC),
    ),
    minutes=st.integers(min_value=0, max_value=20_000),
)
def test_adding_then_counting_gives_the_same_minutes(start: dt.datetime, minutes: int) -> None:
    for calendar in (OFFICE, ALWAYS_BERLIN, NEW_YORK):
        end = add_business_minutes(start, minutes, calendar)
        assert business_seconds_between(start, end, calendar) == minutes * 60
