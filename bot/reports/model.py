"""The manager report as plain data: built from storage, rendered to Slack, CSV, terminal."""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from sqlalchemy.orm import Session

from bot.calendar import calendar_for, is_holiday
from bot.config import WorkspaceConfig, parse_work_days
from bot.reports.period import Period, work_days_between
from bot.reports.rules import Verdict, account_managers_needed, verdict
from bot.split import Split, split
from storage import away_repo
from storage import report_queries as q


@dataclass(frozen=True)
class CategoryInfo:
    """A category as the report shows it."""

    id: int
    key: str
    label: str
    kind: str
    short: str


@dataclass
class RepLine:
    """One rep's numbers for the period."""

    user_id: str
    name: str | None
    role: str
    hours: dict[str, Decimal]  # category key -> hours
    split: Split
    days_logged: int
    days_off: int
    work_days: int

    @property
    def over_line(self) -> bool:
        """More than half of the logged time is farming."""
        return self.split.over_line


@dataclass
class Report:
    """Everything a manager sees for one period."""

    period: Period
    categories: list[CategoryInfo]
    reps: list[RepLine]
    team: Split
    verdict: Verdict
    account_managers: Decimal
    am_week_hours: int
    wins: q.Wins = field(default_factory=q.Wins)

    @property
    def not_logging(self) -> list[RepLine]:
        """Reps with work days in the period and no answer at all."""
        return [r for r in self.reps if r.work_days > 0 and r.days_logged + r.days_off == 0]


def build_report(
    session: Session,
    workspace_id: int | None,
    cfg: WorkspaceConfig,
    period: Period,
    today: date,
    user_ids: list[str] | None = None,
) -> Report:
    """Aggregate the period in SQL and assemble the report (empty for a workspace not stored)."""
    cats = [
        CategoryInfo(c.id, c.key, c.label, c.kind, (c.aliases or [c.key])[0])
        for c in (q.workspace_categories(session, workspace_id) if workspace_id else [])
    ]
    by_id = {c.id: c for c in cats}
    members = (
        q.period_hours(session, workspace_id, period.first, period.last, user_ids)
        if workspace_id
        else []
    )
    reps: list[RepLine] = []
    cal = calendar_for(cfg.holidays)
    away = away_repo.away_days(
        session,
        [m.member_id for m in members],
        period.first,
        period.last,
        holiday=lambda day: is_holiday(cal, day),
    )
    for m in members:
        hours = {by_id[cid].key: h for cid, h in m.hours.items() if cid in by_id}
        s = split((by_id[cid].kind, h) for cid, h in m.hours.items() if cid in by_id)
        days = parse_work_days(m.work_days) if m.work_days else cfg.work_days
        start = max(period.first, m.joined)
        end = min(period.last, today)
        reps.append(
            RepLine(
                m.user_id,
                m.name,
                m.role,
                hours,
                s,
                m.days_logged,
                m.days_off,
                # away days (paused, marked away, holidays, an away status) are not work days
                work_days_between(start, end, days)
                - sum(1 for d in away[m.member_id] if start <= d <= end and d.weekday() in days),
            )
        )
    team = sum((r.split for r in reps), Split())
    days_elapsed = max(1, (min(period.last, today) - period.first).days + 1)
    return Report(
        period=period,
        categories=[c for c in cats if any(c.key in r.hours for r in reps)] or [c for c in cats],
        reps=reps,
        team=team,
        verdict=verdict(team, [r.split for r in reps]),
        account_managers=account_managers_needed(team.farming, days_elapsed, cfg.am_week_hours),
        am_week_hours=cfg.am_week_hours,
        wins=q.period_wins(session, workspace_id, period.first, period.last)
        if workspace_id
        else q.Wins(),
    )


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
)


def _share(s: Split, kind: str) -> str:
    value = s.share(kind)
    return "" if value is None else f"{value:.4f}"


def to_csv(report: Report) -> str:
    """One row per rep per category (a rep with no hours gets one row without a category)."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(CSV_COLUMNS)
    for r in report.reps:
        common = [
            r.split.total,
            _share(r.split, "hunting"),
            _share(r.split, "farming"),
            _share(r.split, "other"),
            r.days_logged,
            r.days_off,
            r.work_days,
            "yes" if r.over_line else "no",
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
