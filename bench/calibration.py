"""Calibration of "how sure": simulated teams with a known farming share, run through the verdict.

    python -m bench.calibration [--sims 2000] [--seed 20261124] [--quick]

Teams of 5, 10, 25, 50 and 200 reps log for 1, 2, 4 or 8 weeks (Monday to Friday). Each team
is drawn from a population of reps whose farming share averages `mu`; reps differ, days vary,
and 20–40% of work days go unlogged. Every simulated team goes through the product's own
interval and verdict (bot.reports.confidence.farming_interval and bot.reports.verdict.decide,
the functions bot.reports.numbers.compute calls); the first few teams of every cell also go
through compute() itself, day by day, and must give the same interval and verdict.

The true team share is E[farming hours] / E[total hours] for the team's population of reps
over a random work day — here exactly `mu`, because a rep's hours are drawn independently of
their share. The bench also reports coverage of the share of *these* reps (Σ hᵢ·mᵢ / Σ hᵢ:
their own long-run shares, weighted by their usual day length).

Reported per team size and study length: (a) how often the 90% interval covers the true share
(target 88–92%), (b) how often a conclusive verdict is on the wrong side of 50% (target under
5%), (c) how often the study ends inconclusive, and why. For comparison, the same teams go
through two methods the product does not use: the linearised ratio variance (with t) and the
rep-clustered percentile bootstrap (1,000 resamples, on the first `--boot-sims` teams).
Seeded: one command, the same numbers. Local only; bounded; about 2 minutes on 2 cores.
"""

from __future__ import annotations

import argparse
import sys
import time
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal

import numpy as np

from bot.reports.confidence import farming_interval, t95
from bot.reports.numbers import RepInput, compute
from bot.reports.rules import Split
from bot.reports.verdict import COVERAGE, INTERVAL, MIN_DAYS, SEPARATE, decide

SIZES = (5, 10, 25, 50, 200)
WEEKS = (1, 2, 4, 8)
MUS = (0.30, 0.46, 0.54, 0.70)  # clearly under, just under, just over, clearly over 50%
WEEK_SD = 0.05  # a rep's weeks drift around their share
DAY_SD = 0.15  # and days vary around the week's
DAY_HOURS_SHAPE = 16.0  # a day's hours: usual × Gamma(16)/16 (25% day-to-day)
LOGGING = (0.60, 0.80)  # share of work days a rep logs, uniform
FIRST_MONDAY = date(2026, 9, 7)
SENSITIVITY_SIZES = (5, 25)
CHECK_TEAMS = 3  # per cell, also run through compute() day by day
BATCH = 250


def beta(rng: np.random.Generator, mean: np.ndarray, sd: float) -> np.ndarray:
    """Beta draws with the given means and standard deviation (concentration floored)."""
    m = np.clip(mean, 1e-3, 1 - 1e-3)
    k = np.maximum(m * (1 - m) / sd**2 - 1, 0.5)
    draws: np.ndarray = rng.beta(m * k, (1 - m) * k)
    return draws


@dataclass
class Teams:
    """A batch of simulated teams: per-rep totals, the day-level hours and the truths."""

    farming: np.ndarray  # (sims, reps) logged farming hours
    total: np.ndarray  # (sims, reps) logged hours
    logged: np.ndarray  # (sims, reps) logged days
    day_farming: np.ndarray  # (sims, reps, days)
    day_total: np.ndarray
    day_logged: np.ndarray  # bool
    these_reps: np.ndarray  # (sims,) the share of these reps (Σ h·m / Σ h)


@dataclass(frozen=True)
class Model:
    """How the simulated reps differ; the main tables use BASE."""

    name: str
    between_sd: float = 0.12  # sd of the reps' own farming shares
    hours: tuple[float, float] = (6.0, 9.5)  # a rep's usual day, uniform
    logging_slope: float = 0.0  # logging rate moves by slope × (rep's share − population share)


BASE = Model("main tables")
VARIANTS = (
    BASE,
    Model("reps differ less (sd 5 points)", between_sd=0.05),
    Model("reps differ more (sd 20 points)", between_sd=0.20),
    Model("part-timers (usual day 2–10 h)", hours=(2.0, 10.0)),
    Model("farmers log less (rate −1 × (share − mean))", logging_slope=-1.0),
)


def simulate(
    rng: np.random.Generator, sims: int, reps: int, weeks: int, mu: float, model: Model = BASE
) -> Teams:
    """`sims` teams of `reps` reps over `weeks` Monday–Friday weeks, population share `mu`."""
    days = 5 * weeks
    m = beta(rng, np.full((sims, reps), mu), model.between_sd)
    h = rng.uniform(*model.hours, (sims, reps))
    rate = rng.uniform(*LOGGING, (sims, reps)) + model.logging_slope * (m - mu)
    rate = np.clip(rate, 0.05, 1.0)
    week = beta(rng, np.repeat(m[:, :, None], weeks, axis=2), WEEK_SD)
    q = beta(rng, np.repeat(week, 5, axis=2), DAY_SD)
    hours = h[:, :, None] * rng.gamma(DAY_HOURS_SHAPE, 1 / DAY_HOURS_SHAPE, (sims, reps, days))
    farming = np.round(hours * q * 4) / 4  # quarter hours, as the form takes them
    rest = np.round(hours * (1 - q) * 4) / 4
    logged = rng.random((sims, reps, days)) < rate[:, :, None]
    day_total = farming + rest
    return Teams(
        farming=(farming * logged).sum(axis=2),
        total=(day_total * logged).sum(axis=2),
        logged=logged.sum(axis=2),
        day_farming=farming,
        day_total=day_total,
        day_logged=logged,
        these_reps=(h * m).sum(axis=1) / h.sum(axis=1),
    )


