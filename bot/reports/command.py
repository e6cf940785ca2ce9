"""Feature: `/rolesplit report`, its CSV, and `/rolesplit report trend` with its chart (the weekly
rollup is in rollup.py)."""

from __future__ import annotations

from datetime import date

from slack_bolt import App
from sqlalchemy.orm import Session

from bot.config import WorkspaceConfig
from bot.reports import views as views
from bot.reports.charts import trend_chart
from bot.reports.model import Report, build_report, to_csv
from bot.reports.period import PERIOD_USAGE, TREND_USAGE, Period, parse_period, parse_trend
from bot.reports.rollup import display_names
from bot.reports.trend import (
    TrendTable,
    bucket_labels,
    month_buckets,
    trend,
    trim_leading,
    week_buckets,
)
from bot.services import Services
from bot.slack import outbox
from bot.slack.app import Wiring
from bot.slack.context import Request
from bot.slack.router import MENTION_RE, Command
from bot.timecalc import local_today

USAGE = (
    "report [PERIOD] [@user …] [csv] — hours, split, verdict and capacity · "
    "report trend [N weeks|N months] — the farming share week by week"
)


def parse_args(args: str, today: date) -> tuple[Period, list[str], bool] | str:
    """(period, mentioned users, csv?) from the command's words, or the problem with usage."""
    users = list(dict.fromkeys(MENTION_RE.findall(args)))
    words = [w for w in MENTION_RE.sub(" ", args).split() if w]
    want_csv = any(w.lower() == "csv" for w in words)
    words = [w for w in words if w.lower() != "csv"]
    if len(words) > 1:
        return f"Give one period at most. Periods: {PERIOD_USAGE}."
    try:
        return parse_period(words[0] if words else None, today), users, want_csv
    except ValueError as err:
        return f"{err}\nUsage: `/rolesplit {USAGE}`"


def workspace_today(services: Services, cfg: WorkspaceConfig) -> date:
    """Today in the workspace's own time zone (periods are workspace dates)."""
    return local_today(services.now(), cfg.timezone)


def report_for(
    req: Request, session: Session, period: Period, users: list[str] | None = None
) -> Report:
    """The report of the request's workspace, read in the caller's read transaction."""
    ws = req.workspace
    return build_report(
        session, ws.id if ws else None, req.settings, period, req.today, users or None
    )


def send_csv(cmd: Command, report: Report, comment: str) -> None:
    """The report as CSV in the manager's DM, through the outbox: retried while Slack fails,
    and the manager told if Slack refuses it (a missing scope is named)."""
    services = cmd.services
    name = f"rolesplit-{report.period.first.isoformat()}-{report.period.last.isoformat()}.csv"
    csv = outbox.File(
        to_csv(report).encode(), name, f"rolesplit report {report.period.name}", comment
    )
    outbox.share(services, cmd.team_id, cmd.user_id, [csv], tell=cmd.user_id)


def handle_report(cmd: Command) -> None:
    """Ack at once; aggregate and answer through response_url; upload the CSV when asked.

    Read only: who asks, the manager check and the aggregation share one read transaction.
    """
    if cmd.args.split()[:1] and cmd.args.split()[0].lower() == "trend":
        handle_trend(cmd)
        return
    parsed = parse_args(cmd.args, cmd.request.today)
    if isinstance(parsed, str):
        cmd.ack(response_type="ephemeral", text=parsed)
        return
    period, users, want_csv = parsed
    cmd.ack(response_type="ephemeral", text=f"Working on the report for {period.name}…")
    with cmd.reading() as session:
        report = report_for(cmd.request, session, period, users)
    blocks, left_out = views.report_blocks(report)
    cmd.replace_ack(views.fallback_text(report), blocks)
    if want_csv or left_out:
        send_csv(
            cmd,
            report,
            f"The rolesplit report for {report.period.label()}, one row per rep per category.",
        )


# ---------------------------------------------------------------- the trend


def make_trend(
    req: Request, session: Session, n: int, unit: str, users: list[str] | None = None
) -> tuple[TrendTable, int]:
    """The team's and each rep's hours per week or month from one storage read (in the
    caller's read transaction), from the first bucket with hours; how many empty buckets went
    before."""
    today = req.today
    buckets = week_buckets(today, n) if unit == "week" else month_buckets(today, n)
    period = Period(buckets[0][0], buckets[-1][1], f"last {n} {unit}s")
    report = report_for(req, session, period, users)
    return trim_leading(trend(report.inputs, buckets, today))


def handle_trend(cmd: Command) -> None:
    """`/rolesplit report trend [N weeks|N months] [@user …]`: text now, the chart by DM."""
    args = cmd.args.split(None, 1)[1] if len(cmd.args.split()) > 1 else ""
    users = list(dict.fromkeys(MENTION_RE.findall(args)))
    try:
        n, unit = parse_trend(MENTION_RE.sub(" ", args))
    except ValueError as err:
        cmd.ack(response_type="ephemeral", text=f"{err}\nUsage: `/rolesplit report {TREND_USAGE}`")
        return
    cmd.ack(response_type="ephemeral", text=f"Working on the trend for the last {n} {unit}s…")
    today = cmd.request.today
    with cmd.reading() as session:
        table, skipped = make_trend(cmd.request, session, n, unit, users)
    note = "The chart is on its way to your DMs."
    blocks, _ = views.trend_blocks(table, unit, today, note=note, skipped=skipped)
    cmd.replace_ack(views.trend_fallback(table, unit), blocks)
    unnamed = [r.user_id for r in table.reps if not r.name]
    names = display_names(cmd.services, cmd.client, cmd.team_id, unnamed)
    chart = outbox.File(
        trend_chart(table, bucket_labels(table.buckets, unit, today), unit, names),
        f"rolesplit-trend-{n}-{unit}s-{today.isoformat()}.png",
        f"Farming share per {unit}, last {n} {unit}s",
        f"The farming share per {unit}: the team and each rep, with the 50% line.",
    )
    outbox.share(cmd.services, cmd.team_id, cmd.user_id, [chart], tell=cmd.user_id)


def register(app: App, wiring: Wiring) -> None:
    """`/rolesplit report` and `/rolesplit report trend` (managers)."""
    wiring.router.add("report", handle_report, USAGE, manager_only=True, order=20, read_only=True)
