"""The trend: the team's and each rep's farming share per week (Monday–Sunday) or month.

Pure: each bucket's share is its farming hours over its hours, from the days logged in it up
to today; a bucket without hours has no share (shown as "–", never 0%).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import ROUND_HALF_EVEN, Decimal

from bot.reports.numbers import RepInput
from bot.split import Split

BLOCKS = "▁▂▃▄▅▆▇█"  # 0–12.5% … 87.5–100%
SPARK_WEEKS = 8

Bucket = tuple[date, date]  # first and last day, inclusive


@dataclass(frozen=True)
class TrendRow:
    """One rep's hours per bucket."""

    user_id: str
    name: str | None
    splits: tuple[Split, ...]

    @property
    def shares(self) -> tuple[Decimal | None, ...]:
        """Farming share per bucket (None: no hours in it)."""
        return tuple(s.share("farming") for s in self.splits)


@dataclass(frozen=True)
class TrendTable:
    """The team's and each rep's hours per bucket."""

    buckets: tuple[Bucket, ...]
    team: tuple[Split, ...]
    reps: tuple[TrendRow, ...]

    @property
    def team_shares(self) -> tuple[Decimal | None, ...]:
        """The team's farming share per bucket (None: no hours in it)."""
        return tuple(s.share("farming") for s in self.team)


def week_buckets(today: date, weeks: int) -> tuple[Bucket, ...]:
    """The last `weeks` Monday–Sunday weeks, oldest first, the current week last."""
    monday = today - timedelta(days=today.weekday())
    return tuple(
        (monday - timedelta(weeks=i), monday - timedelta(weeks=i) + timedelta(days=6))
        for i in reversed(range(max(weeks, 0)))
    )


def month_buckets(today: date, months: int) -> tuple[Bucket, ...]:
    """The last `months` calendar months, oldest first, the current month last."""
    out: list[Bucket] = []
    first = today.replace(day=1)
    for _ in range(max(months, 0)):
        nxt = (first.replace(day=28) + timedelta(days=4)).replace(day=1)
        out.append((first, nxt - timedelta(days=1)))
        first = (first - timedelta(days=1)).replace(day=1)
    return tuple(reversed(out))


def _bucket_splits(
    hours: Iterable[tuple[date, Split]], buckets: Sequence[Bucket], today: date
) -> tuple[Split, ...]:
    sums = [Split() for _ in buckets]
    for day, s in hours:
        if day > today:
            continue
        for i, (a, b) in enumerate(buckets):
            if a <= day <= b:
                sums[i] = sums[i] + s
    return tuple(sums)


def trend(reps: Sequence[RepInput], buckets: Sequence[Bucket], today: date) -> TrendTable:
    """Hours per bucket for the team and each rep (days after today do not count)."""
    rows = tuple(
        TrendRow(r.user_id, r.name, _bucket_splits(r.hours.items(), buckets, today)) for r in reps
    )
    team = tuple(sum((row.splits[i] for row in rows), Split()) for i in range(len(buckets)))
    return TrendTable(tuple(buckets), team, rows)


def _pct(x: Decimal) -> int:
    return int((x * 100).quantize(Decimal(1), rounding=ROUND_HALF_EVEN))


def block(share: Decimal | None) -> str:
    """One block character for a share (0 to 1); `·` for no data."""
    if share is None:
        return "·"
    return BLOCKS[min(len(BLOCKS) - 1, int(share * len(BLOCKS)))]


def sparkline(shares: Sequence[Decimal | None], last: int = SPARK_WEEKS) -> str:
    """`` `▄▅▅` 48% → 51% → 55% `` for the last `last` buckets (`–` where nothing was logged)."""
    tail = list(shares)[-last:] if last > 0 else []
    if not tail:
        return ""
    bars = "".join(block(s) for s in tail)
    numbers = " → ".join("–" if s is None else f"{_pct(s)}%" for s in tail)
    return f"`{bars}` {numbers}"
