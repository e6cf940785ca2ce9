"""Work days, public holidays and away: the pure rules behind prompts and reports."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bot.calendar import (
    AWAY_EMOJI,
    HolidayCalendar,
    away_by_status,
    is_holiday,
    parse_holidays_setting,
    status_away,
    work_day_kind,
)

MON_FRI = (0, 1, 2, 3, 4)
MON = date(2026, 11, 30)
NOW = datetime(2026, 11, 30, 16, 0, tzinfo=UTC)


# ---------------------------------------------------------------- Slack status


@pytest.mark.parametrize(
    ("emoji", "text", "reason"),
    [
        (":palm_tree:", "Vacation", "Slack status: 🌴 Vacation"),
        (":palm_tree:", "", "Slack status: 🌴 Vacation"),
        (":airplane:", "", "Slack status: ✈️ Travelling"),
        (":face_with_thermometer:", "", "Slack status: 🤒 Out sick"),
        (":sick:", "feeling rough", "Slack status: 🤢 feeling rough"),
        ("", "On vacation until Monday", "Slack status: On vacation until Monday"),
        ("", "Holiday", "Slack status: Holiday"),
        ("", "on holidays in Spain", "Slack status: on holidays in Spain"),
        ("", "Out of office", "Slack status: Out of office"),
        ("", "out of the office this week", "Slack status: out of the office this week"),
        (":calendar:", "OOO", "Slack status: OOO"),
        ("", "ooo till 3 Dec", "Slack status: ooo till 3 Dec"),
        ("", "(OOO)", "Slack status: (OOO)"),
        ("", "Sick", "Slack status: Sick"),
        ("", "off sick today", "Slack status: off sick today"),
        ("", "On leave", "Slack status: On leave"),
        ("", "on parental leave", "Slack status: on parental leave"),
        ("", "Annual leave", "Slack status: Annual leave"),
        ("", "Leave", "Slack status: Leave"),
        ("", "Leave - back Monday", "Slack status: Leave - back Monday"),
        ("", "leave until 4 Jan", "Slack status: leave until 4 Jan"),
        ("", "PTO", "Slack status: PTO"),
        ("", "VACATION", "Slack status: VACATION"),
    ],
)
def test_away_statuses(emoji: str, text: str, reason: str) -> None:
    assert away_by_status(emoji, text) == reason


@pytest.mark.parametrize(
    ("emoji", "text"),
    [
        ("", ""),
        (":spiral_calendar_pad:", "In a meeting"),
        (":bus:", "Commuting"),
        ("", "cleave"),
        ("", "leaves the office at 5"),
        ("", "Please leave a message"),
        ("", "Leave me a note if urgent"),
        ("", "homesick but working"),
        ("", "Ooooh coffee"),
        ("", "holidaymaker season prep"),
        ("", "working from the office"),
        (":palm_treehouse:", "Focus time"),
    ],
)
def test_statuses_that_are_not_away(emoji: str, text: str) -> None:
    assert away_by_status(emoji, text) is None


def test_a_long_status_is_cut_in_the_reason() -> None:
    reason = away_by_status(":palm_tree:", "Vacation " + "x" * 200) or ""
    assert reason.startswith("Slack status: 🌴 Vacation") and len(reason) < 90
    assert reason.endswith("…")


def test_status_expiration() -> None:
    profile = {"status_emoji": ":palm_tree:", "status_text": "Vacation", "status_expiration": 0}
    assert status_away(profile, NOW) == "Slack status: 🌴 Vacation"  # 0: no expiry
    later = int((NOW + timedelta(hours=1)).timestamp())
    assert status_away({**profile, "status_expiration": later}, NOW) is not None
    earlier = int((NOW - timedelta(seconds=1)).timestamp())
    assert status_away({**profile, "status_expiration": earlier}, NOW) is None
    assert status_away({**profile, "status_expiration": int(NOW.timestamp())}, NOW) is None
    assert status_away({}, NOW) is None
    assert status_away({"status_text": "OOO", "status_expiration": "junk"}, NOW) == (
        "Slack status: OOO"
    )


@given(st.text(max_size=120), st.text(max_size=200))
def test_any_status_gives_a_reason_or_none_and_never_raises(emoji: str, text: str) -> None:
    reason = away_by_status(emoji, text)
    assert reason is None or (reason.startswith("Slack status:") and len(reason) < 100)


@given(st.sampled_from(sorted(AWAY_EMOJI)), st.text(max_size=100))
def test_an_away_emoji_is_away_whatever_the_text(name: str, text: str) -> None:
    assert away_by_status(f":{name}:", text) is not None


@given(st.text(max_size=100), st.integers(min_value=1, max_value=int(NOW.timestamp())))
def test_an_expired_status_is_never_away(text: str, expired: int) -> None:
    profile = {"status_emoji": ":palm_tree:", "status_text": text, "status_expiration": expired}
    assert status_away(profile, NOW) is None


# ---------------------------------------------------------------- public holidays


def test_holiday_setting_is_parsed_and_normalised() -> None:
    assert parse_holidays_setting("US") == HolidayCalendar("US")
    assert parse_holidays_setting(" gb-sct ") == HolidayCalendar("GB", "SCT")
    assert parse_holidays_setting("US-CA") == HolidayCalendar("US", "CA")
    assert parse_holidays_setting("GB-SCT").code == "GB-SCT"  # type: ignore[union-attr]
    assert parse_holidays_setting("") is None
    assert parse_holidays_setting(None) is None
    assert parse_holidays_setting("  ") is None


@pytest.mark.parametrize(
    ("value", "needle"),
    [
        ("XX", "“XX” isn't a country code"),
        ("United States", "isn't a country code"),
        ("1", "isn't a country code"),
        ("GB-ZZZ", "GB has no region “ZZZ” — use one of ENG, NIR, SCT, WLS"),
        ("GB-", "ends with “-”"),
        ("US-XX", "US has no region “XX”"),
    ],
)
def test_a_bad_holiday_setting_is_one_clear_line(value: str, needle: str) -> None:
    with pytest.raises(ValueError) as err:
        parse_holidays_setting(value)
    message = str(err.value)
    assert message.startswith("ROLESPLIT_HOLIDAYS: ") and needle in message
    assert "\n" not in message


def test_holidays_us_and_scotland_2026() -> None:
    us = parse_holidays_setting("US")
    assert is_holiday(us, date(2026, 12, 25)) == "Christmas Day"
    assert is_holiday(us, date(2026, 12, 24)) is None
    assert is_holiday(us, date(2026, 11, 26)) == "Thanksgiving Day"
    sct = parse_holidays_setting("GB-SCT")
    assert MON.weekday() == 0
    assert is_holiday(sct, MON) == "Saint Andrew's Day"  # 30 Nov 2026 is a Monday
    assert is_holiday(sct, date(2026, 1, 2)) == "New Year Holiday"
    eng = parse_holidays_setting("GB-ENG")
    assert is_holiday(eng, MON) is None and is_holiday(eng, date(2026, 1, 2)) is None
    assert is_holiday(None, date(2026, 12, 25)) is None


def test_holiday_names_are_english_where_the_library_has_them() -> None:
    assert is_holiday(parse_holidays_setting("DE"), date(2026, 10, 3)) == "German Unity Day"


@given(st.dates(min_value=date(2000, 1, 1), max_value=date(2040, 12, 31)))
def test_holiday_lookups_never_raise(day: date) -> None:
    for cal in (HolidayCalendar("US"), HolidayCalendar("GB", "SCT")):
        name = is_holiday(cal, day)
        assert name is None or (isinstance(name, str) and name)
    if (day.month, day.day) == (12, 25):
        assert is_holiday(HolidayCalendar("US"), day) is not None


# ---------------------------------------------------------------- the kind of a day


def test_work_day_kind() -> None:
    sat = date(2026, 11, 28)
    assert work_day_kind(MON, MON_FRI).kind == "work"
    assert work_day_kind(MON, MON_FRI).counts
    assert work_day_kind(sat, MON_FRI).kind == "off"
    assert not work_day_kind(sat, MON_FRI).counts
    # a non-work day stays off whatever else is true
    assert work_day_kind(sat, MON_FRI, paused_until=sat, holiday_name="x").kind == "off"
    paused = work_day_kind(MON, MON_FRI, paused_until=MON)
    assert (paused.kind, paused.reason) == ("away", "paused through Mon 30 Nov")
    assert work_day_kind(MON, MON_FRI, paused_until=MON - timedelta(days=1)).kind == "work"
    away = work_day_kind(MON, MON_FRI, away_until=date(2026, 12, 4))
    assert (away.kind, away.reason) == ("away", "away through Fri 4 Dec")
    assert not away.counts
    holiday = work_day_kind(MON, MON_FRI, holiday_name="Saint Andrew's Day")
    assert (holiday.kind, holiday.reason) == ("away", "public holiday: Saint Andrew's Day")
    status = work_day_kind(MON, MON_FRI, status_away="Slack status: 🌴 Vacation")
    assert (status.kind, status.reason) == ("away", "Slack status: 🌴 Vacation")
    assert work_day_kind(sat, (5,)).kind == "work"
    assert work_day_kind(MON, ()).kind == "off"


@given(
    st.dates(min_value=date(2020, 1, 1), max_value=date(2030, 12, 31)),
    st.frozensets(st.integers(min_value=0, max_value=6)),
    st.none() | st.dates(min_value=date(2020, 1, 1), max_value=date(2030, 12, 31)),
    st.none() | st.dates(min_value=date(2020, 1, 1), max_value=date(2030, 12, 31)),
    st.none() | st.text(min_size=1, max_size=20),
    st.none() | st.text(min_size=1, max_size=20),
)
def test_day_kind_rules(
    day: date,
    work_days: frozenset[int],
    paused: date | None,
    away: date | None,
    holiday: str | None,
    status: str | None,
) -> None:
    kind = work_day_kind(day, work_days, paused, away, holiday, status)
    if day.weekday() not in work_days:
        assert kind.kind == "off"
    elif (paused and day <= paused) or (away and day <= away) or holiday or status:
        assert kind.kind == "away" and kind.reason
    else:
        assert kind.kind == "work" and kind.reason == ""
    assert kind.counts == (kind.kind == "work")
