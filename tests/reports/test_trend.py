"""The trend: farming share per week or month, for the team and each rep, and its sparkline."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

from bot.reports.numbers import RepInput
from bot.reports.trend import block, month_buckets, sparkline, trend, week_buckets
from bot.split import Split

D = Decimal
TODAY = date(2026, 11, 25)  # a Wednesday


def test_week_buckets_run_monday_to_sunday_ending_with_this_week() -> None:
    weeks = week_buckets(TODAY, 3)
    assert weeks == (
        (date(2026, 11, 9), date(2026, 11, 15)),
        (date(2026, 11, 16), date(2026, 11, 22)),
        (date(2026, 11, 23), date(2026, 11, 29)),
    )
    assert week_buckets(TODAY, 0) == ()


def test_month_buckets_are_calendar_months() -> None:
    assert month_buckets(date(2026, 3, 31), 3) == (
        (date(2026, 1, 1), date(2026, 1, 31)),
        (date(2026, 2, 1), date(2026, 2, 28)),
        (date(2026, 3, 1), date(2026, 3, 31)),
    )
    assert month_buckets(date(2027, 1, 5), 2)[0] == (date(2026, 12, 1), date(2026, 12, 31))


def test_team_and_rep_shares_per_week() -> None:
    weeks = week_buckets(TODAY, 3)
    mon = weeks[0][0]

    def day(n: int, farming: int, hunting: int) -> tuple[date, Split]:
        return mon + timedelta(days=n), Split(hunting=D(hunting), farming=D(farming))

    ana = RepInput("A", "Ana", "hybrid", mon, (0, 1, 2, 3, 4), dict([day(0, 2, 6), day(7, 4, 4)]))
    # Ben: week 1 nothing; week 2 6 of 8 farming; week 3 a log today and one "tomorrow" (ignored)
    ben_days = dict([day(8, 6, 2), day(16, 8, 0), day(17, 8, 0)])
    ben = RepInput("B", "Ben", "hybrid", mon, (0, 1, 2, 3, 4), ben_days)
    t = trend([ana, ben], weeks, TODAY)
    # week 1: Ana 2/8 = 25%; week 2: Ana 4/8, Ben 6/8 → team 10/16 = 62.5%; week 3: Ben 8/8
    assert t.reps[0].shares == (D("0.25"), D("0.5"), None)
    assert t.reps[1].shares == (None, D("0.75"), D(1))
    assert t.team_shares == (D("0.25"), D("0.625"), D(1))
    assert t.team[2] == Split(farming=D(8))  # tomorrow's log does not count yet


def test_sparkline_is_readable_in_slack() -> None:
    shares = [D("0.48"), D("0.51"), None, D("0.555"), D(1), D(0)]
    assert sparkline(shares) == "`▄▅·▅█▁` 48% → 51% → – → 56% → 100% → 0%"
    assert sparkline([D("0.2")] * 10, last=8).count("20%") == 8  # the last eight weeks
    assert sparkline([]) == ""
    assert block(None) == "·" and block(D("0.999")) == "█" and block(D("0.124")) == "▁"