@dataclass
class Cell:
    """Counts for one team size × study length × population share."""

    sims: int = 0
    covered: int = 0
    covered_these: int = 0
    covered_linear: int = 0
    boot_sims: int = 0
    covered_boot: int = 0
    conclusive: int = 0
    wrong: int = 0
    wrong_these: int = 0
    reasons: dict[str, int] = field(default_factory=lambda: {INTERVAL: 0, COVERAGE: 0, MIN_DAYS: 0})
    widths: list[float] = field(default_factory=list)


def wrong_side(label: str, truth: float) -> bool:
    """A conclusive verdict on the wrong side of 50%: separate when ≤ 50%, or not when over."""
    return (label == SEPARATE) != (truth > 0.5)


def linear_covers(f: np.ndarray, t: np.ndarray, truth: float) -> bool:
    """The linearised ratio estimator with t (n − 1 df): a comparison, not the product."""
    keep = t > 0
    f, t = f[keep], t[keep]
    n = f.size
    r = f.sum() / t.sum()
    e = f - r * t
    se = float(np.sqrt(n / (n - 1) * (e**2).sum()) / t.sum())
    return bool(abs(r - truth) <= t95(n - 1) * se)


def boot_covers(rng: np.random.Generator, f: np.ndarray, t: np.ndarray, truth: float) -> bool:
    """The rep-clustered percentile bootstrap (1,000 resamples): a comparison, not the product."""
    keep = t > 0
    f, t = f[keep], t[keep]
    idx = rng.integers(0, f.size, (1000, f.size))
    ratios = f[idx].sum(axis=1) / t[idx].sum(axis=1)
    low, high = np.quantile(ratios, [0.05, 0.95])
    return bool(low <= truth <= high)


