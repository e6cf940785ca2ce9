"""The one computation of the manager's numbers: days, hours, shares, capacity, how sure, verdict.

The report, the weekly rollup, the App Home, the study result and the CSV all read these
numbers, so they never disagree. Pure: plain frozen dataclasses in and out, Decimal hours.

Days, per rep, over the same days for "logged" and "work days":

- The days counted run from the earlier of joining and the rep's first answered day (hours or
  "Day off"), but not before the period, up to the period's last day or today. Today counts
  only once answered: its prompt comes in the evening, so an unanswered today is still open,
  neither logged nor missed.
- A day with hours is a logged day and a work day, whatever the weekday (a Saturday log counts
  as both for that rep), so days logged never exceed work days.
- A "Day off" on one of the rep's work days is neither logged nor a work day (the rep was not
  working; it is counted apart as "off"); on any other day it changes nothing.
- An away day (paused, out of office, holiday, as the caller knows them) on a work day without
  hours is not a work day either; it is counted apart as "away". Hours logged on an away day
  win: the rep worked.

Capacity: for each rep, farming hours per logged day × the workspace's work days per week,
summed over the reps and divided by one account manager's week. It is a daily rate, so it does
not depend on the period's length or on how many days were logged.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

from bot.reports.confidence import Interval, farming_interval
from bot.reports.verdict import TeamVerdict, decide
from bot.split import Split, whole_percentages

ZERO = Decimal(0)
TENTH = Decimal("0.1")
DEFAULT_AM_WEEK_HOURS = 40


@dataclass(frozen=True)
class RepInput:
    """One rep's raw data: who they are, their work days, and what they logged."""

    user_id: str
    name: str | None
    role: str
    joined: date
    work_days: tuple[int, ...]  # weekday numbers, 0 = Monday
    hours: Mapping[date, Split]  # each date in here is a logged day, with its hours by kind
    days_off: frozenset[date] = frozenset()  # days answered with "Day off"
    away: frozenset[date] = frozenset()  # paused, out of office, holidays
    left: date | None = None  # last day on the roster, for a rep who has left it


@dataclass(frozen=True)
class Days:
    """Days logged out of work days, with away days and days off apart."""

    logged: int
    work: int
    away: int
    off: int

    @property
    def text(self) -> str:
        """`3/4 days, 1 away, 1 off` (`no work days, 5 away`: never `0/0`)."""
        return self.phrase("days", "no work days")

    def phrase(self, counted: str, no_work: str) -> str:
        """`3/4 {counted}, 1 away, 1 off`, with `no_work` in place of `0/0 {counted}`."""
        out = f"{self.logged}/{self.work} {counted}" if self.work else no_work
        if self.away:
            out += f", {self.away} away"
        if self.off:
            out += f", {self.off} off"
        return out


@dataclass(frozen=True)
class RepNumbers:
    """One rep's numbers for the period."""

    user_id: str
    name: str | None
    role: str
    split: Split
    days: Days
    farming_per_day: Decimal | None  # farming hours per logged day (None: no day logged)
    capacity: Decimal  # this rep's farming work in account managers (exact; 0 without logs)

    @property
    def farming_share(self) -> Decimal | None:
        """Farming hours over all the rep's hours, exactly (None without hours)."""
        return self.split.share("farming")

    @property
    def percentages(self) -> dict[str, int] | None:
        """Hunting, farming and other as whole percents adding up to 100 (None without hours)."""
        return whole_percentages(self.split)

    @property
    def over_line(self) -> bool:
        """More than half of the logged time is farming."""
        return self.split.over_line


@dataclass(frozen=True)
class TeamNumbers:
    """The team's totals, how sure its farming share is, the verdict and the capacity."""

    split: Split
    logged_days: int
    work_days: int
    away_days: int
    days_off: int
    reps: int  # reps with work days in the period
    capacity: Decimal  # account managers the farming work needs (exact)
    interval: Interval | None
    verdict: TeamVerdict

    @property
    def farming_share(self) -> Decimal | None:
        """Team farming hours over all team hours (None without hours)."""
        return self.split.share("farming")

    @property
    def logged_share(self) -> Decimal | None:
        """Days logged over work days, for the whole team (None without work days)."""
        return Decimal(self.logged_days) / self.work_days if self.work_days else None

    @property
    def capacity_shown(self) -> Decimal:
        """Capacity to one decimal, as every surface shows it."""
        return self.capacity.quantize(TENTH)


@dataclass(frozen=True)
class Numbers:
    """Everything a manager decides on, for one period."""

    first: date
    last: date
    today: date
    work_days_per_week: int
    am_week_hours: Decimal
    reps: tuple[RepNumbers, ...]
    team: TeamNumbers

    @property
    def capacity_text(self) -> str:
        """`The farming work is about 0.8 account managers at 40 h a week.`"""
        hours = self.am_week_hours.normalize()
        return (
            f"The farming work is about {self.team.capacity_shown} account managers at "
            f"{hours:f} h a week."
        )


