"""Prompt due times in real IANA zones, across DST changes and odd offsets."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bot.timecalc import due_prompt, local_datetime, local_today, week_start, zone

WEEK = (0, 1, 2, 3, 4)
AT = time(17, 30)


def utc(*args: int) -> datetime:
    return datetime(*args, tzinfo=UTC)


@pytest.mark.parametrize(
    ("tz", "day", "expected_utc"),
    [
        ("America/New_York", date(2026, 3, 6), utc(2026, 3, 6, 22, 30)),  # EST, before
        ("America/New_York", date(2026, 3, 9), utc(2026, 3, 9, 21, 30)),  # EDT, after
        ("America/New_York", date(2026, 10, 30), utc(2026, 10, 30, 21, 30)),  # EDT
        ("America/New_York", date(2026, 11, 2), utc(2026, 11, 2, 22, 30)),  # EST again
        ("Europe/London", date(2026, 3, 27), utc(2026, 3, 27, 17, 30)),  # GMT
        ("Europe/London", date(2026, 3, 30), utc(2026, 3, 30, 16, 30)),  # BST
        ("Asia/Kolkata", date(2026, 11, 24), utc(2026, 11, 24, 12, 0)),  # +05:30
        ("Asia/Kathmandu", date(2026, 11, 24), utc(2026, 11, 24, 11, 45)),  # +05:45
        ("Pacific/Auckland", date(2026, 11, 24), utc(2026, 11, 24, 4, 30)),  # +13 (NZDT)
    ],
)
def test_prompt_is_due_at_local_time(tz: str, day: date, expected_utc: datetime) -> None:
    due = due_prompt(expected_utc, tz, AT, WEEK, 240)
    assert due is not None and due.local_date == day and due.due_at == expected_utc
    assert due_prompt(expected_utc - timedelta(minutes=1), tz, AT, WEEK, 240) is None


def test_auckland_local_date_is_ahead_of_utc() -> None:
    # 04:30 UTC Tuesday is 17:30 Tuesday in Auckland, while it is still Monday in New York.
    now = utc(2026, 11, 24, 4, 30)
    assert local_today(now, "Pacific/Auckland") == date(2026, 11, 24)
    assert local_today(now, "America/New_York") == date(2026, 11, 23)


def test_window_is_cut_at_local_midnight() -> None:
    late = time(22, 30)
    tz = "Europe/London"
    assert due_prompt(utc(2026, 11, 24, 23, 59), tz, late, WEEK, 240) is not None
    assert due_prompt(utc(2026, 11, 25, 0, 0), tz, late, WEEK, 240) is None


def test_window_end_skips_stale_prompts() -> None:
    tz = "Europe/London"
    assert due_prompt(utc(2026, 11, 24, 21, 29), tz, AT, WEEK, 240) is not None
    assert due_prompt(utc(2026, 11, 24, 21, 30), tz, AT, WEEK, 240) is None


def test_weekends_and_pauses_have_no_prompt() -> None:
    saturday = utc(2026, 11, 28, 17, 45)
    assert due_prompt(saturday, "UTC", AT, WEEK, 240) is None
    tuesday = utc(2026, 11, 24, 17, 45)
    assert due_prompt(tuesday, "UTC", AT, WEEK, 240, paused_until=date(2026, 11, 24)) is None
    assert due_prompt(tuesday, "UTC", AT, WEEK, 240, paused_until=date(2026, 11, 23)) is not None


def test_time_in_a_spring_forward_gap_moves_past_the_gap() -> None:
    # 02:30 does not exist in New York on 2026-03-08; it becomes 03:30 EDT = 07:30 UTC.
    assert local_datetime(date(2026, 3, 8), time(2, 30), zone("America/New_York")) == utc(
        2026, 3, 8, 7, 30
    )


def test_ambiguous_fall_back_time_uses_the_first_occurrence() -> None:
    # 01:30 happens twice in New York on 2026-11-01; the first is EDT (05:30 UTC).
    assert local_datetime(date(2026, 11, 1), time(1, 30), zone("America/New_York")) == utc(
        2026, 11, 1, 5, 30
    )


def test_unknown_zone_falls_back_to_utc() -> None:
    assert zone("Mars/Base").key == "UTC"


@given(
    st.datetimes(min_value=datetime(2020, 1, 1), max_value=datetime(2035, 1, 1)),
    st.sampled_from(
        [
            "America/New_York",
            "Europe/London",
            "Asia/Kathmandu",
            "Pacific/Auckland",
            "Australia/Lord_Howe",
            "UTC",
        ]
    ),
)
def test_a_due_prompt_is_always_for_todays_local_date_and_before_midnight(
    naive: datetime, tz: str
) -> None:
    now = naive.replace(tzinfo=UTC)
    due = due_prompt(now, tz, AT, (0, 1, 2, 3, 4, 5, 6), 600)
    if due is not None:
        assert due.local_date == local_today(now, tz)
        assert due.due_at <= now < due.until
        assert due.until.astimezone(zone(tz)).date() <= due.local_date + timedelta(days=1)
    assert week_start(local_today(now, tz)).weekday() == 0
