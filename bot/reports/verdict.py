"""The team verdict with how sure it is, the reasons it cannot be given yet, and what counts.

Rule of thumb on the team's farming share of all logged hours: over 50% **separate**, 40% to
50% **consider separating**, under 40% **keep combined**. It is **inconclusive — keep logging**
when the 90% interval contains 50%, when fewer than 60% of the team's work days are logged, or
when the reps average fewer than 5 logged days; each reason says how many more logged days
would settle it.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import ROUND_DOWN, ROUND_HALF_EVEN, Decimal
from typing import Protocol

from bot.reports.confidence import LEVEL, Interval, MoreDays, more_days_for_interval
from bot.split import FARMING_LINE, KINDS, Split, whole_percentages

CONSIDER_AT = Decimal("0.40")
MIN_LOGGED_SHARE = Decimal("0.60")  # of the team's work days
MIN_AVERAGE_DAYS = 5  # logged days per rep, on average

SEPARATE, CONSIDER, KEEP = "separate", "consider separating", "keep combined"
INCONCLUSIVE, NO_DATA = "inconclusive", "no data"
INTERVAL, COVERAGE, MIN_DAYS = "interval", "coverage", "min_days"  # the reasons, in this order


@dataclass(frozen=True)
class Reason:
    """Why the verdict cannot be given yet, and roughly how many logged days would settle it."""

    code: str  # interval | coverage | min_days
    text: str
    more_days: int | None  # None: logging alone cannot be counted on to settle it
    capped: bool = False  # more_days is a floor ("more than N")


@dataclass(frozen=True)
class TeamVerdict:
    """The verdict, the rule-of-thumb label the share alone gives, and the numbers behind it."""

    label: str  # separate | consider separating | keep combined | inconclusive | no data
    leaning: str | None  # the label from the share alone (None without hours)
    farming_share: Decimal | None
    farming_percent: int | None  # whole percent, as in "hunting 40% · farming 55% · other 5%"
    interval: Interval | None
    reasons: tuple[Reason, ...]
    reps_over: int
    reps_with_data: int

    @property
    def conclusive(self) -> bool:
        """A verdict stands (not inconclusive, not without data)."""
        return self.label in (SEPARATE, CONSIDER, KEEP)

    @property
    def more_days(self) -> int | None:
        """Logged days that would settle every reason (the largest estimate), if known."""
        counts = [r.more_days for r in self.reasons if r.more_days is not None]
        return max(counts) if counts else None

    @property
    def headline(self) -> str:
        """`57% farming, 90% sure it is between 52% and 63%` (or what is known so far)."""
        if self.farming_share is None:
            return "No hours logged in this period yet."
        head = f"{self.farming_percent}% farming"
        if self.interval is None:
            return head + " so far"
        low, high = percent_bounds(self.interval)
        return f"{head}, {LEVEL}% sure it is between {low} and {high}"

    @property
    def text(self) -> str:
        """The verdict in a sentence or two, with its numbers and what would settle it."""
        if self.label == NO_DATA:
            return "No hours logged in this period yet."
        over = f"{self.reps_over} of {self.reps_with_data} reps spend more than half on farming."
        if self.label == INCONCLUSIVE:
            why = " ".join(r.text for r in self.reasons)
            return f"*Inconclusive — keep logging.* {self.headline}. {why} {over}"
        advice = {
            SEPARATE: "*Separate the roles* (over 50% farming).",
            CONSIDER: "*Consider separating* (40–50% farming: close to the line).",
            KEEP: "*Keep the roles combined* (under 40% farming).",
        }[self.label]
        return f"{advice} {self.headline}. {over}"


def percent_text(x: Decimal, avoid: Decimal | None = None) -> str:
    """A share as a whole percent; one decimal when rounding would land on `avoid` (50%)."""
    whole = (x * 100).quantize(Decimal(1), rounding=ROUND_HALF_EVEN)
    if avoid is not None and whole == avoid * 100 and x != avoid:
        return f"{(x * 100).quantize(Decimal('0.1'), rounding=ROUND_HALF_EVEN)}%"
    return f"{whole}%"


def percent_bounds(interval: Interval) -> tuple[str, str]:
    """The interval's ends as percents that never read as 50% when 50% is outside."""
    avoid = None if interval.includes_half else FARMING_LINE
    return percent_text(interval.low, avoid), percent_text(interval.high, avoid)