def weekdays_between(first: date, last: date, work_days: Iterable[int]) -> int:
    """How many of the given weekdays fall in a range of dates (inclusive)."""
    if last < first:
        return 0
    days = set(work_days)
    weeks, rest = divmod((last - first).days + 1, 7)
    tail = sum(1 for i in range(rest) if (first + timedelta(weeks * 7 + i)).weekday() in days)
    return weeks * len(days) + tail


def counted_range(rep: RepInput, first: date, last: date, today: date) -> tuple[date, date]:
    """The rep's counted days: from the earlier of joining and the first answered day (not
    before the period) to the period's end or today (or the day they left), today only once
    answered."""
    answered = set(rep.hours) | rep.days_off
    start = max(first, min([rep.joined, *answered]))
    end = min(last, today) if rep.left is None else min(last, today, rep.left)
    if end == today and today not in answered:
        end = today - timedelta(days=1)
    return start, end


def count_days(rep: RepInput, first: date, last: date, today: date) -> Days:
    """Days logged, work days, away days and days off, all over the same counted days."""
    return _count(rep, first, last, today)[0]


def _count(rep: RepInput, first: date, last: date, today: date) -> tuple[Days, set[date]]:
    start, end = counted_range(rep, first, last, today)
    if end < start:
        return Days(0, 0, 0, 0), set()
    weekdays = set(rep.work_days)
    logged = {d for d in rep.hours if start <= d <= end}
    off = {d for d in rep.days_off if start <= d <= end and d.weekday() in weekdays} - logged
    away = {d for d in rep.away if start <= d <= end and d.weekday() in weekdays} - logged - off
    extra = sum(1 for d in logged if d.weekday() not in weekdays)  # e.g. a Saturday log
    work = weekdays_between(start, end, weekdays) - len(off) - len(away) + extra
    return Days(len(logged), work, len(away), len(off)), logged


def rep_numbers(
    rep: RepInput,
    first: date,
    last: date,
    today: date,
    work_days_per_week: int,
    am_week_hours: Decimal,
) -> RepNumbers:
    """One rep's hours by kind, days, farming per logged day and capacity contribution."""
    days, logged = _count(rep, first, last, today)
    hunting = farming = other = ZERO
    for d in logged:  # one pass: this runs once per rep-day of a year-long report
        s = rep.hours[d]
        hunting, farming, other = hunting + s.hunting, farming + s.farming, other + s.other
    hours = Split(hunting, farming, other)
    per_day = hours.farming / days.logged if days.logged else None
    capacity = (
        hours.farming * work_days_per_week / (days.logged * am_week_hours) if days.logged else ZERO
    )
    return RepNumbers(rep.user_id, rep.name, rep.role, hours, days, per_day, capacity)


def team_numbers(reps: Sequence[RepNumbers]) -> TeamNumbers:
    """Team totals, the 90% interval (reps as the unit), the verdict and the capacity."""
    team = sum((r.split for r in reps), Split())
    counted = [r for r in reps if r.days.work > 0]
    logged = sum(r.days.logged for r in counted)
    work = sum(r.days.work for r in counted)
    with_data = [r for r in reps if r.split.total > 0]
    interval = farming_interval(
        [r.split.farming for r in with_data],
        [r.split.total for r in with_data],
        point=team.share("farming"),
    )
    verdict = decide(
        team,
        interval,
        logged_days=logged,
        work_days=work,
        reps=len(counted),
        reps_over=sum(1 for r in with_data if r.over_line),
        reps_with_data=len(with_data),
    )
    return TeamNumbers(
        split=team,
        logged_days=logged,
        work_days=work,
        away_days=sum(r.days.away for r in reps),
        days_off=sum(r.days.off for r in reps),
        reps=len(counted),
        capacity=sum((r.capacity for r in reps), ZERO),
        interval=interval,
        verdict=verdict,
    )


def compute(
    reps: Iterable[RepInput],
    first: date,
    last: date,
    today: date,
    work_days_per_week: int,
    am_week_hours: int | Decimal = DEFAULT_AM_WEEK_HOURS,
) -> Numbers:
    """The manager's numbers for a period (days after `today` do not count)."""
    if last < first:
        raise ValueError("The period ends before it starts.")
    if not 1 <= work_days_per_week <= 7:
        raise ValueError("A week has 1 to 7 work days.")
    week = Decimal(am_week_hours)
    if week <= 0:
        raise ValueError("An account manager's week needs a positive number of hours.")
    lines = tuple(rep_numbers(r, first, last, today, work_days_per_week, week) for r in reps)
    return Numbers(first, last, today, work_days_per_week, week, lines, team_numbers(lines))
