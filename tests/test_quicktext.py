"""Reading hours: modal fields, plain words (with property tests), and the dates one may log."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bot.timecalc import check_log_date
from bot.timelog.modal_views import read_modal
from bot.timelog.parse import CategoryRef, HoursError, parse_hours, read_words
from bot.timelog.views import CATEGORY_BLOCK, HOURS_ACTION
from storage.repo import DEFAULT_CATEGORIES

CATS = [CategoryRef(k, label, aliases) for k, label, _kind, aliases in DEFAULT_CATEGORIES]
TODAY = date(2026, 11, 24)
D = Decimal


@pytest.mark.parametrize(
    ("text", "hours"),
    [
        ("2", D(2)),
        ("1.5", D("1.5")),
        ("1,5", D("1.5")),
        ("1:30", D("1.5")),
        ("2h", D(2)),
        ("2 hrs", D(2)),
        ("0.25", D("0.25")),
        ("1h30", D("1.5")),
        ("45m", D("0.75")),
        ("1:15h", D("1.25")),
        ("", D(0)),
        (None, D(0)),
        ("24", D(24)),
        (".75", D("0.75")),
    ],
)
def test_parse_hours_accepts_what_people_type(text: str | None, hours: Decimal) -> None:
    assert parse_hours(text) == hours


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("-1", "negative"),
        ("two", "isn't a number"),
        ("25", "more than 24"),
        ("1.1", "quarter hours"),
        ("1:70", "isn't a number"),
        ("nan", "isn't a number"),
        ("1e3", "isn't a number"),
        ("24.25", "more than 24"),
    ],
)
def test_parse_hours_explains_bad_values(text: str, reason: str) -> None:
    with pytest.raises(HoursError, match=reason):
        parse_hours(text)


def state(**fields: str | None) -> dict[str, Any]:
    """A submitted modal's state.values for these category fields."""
    return {CATEGORY_BLOCK.format(k): {HOURS_ACTION: {"value": v}} for k, v in fields.items()}


def test_modal_errors_are_keyed_by_field_and_total_is_checked() -> None:
    r = read_modal(state(prospecting="abc", admin="-2", account_service="3"), CATS)
    assert set(r.errors) == {"cat_prospecting", "cat_admin"}
    assert r.errors["cat_admin"] == "Hours can't be negative."
    r = read_modal(state(prospecting="12", account_service="13"), CATS)
    assert r.errors == {"cat_account_service": "These add up to 25 h — a day has at most 24."}
    r = read_modal(state(prospecting="2", account_growth="1:45", admin=None), CATS)
    assert r.errors == {} and r.hours == {"prospecting": D(2), "account_growth": D("1.75")}
    r = read_modal(state(prospecting="", admin="0"), CATS)
    assert list(r.errors) == ["cat_prospecting"] and "at least one" in r.errors["cat_prospecting"]


def test_check_log_date_window() -> None:
    assert check_log_date(TODAY, TODAY, 14) is None
    assert check_log_date(date(2026, 11, 10), TODAY, 14) is None
    assert "hasn't happened" in (check_log_date(date(2026, 11, 25), TODAY, 14) or "")
    assert "older than 14 days" in (check_log_date(date(2026, 11, 9), TODAY, 14) or "")
    assert check_log_date(None, TODAY, 14)


def test_read_words_spec_example() -> None:
    r = read_words("prospecting 2, meetings 1.5, accounts 4", CATS, TODAY)
    assert r.day == TODAY and r.unreadable == []
    assert r.hours == {"prospecting": D(2), "sales_meetings": D("1.5"), "account_service": D(4)}


def test_read_words_variants() -> None:
    r = read_words("Yesterday: 2h Prospecting; renewals 1:30 and ADMIN 0.5 hrs", CATS, TODAY)
    assert r.day == date(2026, 11, 23)
    assert r.hours == {"prospecting": D(2), "account_growth": D("1.5"), "admin": D("0.5")}
    r = read_words("2026-11-20 new business meetings 3", CATS, TODAY)
    assert r.day == date(2026, 11, 20) and r.hours == {"sales_meetings": D(3)}
    r = read_words("2 hrs internal, 1h of calls", CATS, TODAY)
    assert r.hours == {"admin": D(2), "prospecting": D(1)}
    assert read_words("day off", CATS, TODAY).day_off
    assert read_words("yesterday off", CATS, TODAY).day_off


def test_read_words_reports_the_parts_it_cannot_read() -> None:
    r = read_words("prospecting 2, golf 3, accounts lots", CATS, TODAY)
    assert r.hours == {"prospecting": D(2)}
    assert [u.part for u in r.unreadable] == ["golf 3", "accounts lots"]
    assert [u.part for u in read_words("thanks!", CATS, TODAY).unreadable] == ["thanks"]
    r = read_words("prospecting -2, accounts 1,5", CATS, TODAY)
    assert r.hours == {"account_service": D("1.5")}
    assert [(u.part, u.reason) for u in r.unreadable] == [
        ("prospecting -2", "Hours can't be negative.")
    ]


amounts = st.integers(min_value=1, max_value=24).map(lambda q: D(q) / 4)


@given(
    st.dictionaries(st.sampled_from(CATS), amounts, min_size=1, max_size=6),
    st.sampled_from(["{n} {h}", "{n}: {h}h", "{h} hrs {n}", "{n} {h} hours"]),
    st.sampled_from([", ", "; ", " and ", "\n"]),
)
def test_words_round_trip(entries: dict[CategoryRef, Decimal], shape: str, sep: str) -> None:
    """Formatting valid entries with any alias and reading them back gives the same hours."""
    parts = []
    for cat, hours in entries.items():
        name = cat.aliases[len(parts) % len(cat.aliases)] if cat.aliases else cat.key
        parts.append(shape.format(n=name, h=format(hours.normalize(), "f")))
    r = read_words(sep.join(parts), CATS, TODAY)
    assert r.unreadable == []
    assert r.hours == {cat.key: hours for cat, hours in entries.items()}


@given(st.text(max_size=200))
def test_words_never_raise_and_never_invent_hours(text: str) -> None:
    r = read_words(text, CATS, TODAY)
    assert all(v >= 0 for v in r.hours.values())
    assert all(v % D("0.25") == 0 for v in r.hours.values())
