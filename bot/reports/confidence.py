"""How sure: the 90% interval of the team's farming share, with reps (not days) as the unit.

The team's farming share is a ratio, R = Σ farming_i / Σ total_i over the reps with hours. Its
spread is measured from how the reps differ: the delete-one-rep jackknife, R₍₋ᵢ₎ = (ΣF − Fᵢ) /
(ΣT − Tᵢ), gives the variance v = (n − 1)/n · Σ (R₍₋ᵢ₎ − mean R₍₋ᵢ₎)², and the interval is
R ± t · √v with Student's t for n − 1 degrees of freedom (its 95th percentile, so 5% is left
out on each side). Nothing is random, so the same data always gives the same interval.

Why this method and not a rep-clustered bootstrap: on the calibration bench (bench/calibration.py,
docs/BENCHMARKS.md) the percentile bootstrap covered the true share only 76–80% of the time for
teams of 5 reps, 84–85% for 10 and 88–89% for 25, while the jackknife with the t quantile
covered 89.0–90.3% for every team size from 5 to 200 reps and every study length from 1 to 8
weeks (the linearised ratio variance with the same t does about as well, 88.3–90.2%, a little
less at 5 reps). Floats are used only here; the results come back as Decimals.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import ROUND_CEILING, ROUND_FLOOR, Decimal
from statistics import NormalDist

import numpy as np

LEVEL = 90  # percent
HALF = Decimal("0.5")
PLACES = Decimal("0.000001")  # interval ends to six decimals, rounded outwards
MORE_DAYS_CAP = 3  # "about N more days" is capped at three times the days logged so far

# Student's t, 95th percentile, for 1–30 degrees of freedom (beyond: the Cornish–Fisher series)
T95 = (
    6.313752, 2.919986, 2.353363, 2.131847, 2.015048, 1.943180, 1.894579, 1.859548, 1.833113,
    1.812461, 1.795885, 1.782288, 1.770933, 1.761310, 1.753050, 1.745884, 1.739607, 1.734064,
    1.729133, 1.724718, 1.720743, 1.717144, 1.713872, 1.710882, 1.708141, 1.705618, 1.703288,
    1.701131, 1.699127, 1.697261,
)  # fmt: skip


def t95(df: int) -> float:
    """Student's t 95th percentile for `df` degrees of freedom (df ≥ 1)."""
    if df < 1:
        raise ValueError("t needs at least one degree of freedom")
    if df <= len(T95):
        return T95[df - 1]
    z = NormalDist().inv_cdf(0.95)
    return (
        z
        + (z**3 + z) / (4 * df)
        + (5 * z**5 + 16 * z**3 + 3 * z) / (96 * df**2)
        + (3 * z**7 + 19 * z**5 + 17 * z**3 - 15 * z) / (384 * df**3)
    )


@dataclass(frozen=True)
class Interval:
    """The 90% interval of the team's farming share (0…1) and the spread behind it."""

    low: Decimal
    high: Decimal
    half_width: Decimal  # t · standard error, before clipping to 0…1
    reps: int  # reps with hours: the units

    def contains(self, value: Decimal) -> bool:
        """True when the value lies inside the interval (ends included)."""
        return self.low <= value <= self.high

    @property
    def includes_half(self) -> bool:
        """The interval cannot tell the team from one at exactly 50% farming."""
        return self.contains(HALF)


def _down(x: float) -> Decimal:
    return Decimal(repr(x)).quantize(PLACES, rounding=ROUND_FLOOR)


def _up(x: float) -> Decimal:
    return Decimal(repr(x)).quantize(PLACES, rounding=ROUND_CEILING)


def farming_interval(
    farming: Sequence[Decimal] | Sequence[float] | np.ndarray,
    total: Sequence[Decimal] | Sequence[float] | np.ndarray,
    point: Decimal | None = None,
) -> Interval | None:
    """The jackknife-t 90% interval of Σ farming / Σ total, one pair per rep (None: fewer than
    two reps with hours). `point`, the exact share when known, is always inside."""
    f = np.asarray(farming, dtype=np.float64)
    t = np.asarray(total, dtype=np.float64)
    if f.shape != t.shape or f.ndim != 1:
        raise ValueError("one farming and one total figure per rep")
    keep = t > 0
    f, t = f[keep], t[keep]
    n = int(f.size)
    if n < 2:
        return None
    sum_f, sum_t = float(f.sum()), float(t.sum())
    share = sum_f / sum_t
    loo = (sum_f - f) / (sum_t - t)  # the share without each rep in turn
    var = (n - 1) / n * float(((loo - loo.mean()) ** 2).sum())
    half = t95(n - 1) * math.sqrt(var)
    exact = Decimal(repr(share)) if point is None else point
    low = min(_down(max(0.0, share - half)), exact)
    high = max(_up(min(1.0, share + half)), exact)
    return Interval(low, high, _up(half), n)


@dataclass(frozen=True)
class MoreDays:
    """A rough count of logged days that would make the interval leave 50%."""

    days: int | None  # None: cannot be estimated (one rep, or the share is exactly 50%)
    capped: bool  # the estimate is larger than `days`: logging alone may not settle it


def more_days_for_interval(
    share: Decimal, interval: Interval | None, logged_days: int, reps: int
) -> MoreDays:
    """Days so the half-width, shrinking with √(days logged), falls below |share − 50%|."""
    if interval is None or logged_days <= 0:
        return MoreDays(None, False)
    gap = abs(share - HALF)
    if gap == 0:
        return MoreDays(None, True)
    if interval.half_width < gap:
        return MoreDays(0, False)
    ratio = float(interval.half_width / gap)
    estimate = math.ceil(logged_days * (ratio * ratio - 1))
    cap = max(MORE_DAYS_CAP * logged_days, 5 * max(reps, 1))
    if estimate > cap:
        return MoreDays(cap, True)
    return MoreDays(max(estimate, 1), False)
