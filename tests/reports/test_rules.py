"""Pure report rules: periods, shares, verdict and capacity (with property tests)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bot.reports.period import parse_period, work_days_between
from bot.reports.rules import account_managers_needed, verdict
from bot.split import Split, split, whole_percentages

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


def test_work_days_between() -> None:
    assert work_days_between(date(2026, 11, 23), date(2026, 11, 29), (0, 1, 2, 3, 4)) == 5
    assert work_days_between(date(2026, 11, 1), date(2026, 11, 30), (0, 1, 2, 3, 4)) == 21
    assert work_days_between(date(2026, 11, 24), date(2026, 11, 23), (0,)) == 0


def test_verdict_thresholds_and_numbers() -> None:
    reps = [split({"farming": D(6), "hunting": D(2)}), split({"hunting": D(8)})]
    v = verdict(sum(reps, Split()), reps)
    assert v.label == "keep combined" and v.reps_over == 1 and v.reps_with_data == 2
    assert "37%" in v.reason or "38%" in v.reason
    assert verdict(split({"farming": D(4), "hunting": D(6)}), []).label == "consider separating"
    assert verdict(split({"farming": D(51), "hunting": D(49)}), []).label == "separate"
    assert verdict(split({"farming": D(50), "hunting": D(50)}), []).label == "consider separating"
    assert verdict(Split(), []).label == "no data"


def test_capacity_line() -> None:
    assert account_managers_needed(D(172), 7, 40) == D("4.3")
    assert account_managers_needed(D(344), 14, 40) == D("4.3")
    assert account_managers_needed(D(0), 0, 40) == D(0)


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


ORDER = {"no data": -1, "keep combined": 0, "consider separating": 1, "separate": 2}


@given(hours, hours, hours, st.integers(min_value=1, max_value=40).map(lambda q: D(q) / 4))
def test_verdict_is_monotone_in_farming(h: Decimal, f: Decimal, o: Decimal, more: Decimal) -> None:
    """More farming hours (all else equal) never gives a milder verdict."""
    before = verdict(split({"hunting": h, "farming": f, "other": o}), [])
    after = verdict(split({"hunting": h, "farming": f + more, "other": o}), [])
    assert ORDER[after.label] >= ORDER[before.label]
