"""The one computation of the manager's numbers, on a small team worked out by hand."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, timedelta
from decimal import Decimal

import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from bot.reports.numbers import RepInput, compute, count_days, weekdays_between
from bot.reports.verdict import INTERVAL, MIN_DAYS, SEPARATE
from bot.split import Split

D = Decimal
MON = date(2026, 11, 2)  # Monday 2 November 2026
SUN = date(2026, 11, 8)
AFTER = date(2026, 11, 24)  # "today", long after that week
WEEKDAYS = (0, 1, 2, 3, 4)


def days(first: date, last: date, only: Iterable[int] = WEEKDAYS) -> list[date]:
    """The dates from first to last whose weekday is in `only`."""
    wanted = set(only)
    out, day = [], first
    while day <= last:
        if day.weekday() in wanted:
            out.append(day)
        day += timedelta(days=1)
    return out


def rep(
    uid: str,
    farming: str,
    hunting: str,
    logged: Iterable[date],
    joined: date = date(2026, 1, 5),
    **kw: frozenset[date],
) -> RepInput:
    """A rep logging the same farming and hunting hours on each of the given days."""
    day = Split(hunting=D(hunting), farming=D(farming))
    return RepInput(uid, uid.title(), "hybrid", joined, WEEKDAYS, dict.fromkeys(logged, day), **kw)


WEEK = days(MON, SUN)  # Mon 2 – Fri 6 November
# Three reps logging every work day; farming 3 + 2 + 1.6 = 6.6 h a day, 33 h over the week.
TEAM = [rep("ana", "3", "5", WEEK), rep("ben", "2", "6", WEEK), rep("cai", "1.6", "6.4", WEEK)]


# ---------------------------------------------------------------- capacity


def test_capacity_of_a_monday_to_friday_week_is_0_8() -> None:
    n = compute(TEAM, MON, MON + timedelta(days=4), AFTER, work_days_per_week=5)
    # per rep: farming per logged day × 5 days / 40 h: 3·5/40 + 2·5/40 + 1.6·5/40
    #        = 0.375 + 0.25 + 0.2 = 0.825 (= 33 h / 5 days × 5 / 40) → shown 0.8
    assert [r.capacity for r in n.reps] == [D("0.375"), D("0.25"), D("0.2")]
    assert n.team.capacity == D("0.825")
    assert n.team.capacity_shown == D("0.8")
    assert n.capacity_text == "The farming work is about 0.8 account managers at 40 h a week."


@pytest.mark.parametrize(
    ("first", "last"),
    [
        (MON + timedelta(days=2), MON + timedelta(days=3)),  # Wed–Thu: 6 + 4 + 3.2 h in 2 days
        (MON, SUN),  # the whole week, weekend included (nothing logged, not work days)
        (MON - timedelta(days=7), SUN + timedelta(days=7)),  # three weeks, one of them logged
    ],
)
def test_capacity_is_the_same_for_any_part_at_the_same_daily_rate(first: date, last: date) -> None:
    n = compute(TEAM, first, last, AFTER, work_days_per_week=5)
    assert n.team.capacity == D("0.825")
    assert n.team.capacity_shown == D("0.8")


def test_capacity_so_far_this_week_with_today_answered() -> None:
    wednesday = MON + timedelta(days=2)  # Mon–Wed logged, today Wednesday: 3 days each
    team = [rep("ana", "3", "5", WEEK[:3]), rep("ben", "2", "6", WEEK[:3])]
    team.append(rep("cai", "1.6", "6.4", WEEK[:3]))
    n = compute(team, MON, SUN, wednesday, work_days_per_week=5)
    assert [r.days.text for r in n.reps] == ["3/3 days"] * 3
    assert n.team.capacity == D("0.825")  # (9 + 6 + 4.8) h / 3 days × 5 / 40


def test_capacity_uses_the_workspace_week_and_the_am_week() -> None:
    # a four-day workspace and 32-hour account managers: 6.6 h/day × 4 / 32 = 0.825
    n = compute(TEAM, MON, SUN, AFTER, work_days_per_week=4, am_week_hours=32)
    assert n.team.capacity == D("0.825")
    assert "at 32 h a week" in n.capacity_text


# ---------------------------------------------------------------- days


def test_days_logged_out_of_work_days_with_away_and_off_apart() -> None:
    wed, thu, fri, sat = (MON + timedelta(days=i) for i in (2, 3, 4, 5))
    reps = [
        # joined Wed, but logged Mon and Tue already: counted from Mon → 3 of 5, never 3/3
        rep("dee", "4", "4", [MON, MON + timedelta(days=1), thu], joined=wed),
        # logged Mon–Fri and Saturday: the Saturday is a work day for her → 6/6, never 6/5
        rep("eve", "4", "4", [*WEEK, sat]),
        # paused Thu–Fri: 3 logged of 3 work days, 2 away
        rep("fay", "4", "4", WEEK[:3], away=frozenset({thu, fri})),
        # "Day off" on Monday: neither logged nor missed → 4/4, 1 off
        rep("gus", "4", "4", WEEK[1:], days_off=frozenset({MON})),
        # joined Thursday, has not logged: Thu and Fri are work days → 0/2
        rep("hal", "4", "4", [], joined=thu),
        # joined after the period: no work days at all → 0/0
        rep("ivy", "4", "4", [], joined=date(2026, 11, 16)),
        # away Thu and Fri, but logged Fri: the hours win → 4/4 (Mon–Wed, Fri), 1 away
        rep("jay", "4", "4", [*WEEK[:3], fri], away=frozenset({thu, fri})),
    ]
    n = compute(reps, MON, SUN, AFTER, work_days_per_week=5)
    assert [r.days.text for r in n.reps] == [
        "3/5 days",
        "6/6 days",
        "3/3 days, 2 away",
        "4/4 days, 1 off",
        "0/2 days",
        "0/0 days",
        "4/4 days, 1 away",
    ]
    # team: logged 3+6+3+4+0+0+4 = 20 of 5+6+3+4+2+0+4 = 24 work days; 3 away, 1 off;
    # ivy has no work days, so six reps count
    t = n.team
    assert (t.logged_days, t.work_days, t.away_days, t.days_off, t.reps) == (20, 24, 3, 1, 6)


def test_today_counts_once_answered() -> None:
    monday, tuesday = date(2026, 11, 23), date(2026, 11, 24)
    only_monday = rep("kim", "4", "4", [monday])
    both = rep("lou", "4", "4", [monday, tuesday])
    n = compute([only_monday, both], monday, monday + timedelta(days=6), tuesday, 5)
    # Tuesday evening's prompt is still open for Kim: 1/1, not 1/2; Lou answered: 2/2
    assert [r.days.text for r in n.reps] == ["1/1 days", "2/2 days"]


def test_hours_after_today_or_outside_the_period_do_not_count() -> None:
    r = rep("max", "2", "2", [MON - timedelta(days=1), MON, SUN + timedelta(days=1)])
    n = compute([r], MON, SUN, AFTER, 5)
    assert n.reps[0].split == Split(hunting=D(2), farming=D(2))
    n = compute([r], MON, SUN, MON - timedelta(days=3), 5)  # the period has not started yet
    assert n.reps[0].split.total == 0 and n.reps[0].days.text == "0/0 days"


def test_weekdays_between() -> None:
    assert weekdays_between(MON, SUN, WEEKDAYS) == 5
    assert weekdays_between(date(2026, 11, 1), date(2026, 11, 30), WEEKDAYS) == 21
    assert weekdays_between(SUN, MON, WEEKDAYS) == 0


# ---------------------------------------------------------------- the verdict


def test_one_logged_day_is_inconclusive_and_says_why() -> None:
    monday = date(2026, 11, 23)
    n = compute([rep("ana", "6", "2", [monday])], monday, monday + timedelta(days=6), monday, 5)
    v = n.team.verdict
    # 6 of 8 hours farming = 75%, but one rep (no range) and 1 logged day (5 on average needed)
    assert v.label == "inconclusive" and v.leaning == SEPARATE and not v.conclusive
    assert [r.code for r in v.reasons] == [INTERVAL, MIN_DAYS]
    assert v.reasons[1].more_days == 4  # 5 × 1 rep − 1 logged
    assert v.more_days == 4
    assert v.headline == "75% farming so far"
    assert v.text.startswith("*Inconclusive — keep logging.* 75% farming so far.")
    assert "a range needs at least two" in v.text and "4 more logged days" in v.text


NOVEMBER = days(date(2026, 11, 1), date(2026, 11, 30))  # 21 work days


def month_team(shares: list[str]) -> list[RepInput]:
    """Reps logging 8 h on every work day of November, the given share of it farming."""
    return [rep(f"r{i}", str(8 * D(s)), str(8 - 8 * D(s)), NOVEMBER) for i, s in enumerate(shares)]


def test_a_clear_month_gives_a_verdict_with_its_interval() -> None:
    n = compute(
        month_team(["0.70", "0.65", "0.75", "0.60", "0.80"]),
        date(2026, 11, 1),
        date(2026, 11, 30),
        AFTER + timedelta(days=10),
        5,
    )
    # Each rep logs 168 h; the team share is the mean, 0.70. Leaving rep i out gives
    # (3.50 − pᵢ)/4 = .7000 .7125 .6875 .7250 .6750; their deviations from .70 squared sum
    # to 2·.0125² + 2·.025² = .0015625; × (5 − 1)/5 = .00125; √ = .0353553; × t₄ (2.131847)
    # = .0753733 → .624627 to .775373 (ends rounded outwards), "62% and 78%".
    t = n.team
    assert t.interval is not None
    assert (t.interval.low, t.interval.high) == (D("0.624627"), D("0.775373"))
    v = t.verdict
    assert v.label == SEPARATE and v.conclusive and v.reasons == ()
    assert v.headline == "70% farming, 90% sure it is between 62% and 78%"
    assert v.text == (
        "*Separate the roles* (over 50% farming). 70% farming, 90% sure it is between 62% and "
        "78%. 5 of 5 reps spend more than half on farming."
    )
    # capacity: farming per day 5.6 + 5.2 + 6 + 4.8 + 6.4 = 28 h; × 5 / 40 = 3.5
    assert t.capacity == D("3.5") and t.capacity_shown == D("3.5")
    assert (t.logged_days, t.work_days) == (105, 105)


def test_an_interval_across_50_percent_is_inconclusive_with_more_days() -> None:
    n = compute(
        month_team(["0.45", "0.55", "0.60", "0.65", "0.75"]),
        date(2026, 11, 1),
        date(2026, 11, 30),
        AFTER + timedelta(days=10),
        5,
    )
    # share .60; leaving one out: .6375 .6125 .6 .5875 .5625 → squared deviations sum .003125;
    # × 4/5 = .0025; se .05; half-width .05 × 2.131847 = .1065924 → .493407 to .706593.
    # More days: the half-width must fall below .60 − .50 = .10; with √days,
    # 105 × ((.106593 / .10)² − 1) = 105 × .136220 = 14.3 → about 15 (3 per rep).
    v = n.team.verdict
    assert v.interval is not None and v.interval.low == D("0.493407")
    assert v.label == "inconclusive" and v.leaning == SEPARATE
    assert [r.code for r in v.reasons] == [INTERVAL]
    assert v.reasons[0].more_days == 15 and not v.reasons[0].capped
    assert "about 15 more logged days (about 3 per rep)" in v.text
    assert "90% sure it is between 49% and 71%" in v.text


def test_too_few_work_days_logged_is_inconclusive() -> None:
    # five reps, four weeks: 20 work days each; 11 logged each → 55 of 100 (< 60%).
    # Logging every day from now on: (55 + x) / (100 + x) ≥ 0.6 ⇔ x ≥ (300 − 275) / 2 = 12.5 → 13
    first, last = date(2026, 11, 2), date(2026, 11, 29)
    work = days(first, last)
    shares = ["0.20", "0.25", "0.30", "0.22", "0.28"]
    reps = [rep(f"r{i}", str(8 * D(s)), str(8 - 8 * D(s)), work[:11]) for i, s in enumerate(shares)]
    v = compute(reps, first, last, AFTER + timedelta(days=10), 5).team.verdict
    assert v.label == "inconclusive" and v.leaning == "keep combined"
    assert [r.code for r in v.reasons] == ["coverage"]
    assert v.reasons[0].more_days == 13
    assert "Only 55% of the team's work days are logged (55 of 100; 60% needed)" in v.text


def test_consider_separating_and_keep_combined_stand_when_sure() -> None:
    period = (date(2026, 11, 1), date(2026, 11, 30), AFTER + timedelta(days=10), 5)
    close = compute(month_team(["0.44", "0.45", "0.46", "0.45", "0.45"]), *period)
    assert close.team.verdict.label == "consider separating"
    low = compute(month_team(["0.20", "0.25", "0.30", "0.22", "0.28"]), *period)
    assert low.team.verdict.label == "keep combined"
    assert low.team.verdict.text.startswith("*Keep the roles combined* (under 40% farming).")


def test_no_hours_is_no_data() -> None:
    n = compute([rep("ana", "0", "0", [])], MON, SUN, AFTER, 5)
    assert n.team.verdict.label == "no data" and n.team.interval is None
    assert n.team.verdict.text == "No hours logged in this period yet."
    assert n.team.capacity == 0


def test_bad_settings_are_refused() -> None:
    with pytest.raises(ValueError, match="1 to 7"):
        compute(TEAM, MON, SUN, AFTER, 0)
    with pytest.raises(ValueError, match="positive"):
        compute(TEAM, MON, SUN, AFTER, 5, am_week_hours=0)
    with pytest.raises(ValueError, match="ends before"):
        compute(TEAM, SUN, MON, AFTER, 5)


# ---------------------------------------------------------------- properties

WINDOW = (date(2026, 10, 1), date(2026, 12, 31))
any_day = st.dates(*WINDOW)
day_sets = st.frozensets(any_day, max_size=25)
hours = st.decimals(min_value=0, max_value=12, places=2)
day_split = st.builds(lambda h, f, o: Split(h, f, o), hours, hours, hours)
reps_st = st.builds(
    RepInput,
    user_id=st.just("U1"),
    name=st.none(),
    role=st.just("hybrid"),
    joined=any_day,
    work_days=st.sets(st.integers(0, 6), min_size=1).map(lambda s: tuple(sorted(s))),
    hours=st.dictionaries(any_day, day_split, max_size=30),
    days_off=day_sets,
    away=day_sets,
)


@given(reps_st, any_day, any_day, any_day)
def test_days_logged_never_exceed_work_days(r: RepInput, a: date, b: date, today: date) -> None:
    first, last = min(a, b), max(a, b)
    d = count_days(r, first, last, today)
    assert 0 <= d.logged <= d.work
    assert d.away >= 0 and d.off >= 0


@given(st.lists(reps_st, min_size=1, max_size=6), any_day, any_day, any_day)
@settings(max_examples=60)
def test_shares_between_0_and_1_and_same_input_same_numbers(
    reps: list[RepInput], a: date, b: date, today: date
) -> None:
    first, last = min(a, b), max(a, b)
    n = compute(reps, first, last, today, 5)
    for share in [n.team.farming_share, *(r.farming_share for r in n.reps)]:
        assert share is None or 0 <= share <= 1
    assert compute(reps, first, last, today, 5) == n  # deterministic, interval included
    if n.team.interval is not None and n.team.farming_share is not None:
        assert n.team.interval.contains(n.team.farming_share)
        assert 0 <= n.team.interval.low <= n.team.interval.high <= 1


@given(
    rates=st.lists(st.integers(0, 40), min_size=1, max_size=5),  # quarter hours of farming a day
    skipped=st.lists(st.sets(st.integers(0, 19), max_size=8), min_size=5, max_size=5),
    others=st.lists(st.integers(0, 40), min_size=20, max_size=20),
    cut=st.tuples(st.integers(0, 27), st.integers(0, 27)),
)
def test_capacity_is_the_same_for_any_part_with_the_same_daily_rates(
    rates: list[int], skipped: list[set[int]], others: list[int], cut: tuple[int, int]
) -> None:
    first = date(2026, 11, 2)
    work = days(first, first + timedelta(days=27))  # four Monday–Friday weeks: 20 days
    reps = []
    for i, rate in enumerate(rates):
        logged = {
            d: Split(hunting=D(others[j]) / 4, farming=D(rate) / 4)
            for j, d in enumerate(work)
            if j not in skipped[i]
        }
        reps.append(RepInput(f"U{i}", None, "hybrid", first, WEEKDAYS, logged))
    a, b = first + timedelta(days=min(cut)), first + timedelta(days=max(cut))
    assume(all(any(a <= d <= b for d in r.hours) for r in reps))  # each rep logged in the part
    today = first + timedelta(days=40)  # after the four weeks
    whole = compute(reps, first, first + timedelta(days=27), today, 5)
    part = compute(reps, a, b, today, 5)
    assert part.team.capacity == whole.team.capacity == sum(D(x) / 4 * 5 / 40 for x in rates)
