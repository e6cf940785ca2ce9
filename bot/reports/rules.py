"""Pure business rules: the hunting/farming/other split and the more-than-half line."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from decimal import ROUND_HALF_EVEN, Decimal

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


def quantize_hours(value: Decimal) -> Decimal:
    """Hours to two decimals (storage precision)."""
    return value.quantize(Decimal("0.01"), rounding=ROUND_HALF_EVEN)


# ---------------------------------------------------------------- team verdict and capacity

CONSIDER_AT = Decimal("0.40")  # a team farming share from 40% to 50%: consider separating
VERDICTS = ("keep combined", "consider separating", "separate")


@dataclass(frozen=True)
class Verdict:
    """The team's rule-of-thumb verdict and the numbers behind it."""

    label: str  # one of VERDICTS, or "no data"
    farming_share: Decimal | None
    reps_over: int
    reps_with_data: int

    @property
    def reason(self) -> str:
        """One sentence with the numbers."""
        if self.farming_share is None:
            return "No hours logged in this period yet."
        pct = round(self.farming_share * 100)
        over = f"{self.reps_over} of {self.reps_with_data} reps spend more than half on farming"
        if self.label == "separate":
            return f"The team spends {pct}% of its time farming (over 50%); {over}."
        if self.label == "consider separating":
            return (
                f"The team spends {pct}% of its time farming (40–50%: close to the line); {over}."
            )
        return f"The team spends {pct}% of its time farming (under 40%); {over}."


def verdict(team: Split, reps: list[Split]) -> Verdict:
    """Separate above 50% team farming share, consider it from 40%, else keep combined."""
    share = team.share("farming")
    with_data = [r for r in reps if r.total > 0]
    over = sum(1 for r in with_data if r.over_line)
    if share is None:
        return Verdict("no data", None, 0, 0)
    if team.over_line:
        label = "separate"
    elif team.farming >= team.total * CONSIDER_AT:  # exact comparison, no rounding
        label = "consider separating"
    else:
        label = "keep combined"
    return Verdict(label, share, over, len(with_data))


def account_managers_needed(farming_hours: Decimal, days: int, am_week_hours: int) -> Decimal:
    """Farming hours per week divided by one account manager's week, to one decimal."""
    if days <= 0 or am_week_hours <= 0:
        return Decimal(0)
    per_week = farming_hours * 7 / days
    return (per_week / am_week_hours).quantize(Decimal("0.1"))