def through_compute(teams: Teams, i: int, weeks: int) -> tuple[object, str]:
    """Team i, day by day, through compute(): its interval and verdict label."""
    days = [FIRST_MONDAY + timedelta(days=7 * (d // 5) + d % 5) for d in range(5 * weeks)]
    reps = []
    for r in range(teams.farming.shape[1]):
        hours = {
            day: Split(
                hunting=Decimal(teams.day_total[i, r, d] - teams.day_farming[i, r, d]),
                farming=Decimal(teams.day_farming[i, r, d]),
            )
            for d, day in enumerate(days)
            if teams.day_logged[i, r, d]
        }
        reps.append(RepInput(f"U{r}", None, "hybrid", FIRST_MONDAY, (0, 1, 2, 3, 4), hours))
    last = FIRST_MONDAY + timedelta(days=7 * weeks - 1)
    n = compute(reps, FIRST_MONDAY, last, last + timedelta(days=1), 5)
    return n.team.interval, n.team.verdict.label


def run_cell(
    seed: int,
    index: int,
    reps: int,
    weeks: int,
    mu: float,
    sims: int,
    boot: int,
    model: Model = BASE,
) -> Cell:
    """Simulate one cell in batches and count what the verdict did."""
    rng = np.random.default_rng([seed, index])
    cell = Cell()
    done = 0
    while done < sims:
        size = min(BATCH, sims - done)
        teams = simulate(rng, size, reps, weeks, mu, model)
        for i in range(size):
            f, t = teams.farming[i], teams.total[i]
            logged = int(teams.logged[i].sum())
            team = Split(hunting=Decimal(float(t.sum() - f.sum())), farming=Decimal(float(f.sum())))
            interval = farming_interval(f, t, point=team.share("farming"))
            verdict = decide(team, interval, logged, 5 * weeks * reps, reps)
            if done + i < CHECK_TEAMS:
                assert through_compute(teams, i, weeks) == (interval, verdict.label)
            cell.sims += 1
            if interval is not None:
                low, high = float(interval.low), float(interval.high)
                cell.covered += low <= mu <= high
                cell.covered_these += low <= float(teams.these_reps[i]) <= high
                cell.widths.append(high - low)
            cell.covered_linear += linear_covers(f, t, mu)
            if done + i < boot:
                cell.boot_sims += 1
                cell.covered_boot += boot_covers(rng, f, t, mu)
            if verdict.conclusive:
                cell.conclusive += 1
                cell.wrong += wrong_side(verdict.label, mu)
                cell.wrong_these += wrong_side(verdict.label, float(teams.these_reps[i]))
            for reason in verdict.reasons:
                cell.reasons[reason.code] += 1
        done += size
    return cell


def pct(k: int, n: int) -> str:
    """`89.6` (percent, one decimal) or `–` when there is nothing to count."""
    return "–" if n == 0 else f"{100 * k / n:.1f}"


def summary(group: list[Cell]) -> dict[str, str]:
    """The columns of a row for a group of cells, pooled."""
    n = sum(c.sims for c in group)
    with_interval = sum(len(c.widths) for c in group)
    conclusive = sum(c.conclusive for c in group)
    wrong = sum(c.wrong for c in group)
    widths = [w for c in group for w in c.widths]
    return {
        "covers": pct(sum(c.covered for c in group), with_interval),
        "covers these": pct(sum(c.covered_these for c in group), with_interval),
        "linearised": pct(sum(c.covered_linear for c in group), n),
        "bootstrap": pct(sum(c.covered_boot for c in group), sum(c.boot_sims for c in group)),
        "width": f"{100 * float(np.median(widths)):.1f}" if widths else "–",
        "conclusive": pct(conclusive, n),
        "wrong of all": pct(wrong, n),
        "wrong of conclusive": pct(wrong, conclusive),
        "wrong these": pct(sum(c.wrong_these for c in group), n),
        "inconclusive": pct(n - conclusive, n),
        INTERVAL: pct(sum(c.reasons[INTERVAL] for c in group), n),
        COVERAGE: pct(sum(c.reasons[COVERAGE] for c in group), n),
        MIN_DAYS: pct(sum(c.reasons[MIN_DAYS] for c in group), n),
    }


def table(head: list[str], keys: list[str], rows: list[tuple[list[str], dict[str, str]]]) -> None:
    """Print a markdown table: the row labels, then the chosen summary columns."""
    print("| " + " | ".join(head) + " |")
    print("|" + " --- |" * len(head))
    for labels, cols in rows:
        print("| " + " | ".join([*labels, *(cols[k] for k in keys)]) + " |")
    print()


def main(argv: list[str] | None = None) -> int:
    """Run every cell and print the tables (markdown)."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sims", type=int, default=2000, help="teams per cell")
    parser.add_argument("--boot-sims", type=int, default=300, help="teams per cell bootstrapped")
    parser.add_argument("--seed", type=int, default=20261124)
    parser.add_argument("--quick", action="store_true", help="200 teams per cell (a smoke run)")
    args = parser.parse_args(argv)
    sims = 200 if args.quick else args.sims
    boot = min(args.boot_sims, sims)
    started = time.perf_counter()
    cells: dict[tuple[int, int, float], Cell] = {}
    index = 0
    for reps in SIZES:
        for weeks in WEEKS:
            for mu in MUS:
                cells[reps, weeks, mu] = run_cell(args.seed, index, reps, weeks, mu, sims, boot)
                index += 1
            print(f"… {reps} reps, {weeks} weeks done", file=sys.stderr, flush=True)
    print(f"{sims} teams per cell (bootstrap: {boot}), seed {args.seed}\n")
    print("By team size and study length, the four true shares pooled:\n")
    table(
        [
            "reps", "weeks", "covers true share %", "covers these reps' share %",
            "linearised %", "bootstrap %", "median width pts", "conclusive %",
            "wrong side % of all", "wrong side % of conclusive", "inconclusive %",
            "interval %", "<60% logged %", "<5 days %",
        ],
        [
            "covers", "covers these", "linearised", "bootstrap", "width", "conclusive",
            "wrong of all", "wrong of conclusive", "inconclusive", INTERVAL, COVERAGE, MIN_DAYS,
        ],
        [
            ([str(r), str(w)], summary([cells[r, w, mu] for mu in MUS]))
            for r in SIZES
            for w in WEEKS
        ],
    )  # fmt: skip
    print("By team size and true share, studies of 2, 4 and 8 weeks pooled:\n")
    table(
        [
            "reps", "true share", "covers %", "conclusive %", "wrong side % of all",
            "wrong side % of conclusive", "wrong side (these reps) % of all",
        ],
        ["covers", "conclusive", "wrong of all", "wrong of conclusive", "wrong these"],
        [
            ([str(r), f"{100 * mu:.0f}%"], summary([cells[r, w, mu] for w in WEEKS[1:]]))
            for r in SIZES
            for mu in MUS
        ],
    )  # fmt: skip
    rows = []
    for v, model in enumerate(VARIANTS):
        for reps in SENSITIVITY_SIZES:
            group = [
                run_cell(args.seed, 1000 + 10 * v + j, reps, 4, mu, sims, 0, model)
                for j, mu in enumerate((0.46, 0.54))
            ]
            rows.append(([model.name, str(reps)], summary(group)))
    print("Other kinds of team: 4 weeks, true share 46% and 54% pooled:\n")
    table(
        [
            "model", "reps", "covers true share %", "covers these reps' share %",
            "conclusive %", "wrong side % of all", "wrong side % of conclusive",
        ],
        ["covers", "covers these", "conclusive", "wrong of all", "wrong of conclusive"],
        rows,
    )  # fmt: skip
    print(f"{time.perf_counter() - started:.0f} s in all")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