def leaning(farming: Decimal, total: Decimal) -> str | None:
    """The rule-of-thumb label from the share alone (exact comparisons, no rounding)."""
    if total <= 0:
        return None
    if farming > total * FARMING_LINE:
        return SEPARATE
    if farming >= total * CONSIDER_AT:
        return CONSIDER
    return KEEP


def _days(n: int) -> str:
    return f"{n} more logged day{'s' * (n != 1)}"


def _per_rep(n: int, reps: int) -> str:
    return f" (about {math.ceil(n / reps)} per rep)" if reps > 1 else ""


def decide(
    team: Split,
    interval: Interval | None,
    logged_days: int,
    work_days: int,
    reps: int,
    reps_over: int = 0,
    reps_with_data: int = 0,
) -> TeamVerdict:
    """The verdict from the team's hours, its interval, and the days logged out of work days.

    `reps` counts the reps with work days in the period (those who have not logged included).
    """
    share = team.share("farming")
    pct = whole_percentages(team)
    lean = leaning(team.farming, team.total)
    if share is None or lean is None or pct is None:
        return TeamVerdict(NO_DATA, None, None, None, None, (), reps_over, reps_with_data)
    reasons: list[Reason] = []
    if interval is None or interval.includes_half:
        reasons.append(_interval_reason(share, interval, logged_days, reps))
    if logged_days * 100 < work_days * int(MIN_LOGGED_SHARE * 100):  # exact: L/W < 60%
        # each new work day logged adds one to both: (L + x) / (W + x) ≥ 0.6 ⇔ x ≥ (3W − 5L) / 2
        more = math.ceil((3 * work_days - 5 * logged_days) / 2)
        logged_pct = math.floor(100 * logged_days / work_days)
        reasons.append(
            Reason(
                COVERAGE,
                f"Only {logged_pct}% of the team's work days are logged ({logged_days} of "
                f"{work_days}; 60% needed): logging every day from now on, about {_days(more)}"
                f"{_per_rep(more, reps)}.",
                more,
            )
        )
    if reps > 0 and logged_days < MIN_AVERAGE_DAYS * reps:
        more = MIN_AVERAGE_DAYS * reps - logged_days
        average = (Decimal(logged_days) / reps).quantize(Decimal("0.1"), rounding=ROUND_DOWN)
        reasons.append(
            Reason(
                MIN_DAYS,
                f"The reps have logged {average} days each on average; "
                f"{MIN_AVERAGE_DAYS} are needed: {_days(more)}{_per_rep(more, reps)}.",
                more,
            )
        )
    label = INCONCLUSIVE if reasons else lean
    return TeamVerdict(
        label, lean, share, pct["farming"], interval, tuple(reasons), reps_over, reps_with_data
    )


def _interval_reason(
    share: Decimal, interval: Interval | None, logged_days: int, reps: int
) -> Reason:
    if interval is None:
        return Reason(
            INTERVAL,
            "Only one rep has logged hours; a range needs at least two.",
            None,
        )
    head = "That range still includes 50%"
    more: MoreDays = more_days_for_interval(share, interval, logged_days, reps)
    if more.days is not None and more.days < 1:  # only the outward rounding touches 50%
        more = MoreDays(1, False)
    if more.days is None:
        return Reason(
            INTERVAL, f"{head}, and the team sits right at the line: it may stay that way.", None
        )
    if more.capped:
        return Reason(
            INTERVAL,
            f"{head}: more than {_days(more.days)}{_per_rep(more.days, reps)} would be needed — "
            "the team is close to the line, so it may stay too close to call.",
            more.days,
            capped=True,
        )
    return Reason(
        INTERVAL,
        f"{head}: about {_days(more.days)}{_per_rep(more.days, reps)} should settle it, if the "
        "split stays where it is.",
        more.days,
    )


class CategoryLike(Protocol):
    """A category as the definitions need it."""

    @property
    def key(self) -> str: ...
    @property
    def label(self) -> str: ...
    @property
    def kind(self) -> str: ...


def category_definitions(categories: Iterable[CategoryLike]) -> str:
    """What counts as hunting, farming and other, from the workspace's categories (mrkdwn)."""
    by_kind: dict[str, list[str]] = {k: [] for k in KINDS}
    for c in categories:
        by_kind[c.kind if c.kind in by_kind else "other"].append(c.label or c.key)
    parts: Sequence[str] = [
        f"*{kind}* = {'; '.join(labels) if labels else 'no category yet'}"
        for kind, labels in by_kind.items()
    ]
    return "What counts: " + " · ".join(parts) + "."
