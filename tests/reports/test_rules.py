"""Pure report rules: periods, shares, and the rule of thumb (with property tests)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bot.reports.period import parse_period, parse_trend
from bot.reports.verdict import leaning
from bot.split import split, whole_percentages

TODAY = date(2026, 11, 24)  # a Tuesday
D = Decimal


@pytest.mark.parametrize(
    ("text", "first", "last"),
    [
        (None, date(2026, 11, 23), date(2026, 11, 29)),
        ("this-week", date(2026, 11, 23), date(2026, 11, 29)),
        ("last-week", date(2026, 11, 16), date(2026, 11, 22)),
        ("this-month", date(2026, 11, 1), date(2026, 11, 30)),
        ("last-month", date(2026, 10, 1), date(2026, 10, 31)),
        ("30d", date(2026, 10, 26), date(2026, 11, 24)),
        ("2026-02-01..2026-02-28", date(2026, 2, 1), date(2026, 2, 28)),
    ],
)
def test_periods(text: str | None, first: date, last: date) -> None:
    p = parse_period(text, TODAY)
    assert (p.first, p.last) == (first, last)


@pytest.mark.parametrize(
    ("text", "needle"),
    [
        ("fortnight", "isn't a period"),
        ("0d", "1 to"),
        ("2026-02-30..2026-03-01", "doesn't exist"),
        ("2026-03-01..2026-02-01", "ends before"),
    ],
)
def test_bad_periods_explain(text: str, needle: str) -> None:
    with pytest.raises(ValueError, match=needle):
        parse_period(text, TODAY)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("", (8, "week")),
        ("12 weeks", (12, "week")),
        ("6m", (6, "month")),
        ("3 MONTHS", (3, "month")),
    ],
)
def test_trend_lengths(text: str, expected: tuple[int, str]) -> None:
    assert parse_trend(text) == expected


@pytest.mark.parametrize(
    ("text", "needle"), [("1 week", "2 to 52"), ("30 months", "2 to 24"), ("soon", "isn't")]
)
def test_bad_trend_lengths_explain(text: str, needle: str) -> None:
    with pytest.raises(ValueError, match=needle):
        parse_trend(text)


def test_rule_of_thumb_thresholds() -> None:
    assert leaning(D(6), D(8)) == "separate"  # 75%
    assert leaning(D(4), D(10)) == "consider separating"  # 40% exactly
    assert leaning(D(51), D(100)) == "separate"
    assert leaning(D(50), D(100)) == "consider separating"  # 50% is not over the line
    assert leaning(D(39), D(100)) == "keep combined"
    assert leaning(D(0), D(0)) is None


hours = st.integers(min_value=0, max_value=400).map(lambda q: D(q) / 4)


@given(hours, hours, hours)
def test_shares_sum_to_100(h: Decimal, f: Decimal, o: Decimal) -> None:
    s = split({"hunting": h, "farming": f, "other": o})
    pct = whole_percentages(s)
    if s.total == 0:
        assert pct is None and s.share("farming") is None
    else:
        assert pct is not None and sum(pct.values()) == 100
        total = sum((s.share(k) or 0) for k in ("hunting", "farming", "other"))
        assert abs(total - 1) < D("1e-20")


ORDER = {None: -1, "keep combined": 0, "consider separating": 1, "separate": 2}


@given(hours, hours, hours, st.integers(min_value=1, max_value=40).map(lambda q: D(q) / 4))
def test_rule_of_thumb_is_monotone_in_farming(
    h: Decimal, f: Decimal, o: Decimal, more: Decimal
) -> None:
    """More farming hours (all else equal) never gives a milder leaning."""
    assert ORDER[leaning(f + more, h + f + more + o)] >= ORDER[leaning(f, h + f + o)]
