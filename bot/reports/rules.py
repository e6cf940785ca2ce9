"""Pure rules of the report: the team's verdict and the account managers its farming needs."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from bot.split import Split

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
