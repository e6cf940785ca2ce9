"""`rolesplit report` in the terminal: the same report as Slack's, as a table or CSV."""

from __future__ import annotations

import sys
from typing import TextIO

from sqlalchemy import select
from sqlalchemy.orm import Session

from bot.config import ConfigError
from bot.reports.command import workspace_today
from bot.reports.model import Report, build_report, to_csv
from bot.reports.period import parse_period
from bot.services import Services
from bot.slack.blocks import fmt_hours
from bot.split import pct_text, whole_percentages
from storage.models import Workspace


def render_table(report: Report) -> str:
    """An aligned plain-text table with the team line, verdict and capacity."""
    rows = [("rep", "role", "hours", "hunt", "farm", "other", "days", "")]
    for r in sorted(report.reps, key=lambda r: r.user_id):
        pct = whole_percentages(r.split)
        shares = (
            (f"{pct['hunting']}%", f"{pct['farming']}%", f"{pct['other']}%")
            if pct
            else ("no data", "", "")
        )
        rows.append(
            (
                r.name or r.user_id,
                r.role,
                fmt_hours(r.split.total),
                *shares,
                f"{r.days_logged}/{r.work_days}",
                "over half farming" if r.over_line else "",
            )
        )
    widths = [max(len(str(row[i])) for row in rows) for i in range(len(rows[0]))]
    lines = [f"rolesplit report — {report.period.label()}", ""]
    for i, row in enumerate(rows):
        lines.append("  ".join(str(c).ljust(w) for c, w in zip(row, widths, strict=True)).rstrip())
        if i == 0:
            lines.append("  ".join("-" * w for w in widths))
    lines += [
        "",
        f"Team: {fmt_hours(report.team.total)} h — {pct_text(report.team)}",
        f"Verdict: {report.verdict.label}. {report.verdict.reason}",
    ]
    if report.team.farming:
        lines.append(
            f"Capacity: the farming work is about {report.account_managers} account "
            f"managers at {report.am_week_hours} h a week."
        )
    return "\n".join(lines) + "\n"


def pick_workspace(session: Session, team: str | None) -> Workspace:
    """The workspace named by --team, or the only one; ConfigError naming the choices."""
    teams = list(session.scalars(select(Workspace.team_id).order_by(Workspace.team_id)))
    if team is None and len(teams) == 1:
        team = teams[0]
    if team is None or team not in teams:
        known = ", ".join(teams) or "none yet"
        raise ConfigError(f"--team: name one of the installed workspaces ({known})")
    return session.scalars(select(Workspace).where(Workspace.team_id == team)).one()


def print_report(
    services: Services,
    period_text: str | None,
    team: str | None,
    *,
    as_csv: bool,
    out: TextIO | None = None,
) -> int:
    """Print the report for one workspace (the only one, or --team)."""
    out = out or sys.stdout
    with services.Session() as s:
        ws = pick_workspace(s, team)
        cfg = services.config(ws)
        today = workspace_today(services, cfg)
        try:
            period = parse_period(period_text, today)
        except ValueError as err:
            raise ConfigError(f"PERIOD: {err}") from None
        report = build_report(s, ws.id, cfg, period, today)
    out.write(to_csv(report) if as_csv else render_table(report))
    return 0
