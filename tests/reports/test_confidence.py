"""How sure: the jackknife-t interval, Student's t, the "more days" estimate, the texts."""

from __future__ import annotations

import math
from decimal import Decimal

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from bot.reports.confidence import Interval, farming_interval, more_days_for_interval, t95
from bot.reports.verdict import category_definitions, decide, percent_bounds, percent_text
from bot.split import Split

D = Decimal


def t_cdf(x: float, df: int, steps: int = 4000) -> float:
    """Student's t distribution function at x > 0, by Simpson's rule on the density."""
    c = math.exp(math.lgamma((df + 1) / 2) - math.lgamma(df / 2)) / math.sqrt(df * math.pi)
    h = x / steps
    total = 0.0
    for i in range(steps + 1):
        weight = 1 if i in (0, steps) else 4 if i % 2 else 2
        total += weight * c * (1 + (i * h) ** 2 / df) ** (-(df + 1) / 2)
    return 0.5 + total * h / 3


@pytest.mark.parametrize("df", [1, 2, 3, 4, 5, 9, 10, 29, 30, 31, 45, 100, 999])
def test_t_quantile_leaves_5_percent_above(df: int) -> None:
    assert t_cdf(t95(df), df) == pytest.approx(0.95, abs=2e-5)


def test_t_needs_a_degree_of_freedom() -> None:
    with pytest.raises(ValueError):
        t95(0)


def test_two_reps_by_hand() -> None:
    # farming 6 of 8 h and 2 of 8 h: share 8/16 = .5; leaving one out gives .25 and .75,
    # variance (2 − 1)/2 · (.25² + .25²) = .0625, se .25, × t₁ 6.313752 = 1.578438 → 0…1
    i = farming_interval([D(6), D(2)], [D(8), D(8)])
    assert i == Interval(D(0), D(1), D("1.578438"), 2)
    assert i.includes_half


def test_fewer_than_two_reps_with_hours_has_no_interval() -> None:
    assert farming_interval([D(6)], [D(8)]) is None
    assert farming_interval([D(6), D(0)], [D(8), D(0)]) is None  # a rep without hours is no unit
    assert farming_interval([], []) is None


def test_identical_reps_give_a_point() -> None:
    i = farming_interval([D(1), D(2)], [D(3), D(6)], point=D(3) / D(9))
    assert i is not None and i.half_width == 0
    assert i.contains(D(3) / D(9))  # ends rounded outwards: .333333 to .333334


def test_a_thousand_reps() -> None:
    rng = np.random.default_rng(7)
    total = rng.uniform(20, 60, 1000)
    farming = total * rng.beta(5, 5, 1000)
    i = farming_interval(farming, total)
    assert i is not None and i.reps == 1000
    assert float(i.high - i.low) < 0.03  # 1,000 reps pin the share down to a few points
    assert farming_interval(farming, total) == i


def test_mismatched_inputs_are_refused() -> None:
    with pytest.raises(ValueError, match="per rep"):
        farming_interval([D(1)], [D(2), D(3)])


pairs = st.lists(
    st.tuples(st.integers(0, 400), st.integers(0, 400)).map(lambda p: (min(p), max(p))),
    min_size=2,
    max_size=40,
)


@given(pairs)
def test_interval_contains_the_share_and_stays_in_0_1(data: list[tuple[int, int]]) -> None:
    farming = [D(f) / 4 for f, _ in data]
    total = [D(t) / 4 for _, t in data]
    team = Split(hunting=sum(total, D(0)) - sum(farming, D(0)), farming=sum(farming, D(0)))
    share = team.share("farming")
    i = farming_interval(farming, total, point=share)
    if sum(1 for t in total if t > 0) < 2:
        assert i is None
        return
    assert i is not None and share is not None
    assert 0 <= i.low <= share <= i.high <= 1
    assert farming_interval(farming, total, point=share) == i  # same data, same interval


def test_more_days_shrink_the_half_width_with_the_root_of_days() -> None:
    i = Interval(D("0.45"), D("0.65"), D("0.10"), 5)
    # share .55: the half-width .10 must fall under .05 → 4× the days: 60 more on top of 20
    more = more_days_for_interval(D("0.55"), i, logged_days=20, reps=5)
    assert (more.days, more.capped) == (60, False)
    # share .52: (.10/.02)² = 25× → 480 more, capped at 3 × 20 = 60: "more than 60"
    more = more_days_for_interval(D("0.52"), i, logged_days=20, reps=5)
    assert (more.days, more.capped) == (60, True)
    # right at 50%: no number of days is sure to settle it
    assert more_days_for_interval(D("0.5"), i, 20, 5).days is None
    assert more_days_for_interval(D("0.55"), None, 20, 5).days is None


def test_bounds_never_read_as_50_percent_when_50_is_outside() -> None:
    i = Interval(D("0.503"), D("0.62"), D("0.06"), 9)
    assert percent_bounds(i) == ("50.3%", "62%")
    assert percent_text(D("0.497"), D("0.5")) == "49.7%"
    assert percent_text(D("0.497")) == "50%"
    inside = Interval(D("0.4971"), D("0.62"), D("0.06"), 9)
    assert percent_bounds(inside) == ("50%", "62%")  # 50% is inside: plain rounding


def test_the_verdict_is_capped_and_says_so_near_the_line() -> None:
    # share 51%, range 40–62%: far more days than three times those logged
    team = Split(hunting=D(49), farming=D(51))
    v = decide(team, Interval(D("0.40"), D("0.62"), D("0.11"), 10), 100, 100, 10)
    assert v.label == "inconclusive"
    assert v.reasons[0].capped and v.reasons[0].more_days == 300
    assert "more than 300 more logged days (about 30 per rep) would be needed" in v.text


class Cat:
    """A category with what the definitions read."""

    def __init__(self, key: str, label: str, kind: str) -> None:
        self.key, self.label, self.kind = key, label, kind


def test_category_definitions_from_the_workspace_categories() -> None:
    cats = [
        Cat("prospecting", "Prospecting (calls, research, outreach)", "hunting"),
        Cat("sales_meetings", "New-business meetings", "hunting"),
        Cat("account_service", "Existing accounts: job orders and day-to-day issues", "farming"),
        Cat("admin", "Admin and internal", "other"),
    ]
    assert category_definitions(cats) == (
        "What counts: *hunting* = Prospecting (calls, research, outreach); New-business "
        "meetings · *farming* = Existing accounts: job orders and day-to-day issues · "
        "*other* = Admin and internal."
    )
    assert "*farming* = no category yet" in category_definitions(cats[:1])
