"""The product's one rule, pure: hours split into hunting, farming and other, and the more-than-half
line. Every feature (the time log's confirmations, reports, the study, the App Home) and no
storage code computes it here: storage hands over hours by kind."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

KINDS = ("hunting", "farming", "other")
FARMING_LINE = Decimal("0.5")  # a farming share above this says: separate the roles
ZERO = Decimal(0)


@dataclass(frozen=True)
class Split:
    """Hours per kind of work and their shares of all logged hours."""

    hunting: Decimal = ZERO
    farming: Decimal = ZERO
    other: Decimal = ZERO

    @property
    def total(self) -> Decimal:
        """All logged hours."""
        return self.hunting + self.farming + self.other

    def share(self, kind: str) -> Decimal | None:
        """The kind's share of the total (exact), or None when nothing is logged."""
        if self.total == 0:
            return None
        return Decimal(getattr(self, kind)) / self.total

    @property
    def over_line(self) -> bool:
        """True when more than half the logged time is farming."""
        return self.total > 0 and self.farming > self.total * FARMING_LINE  # exact, no division

    def __add__(self, other: Split) -> Split:
        return Split(
            self.hunting + other.hunting, self.farming + other.farming, self.other + other.other
        )


def split(hours_by_kind: Mapping[str, Decimal] | Iterable[tuple[str, Decimal]]) -> Split:
    """Sum hours per kind; unknown kinds count as other."""
    totals = dict.fromkeys(KINDS, ZERO)
    items = hours_by_kind.items() if isinstance(hours_by_kind, Mapping) else hours_by_kind
    for kind, hours in items:
        totals[kind if kind in totals else "other"] += Decimal(hours)
    return Split(**totals)


def split_over(by_day: Mapping[date, Mapping[str, Decimal]], first: date, last: date) -> Split:
    """The split of the days from `first` to `last` (inclusive) of hours by day and kind."""
    return split(
        (kind, hours)
        for day, kinds in by_day.items()
        if first <= day <= last
        for kind, hours in kinds.items()
    )


def whole_percentages(s: Split) -> dict[str, int] | None:
    """Shares as whole percentages that add up to exactly 100 (largest remainder)."""
    if s.total == 0:
        return None
    exact = {k: Decimal(getattr(s, k)) * 100 / s.total for k in KINDS}
    floors = {k: int(v.to_integral_value(rounding="ROUND_FLOOR")) for k, v in exact.items()}
    left = 100 - sum(floors.values())
    for k in sorted(KINDS, key=lambda k: (exact[k] - floors[k], k), reverse=True)[:left]:
        floors[k] += 1
    return floors


def pct_text(s: Split) -> str:
    """`hunting 40% · farming 55% · other 5%` or `no data`."""
    pct = whole_percentages(s)
    if pct is None:
        return "no data"
    return f"hunting {pct['hunting']}% · farming {pct['farming']}% · other {pct['other']}%"
