"""The manager report as plain data: one storage read, the one computation, and the CSV.

`build_report` reads a period's rows in the caller's transaction (storage.report_queries) and
hands them to `assemble`, which turns them into `compute()`'s inputs and keeps its numbers;
the Slack blocks, the rollup and its chart, the CSV, the terminal, the App Home and the time
study all render a `Report`, so they show the same numbers.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

from sqlalchemy.orm import Session

from bot.calendar import calendar_for, is_holiday
from bot.config import WorkspaceConfig, parse_work_days
from bot.reports.numbers import Days, Numbers, RepInput, RepNumbers, compute
from bot.reports.period import Period
from bot.reports.verdict import TeamVerdict, category_definitions
from bot.split import Split
from bot.timecalc import local_today
from storage import report_queries as q


@dataclass(frozen=True)
class CategoryInfo:
    """A category as the report shows it."""

    id: int
    key: str
    label: str
    kind: str
    short: str


@dataclass(frozen=True)
class RepLine(RepNumbers):
    """One rep's numbers for the period, with their hours per category."""

    hours: dict[str, Decimal]  # category key -> hours


@dataclass(frozen=True)
class Report:
    """Everything a manager sees for one period."""

    period: Period
    categories: tuple[CategoryInfo, ...]  # those with hours in the period (all when none)
    definitions: str  # what counts as hunting, farming and other
    reps: tuple[RepLine, ...]
    numbers: Numbers
    wins: q.Wins
    inputs: tuple[RepInput, ...] = ()  # the raw days (since the read's `since`), for trends

    @property
    def team(self) -> Split:
        """The team's hours by kind."""
        return self.numbers.team.split

    @property
    def verdict(self) -> TeamVerdict:
        """The team verdict, with how sure it is."""
        return self.numbers.team.verdict

    @property
    def team_days(self) -> Days:
        """The team's days logged out of work days, away days and days off."""
        t = self.numbers.team
        return Days(t.logged_days, t.work_days, t.away_days, t.days_off)

    @property
    def not_logging(self) -> list[RepLine]:
        """Reps with work days in the period and no answer at all."""
        return [r for r in self.reps if r.days.work > 0 and r.days.logged + r.days.off == 0]


def rep_inputs(rows: q.ReportRows, cfg: WorkspaceConfig) -> list[RepInput]:
    """`compute()`'s inputs from the rows: each rep's days by kind, days off, away days."""
    out = []
    shared: dict[tuple[Decimal, Decimal, Decimal], Split] = {}  # days repeat: one Split each
    for m in rows.members:
        joined = local_today(m.created_at, cfg.timezone)
        if m.first_answered is not None:
            joined = min(joined, m.first_answered)
        day_hours = rows.day_hours.get(m.member_id, {})
        left = None if m.active else (m.last_answered or joined - timedelta(days=1))
        out.append(
            RepInput(
                user_id=m.user_id,
                name=m.name,
                role=m.role,
                joined=joined,
                work_days=parse_work_days(m.work_days) if m.work_days else cfg.work_days,
                hours={
                    d: shared.get(h) or shared.setdefault(h, Split(*h))
                    for d, h in day_hours.items()
                },
                days_off=frozenset(rows.days_off.get(m.member_id, set())),
                away=frozenset(rows.away.get(m.member_id, {})),
                left=left,
            )
        )
    return out


def assemble(rows: q.ReportRows, cfg: WorkspaceConfig, period: Period, today: date) -> Report:
    """The report from one period's rows (pure): compute() for the numbers, rows for the rest."""
    cats = [
        CategoryInfo(c.id, c.key, c.label, c.kind, (c.aliases or (c.key,))[0])
        for c in rows.categories
    ]
    by_id = {c.id: c for c in cats}
    inputs = rep_inputs(rows, cfg)
    numbers = compute(
        inputs, period.first, period.last, today, len(cfg.work_days), cfg.am_week_hours
    )
    lines = []
    for m, n in zip(rows.members, numbers.reps, strict=True):
        d = n.days
        joined = local_today(m.created_at, cfg.timezone)
        if not (n.split.total or d.work or d.away or d.off or joined <= period.last):
            continue  # joined after the period and nothing in it: not part of it
        hours = {
            by_id[cid].key: h
            for cid, h in rows.category_hours.get(m.member_id, {}).items()
            if cid in by_id
        }
        lines.append(RepLine(**vars(n), hours=hours))
    with_hours = {k for r in lines for k in r.hours}
    active = [c for c in rows.categories if c.active or c.key in with_hours]
    return Report(
        period=period,
        categories=tuple(c for c in cats if c.key in with_hours) or tuple(cats),
        definitions=category_definitions(active),
        reps=tuple(lines),
        numbers=numbers,
        wins=rows.wins,
        inputs=tuple(inputs),
    )


def build_report(
    session: Session,
    workspace_id: int | None,
    cfg: WorkspaceConfig,
    period: Period,
    today: date,
    user_ids: list[str] | None = None,
    since: date | None = None,
) -> Report:
    """Read the period (one storage read, in the caller's transaction) and assemble the report;
    `since` also reads the days before it, for a trend. A workspace not stored reports empty."""
    if workspace_id is None:
        rows = q.ReportRows(
            period.first, period.last, since or period.first, [], [], {}, {}, {}, {}, q.Wins()
        )
    else:
        cal = calendar_for(cfg.holidays)
        rows = q.report_rows(
            session,
            workspace_id,
            period.first,
            period.last,
            today,
            user_ids,
            since,
            holiday=lambda day: is_holiday(cal, day),
        )
    return assemble(rows, cfg, period, today)


CSV_COLUMNS = (
    "period_start",
    "period_end",
    "user_id",
    "name",
    "role",
    "category_key",
    "category_label",
    "kind",
    "hours",
    "rep_total_hours",
    "hunting_share",
    "farming_share",
    "other_share",
    "days_logged",
    "days_off",
    "work_days",
    "over_half_farming",
    "away_days",
    "farming_hours_per_logged_day",
    "capacity",
    "team_farming_share",
    "team_interval_low",
    "team_interval_high",
    "team_capacity",
    "verdict",
)


def _share(s: Split, kind: str) -> str:
    value = s.share(kind)
    return "" if value is None else f"{value:.4f}"


def _team_columns(report: Report) -> list[object]:
    t = report.numbers.team
    low = high = ""
    if t.interval is not None:
        low, high = f"{t.interval.low:.4f}", f"{t.interval.high:.4f}"
    return [_share(t.split, "farming"), low, high, t.capacity_shown, report.verdict.label]


def to_csv(report: Report) -> str:
    """One row per rep per category (a rep with no hours gets one row without a category)."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(CSV_COLUMNS)
    team = _team_columns(report)
    for r in report.reps:
        per_day = "" if r.farming_per_day is None else f"{r.farming_per_day:.2f}"
        common = [
            r.split.total,
            _share(r.split, "hunting"),
            _share(r.split, "farming"),
            _share(r.split, "other"),
            r.days.logged,
            r.days.off,
            r.days.work,
            "yes" if r.over_line else "no",
            r.days.away,
            per_day,
            f"{r.capacity:.3f}",
            *team,
        ]
        rows: list[CategoryInfo | None] = [c for c in report.categories if c.key in r.hours]
        for c in rows or [None]:
            writer.writerow(
                [
                    report.period.first,
                    report.period.last,
                    r.user_id,
                    r.name or "",
                    r.role,
                    c.key if c else "",
                    c.label if c else "",
                    c.kind if c else "",
                    r.hours.get(c.key, "") if c else "",
                    *common,
                ]
            )
    return out.getvalue()
