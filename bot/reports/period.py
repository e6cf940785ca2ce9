"""Pure: report periods (`this-week`, `last-month`, `14d`, `2026-11-01..2026-11-15`)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, timedelta

PERIOD_USAGE = (
    "this-week (default), last-week, this-month, last-month, Nd (e.g. 30d), "
    "or YYYY-MM-DD..YYYY-MM-DD"
)
MAX_DAYS = 3660
TREND_USAGE = "trend [N weeks|N months] (default 8 weeks; 2 to 52 weeks or 2 to 24 months)"
TREND_DEFAULT = (8, "week")
TREND_LIMITS = {"week": 52, "month": 24}
_TREND = re.compile(r"(\d{1,3})\s*(w|wk|wks|weeks?|m|mo|mos|months?)")


@dataclass(frozen=True)
class Period:
    """An inclusive range of local dates with a readable name."""

    first: date
    last: date
    name: str

    @property
    def days(self) -> int:
        """Number of calendar days."""
        return (self.last - self.first).days + 1

    def label(self) -> str:
        """`this week (Mon 23 Nov – Sun 29 Nov 2026)`."""
        first, last = self.first.strftime("%a %-d %b"), self.last.strftime("%a %-d %b %Y")
        return f"{self.name} ({first} – {last})"


def _month_end(day: date) -> date:
    nxt = (day.replace(day=28) + timedelta(days=4)).replace(day=1)
    return nxt - timedelta(days=1)


def parse_period(text: str | None, today: date) -> Period:
    """A period from its name; raises ValueError with the usage."""
    word = (text or "this-week").strip().lower()
    monday = today - timedelta(days=today.weekday())
    if word in ("this-week", "week"):
        return Period(monday, monday + timedelta(days=6), "this week")
    if word == "last-week":
        return Period(monday - timedelta(days=7), monday - timedelta(days=1), "last week")
    if word in ("this-month", "month"):
        first = today.replace(day=1)
        return Period(first, _month_end(first), "this month")
    if word == "last-month":
        last = today.replace(day=1) - timedelta(days=1)
        return Period(last.replace(day=1), last, "last month")
    match = re.fullmatch(r"(\d{1,4})d", word)
    if match:
        n = int(match.group(1))
        if not 1 <= n <= MAX_DAYS:
            raise ValueError(f"Use 1 to {MAX_DAYS} days.")
        return Period(today - timedelta(days=n - 1), today, f"last {n} days")
    match = re.fullmatch(r"(\d{4}-\d{2}-\d{2})\.\.(\d{4}-\d{2}-\d{2})", word)
    if match:
        try:
            first, last = date.fromisoformat(match.group(1)), date.fromisoformat(match.group(2))
        except ValueError:
            raise ValueError(f"“{text}” has a date that doesn't exist.") from None
        if last < first:
            raise ValueError("The period ends before it starts.")
        if (last - first).days >= MAX_DAYS:
            raise ValueError(f"Periods can be at most {MAX_DAYS} days.")
        return Period(first, last, f"{first.isoformat()} to {last.isoformat()}")
    raise ValueError(f"“{text}” isn't a period. Use {PERIOD_USAGE}.")


def parse_trend(words: str) -> tuple[int, str]:
    """(how many, "week" | "month") from `[N weeks|N months]`; raises ValueError with the usage."""
    text = " ".join(words.lower().split())
    if not text:
        return TREND_DEFAULT
    match = _TREND.fullmatch(text)
    if match is None:
        raise ValueError(f"“{words.strip()}” isn't a number of weeks or months. Use {TREND_USAGE}.")
    n, unit = int(match.group(1)), "month" if match.group(2).startswith("m") else "week"
    if not 2 <= n <= TREND_LIMITS[unit]:
        raise ValueError(f"A trend covers 2 to {TREND_LIMITS[unit]} {unit}s, not {n}.")
    return n, unit
