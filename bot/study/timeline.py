"""Pure rules of the time study's timeline: its dates and progress, when the fit question and its
reminder arrive, each rep's logging rate, and the team's weekly trend."""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from fractions import Fraction

from bot.split import Split
from bot.timecalc import local_datetime, local_today, zone

DEFAULT_WEEKS = 4
MAX_WEEKS = 12
FIT_AT = time(10, 0)  # the fit question (and its reminder) arrive mid-morning, local time
REMINDER_AFTER_DAYS = 2  # the one reminder: the first work morning two days after the question
QUIET_WORK_DAYS = 3  # no answer on the last three work days: "gone quiet"
TREND_POINTS = 5  # a change of at least 5 percentage points is a trend, less is steady


# ---------------------------------------------------------------- starting a study

_WEEKS = re.compile(r"^(\d{1,4})\s*(?:w|wk|wks|week|weeks)?$", re.IGNORECASE)


def parse_weeks(text: str) -> int | str:
    """The study length from `[N weeks]` (default 4, 1 to 12), or what is wrong with it."""
    words = " ".join(text.split())
    if not words:
        return DEFAULT_WEEKS
    match = _WEEKS.match(words)
    if match is None:
        shown = words if len(words) <= 40 else words[:39] + "…"
        return f"“{shown}” isn't a number of weeks."
    weeks = int(match.group(1))
    if not 1 <= weeks <= MAX_WEEKS:
        return f"A study runs for 1 to {MAX_WEEKS} weeks, not {weeks}."
    return weeks


def study_end(starts_on: date, weeks: int) -> date:
    """The last day of a study (inclusive)."""
    return starts_on + timedelta(days=7 * weeks - 1)


def study_weeks(first: date, last: date) -> list[tuple[date, date]]:
    """The study's weeks: seven-day blocks from its first day (the last one may be shorter)."""
    weeks = []
    start = first
    while start <= last:
        weeks.append((start, min(last, start + timedelta(days=6))))
        start += timedelta(days=7)
    return weeks


@dataclass(frozen=True)
class Progress:
    """Where a study stands on a given day."""

    day: int  # the study's day number today, 1-based, at most total_days
    total_days: int
    weeks: int  # how many (possibly partial) weeks the study has
    weeks_done: int
    current_week: int

    @property
    def finished(self) -> bool:
        """Every day of the study has passed."""
        return self.weeks_done >= self.weeks


def progress(first: date, last: date, today: date) -> Progress:
    """Day number, weeks done (a week is done once its last day has passed), current week."""
    total = (last - first).days + 1
    weeks = len(study_weeks(first, last))
    elapsed = (today - first).days  # whole days before today
    done = weeks if today > last else max(0, min(weeks, elapsed // 7))
    return Progress(
        day=max(1, min(total, elapsed + 1)),
        total_days=total,
        weeks=weeks,
        weeks_done=done,
        current_week=min(weeks, done + 1),
    )


# ---------------------------------------------------------------- the fit question's timing


def fit_day(first: date, last: date) -> date:
    """The day the fit question goes out: the start of the study's second half."""
    return first + timedelta(days=((last - first).days + 1) // 2)


def work_morning(day: date, tz_name: str | None, work_days: tuple[int, ...]) -> datetime:
    """The first of the person's work days on or after `day`, at 10:00 their time (UTC)."""
    for _ in range(7):
        if not work_days or day.weekday() in work_days:
            break
        day += timedelta(days=1)
    return local_datetime(day, FIT_AT, zone(tz_name))


def fit_due_at(
    first: date,
    last: date,
    intro_at: datetime | None,
    tz_name: str | None,
    work_days: tuple[int, ...],
) -> datetime:
    """When one rep's fit question is due: the second half's first work morning, and at least
    a day after their introduction (someone added late hears why before being asked)."""
    day = fit_day(first, last)
    if intro_at is not None:
        day = max(day, local_today(intro_at, tz_name) + timedelta(days=1))
    return work_morning(day, tz_name, work_days)


def reminder_due_at(
    fit_sent_at: datetime, tz_name: str | None, work_days: tuple[int, ...]
) -> datetime:
    """The one reminder: the first work morning two days after the question was sent."""
    day = local_today(fit_sent_at, tz_name) + timedelta(days=REMINDER_AFTER_DAYS)
    return work_morning(day, tz_name, work_days)


# ---------------------------------------------------------------- logging rate


@dataclass(frozen=True)
class Logging:
    """How faithfully one rep has answered so far in the study."""

    answered: int  # work days answered (hours or a day off)
    expected: int  # work days so far (today counts once it is answered)
    last_answered: date | None
    quiet: bool  # no answer on any of the last three work days

    @property
    def rate(self) -> Fraction | None:
        """Answered / expected, or None before the first work day has passed."""
        return Fraction(self.answered, self.expected) if self.expected else None


def logging_rate(
    answered: Iterable[date],
    first: date,
    last: date,
    today: date,
    work_days: tuple[int, ...],
) -> Logging:
    """Days answered out of work days so far; today counts only once answered (its prompt is
    in the evening). Weekend logs are welcome but do not raise the rate above 100%."""
    done = {d for d in answered if first <= d <= min(last, today)}
    past: list[date] = []
    day = first
    while day <= min(last, today - timedelta(days=1)):
        if day.weekday() in work_days:
            past.append(day)
        day += timedelta(days=1)
    expected = list(past)
    if first <= today <= last and today in done and today.weekday() in work_days:
        expected.append(today)
    hits = sum(1 for d in expected if d in done)
    recent = past[-QUIET_WORK_DAYS:]
    quiet = (
        len(recent) == QUIET_WORK_DAYS and not any(d in done for d in recent) and today not in done
    )
    return Logging(hits, len(expected), max(done) if done else None, quiet)


# ---------------------------------------------------------------- the weekly trend


@dataclass(frozen=True)
class WeekShare:
    """The team's hours in one week of the study."""

    number: int
    first: date
    last: date
    split: Split

    @property
    def farming(self) -> Fraction | None:
        """The week's farming share of all logged hours (None without hours)."""
        return (
            None
            if self.split.total == 0
            else Fraction(self.split.farming) / Fraction(self.split.total)
        )


@dataclass(frozen=True)
class Trend:
    """The team's farming share week by week, and which way it is going."""

    weeks: tuple[WeekShare, ...]
    direction: str  # rising | falling | steady | too early
    change: int | None  # percentage points from the first to the last week with hours


def trend(weeks: Sequence[tuple[date, date, Split]]) -> Trend:
    """Rising / falling when the farming share moved 5 points or more, else steady."""
    shares = tuple(WeekShare(i + 1, a, b, s) for i, (a, b, s) in enumerate(weeks))
    with_data = [w.farming for w in shares if w.farming is not None]
    if len(with_data) < 2:
        return Trend(shares, "too early", None)
    change = round((with_data[-1] - with_data[0]) * 100)
    if change >= TREND_POINTS:
        direction = "rising"
    elif change <= -TREND_POINTS:
        direction = "falling"
    else:
        direction = "steady"
    return Trend(shares, direction, change)
