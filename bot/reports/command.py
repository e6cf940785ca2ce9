"""Feature: `/rolesplit report`, its CSV, and the weekly rollup with a chart."""

from __future__ import annotations

import logging
from datetime import date, datetime, timedelta

from slack_bolt import App
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError
from sqlalchemy.orm import Session

from bot import handoff
from bot.config import WorkspaceConfig
from bot.reports import views as views
from bot.reports.charts import rollup_chart
from bot.reports.model import Report, build_report, to_csv
from bot.reports.period import PERIOD_USAGE, Period, parse_period
from bot.services import Services
from bot.slack import outbound
from bot.slack.app import Wiring
from bot.slack.client import NoTokenError
from bot.slack.context import Request
from bot.slack.router import MENTION_RE, Command
from bot.timecalc import local_datetime, local_today, zone
from storage.db import insert_ignore
from storage.models import Rollup, Workspace

log = logging.getLogger(__name__)
USAGE = "report [PERIOD] [@user …] [csv] — hours, split, verdict and capacity"


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


def upload_csv(client: WebClient, user_id: str, report: Report, comment: str) -> None:
    """The report as CSV in the manager's DM (getUploadURLExternal + completeUploadExternal)."""
    channel = client.conversations_open(users=user_id)["channel"]["id"]
    name = f"rolesplit-{report.period.first.isoformat()}-{report.period.last.isoformat()}.csv"
    client.files_upload_v2(
        channel=channel,
        content=to_csv(report),
        filename=name,
        title=f"rolesplit report {report.period.name}",
        initial_comment=comment,
    )


def handle_report(cmd: Command) -> None:
    """Ack at once; aggregate and answer through response_url; upload the CSV when asked.

    Read only: who asks, the manager check and the aggregation share one read transaction.
    """
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
        upload_csv(
            cmd.client,
            cmd.user_id,
            report,
            f"The rolesplit report for {report.period.label()}, one row per rep per category.",
        )


# ---------------------------------------------------------------- weekly rollup


def rollup_due(services: Services, ws: Workspace, now: datetime) -> date | None:
    """The Monday of the week to report when this week's rollup time has passed, else None."""
    cfg = services.config(ws)
    if not cfg.rollup_channel:
        return None
    tz = zone(cfg.timezone)
    today = now.astimezone(tz).date()
    monday = today - timedelta(days=today.weekday())
    due_at = local_datetime(monday + timedelta(days=cfg.rollup_weekday), cfg.rollup_time, tz)
    if now < due_at:
        return None
    return monday - timedelta(days=7)


def send_rollups(services: Services, now: datetime) -> int:
    """Post last week's report and chart once per workspace per week (claimed first)."""
    with services.Session() as s:
        workspaces = list(s.query(Workspace).filter(Workspace.installed.is_(True)))
    sent = 0
    for ws in workspaces:
        week = rollup_due(services, ws, now)
        if week is None:
            continue
        with services.Session.begin() as s:
            claimed = insert_ignore(
                s,
                Rollup,
                {"workspace_id": ws.id, "week_start": week, "claimed_at": now, "status": "claimed"},
                ["workspace_id", "week_start"],
            )
        if not claimed:
            continue
        outcome, error, ts = _post_rollup(services, ws, week)
        with services.Session.begin() as s:
            row = s.query(Rollup).filter_by(workspace_id=ws.id, week_start=week).one()
            row.status, row.error, row.message_ts = outcome, error, ts
            row.sent_at = now if outcome == "sent" else None
        log.log(
            logging.INFO if outcome == "sent" else logging.WARNING,
            "rollup %s%s",
            outcome,
            f": {error}" if error else "",
            extra={
                "job": "rollups",
                "team_id": ws.team_id,
                "outcome": outcome,
                **({"error": error} if error else {}),
            },
        )
        sent += outcome == "sent"
    return sent


def _post_rollup(
    services: Services, ws: Workspace, week: date
) -> tuple[str, str | None, str | None]:
    cfg = services.config(ws)
    period = Period(week, week + timedelta(days=6), "last week")
    today = workspace_today(services, cfg)
    with services.read() as s:
        report = build_report(s, ws.id, cfg, period, today)
        drags, drag_totals = handoff.drag_summary(s, ws.id, today, cfg.timezone)
    # the hand-offs not closed, as of today: days to the intro call, overdue items, past transfer
    drag = handoff.drag_blocks(drags, drag_totals) if drag_totals.handoffs else []
    blocks, left_out = views.report_blocks(
        report, title="Weekly rollup", csv_hint=False, extra=drag
    )
    out = outbound.post(
        services,
        ws.team_id,
        cfg.rollup_channel or "",
        text=views.fallback_text(report),
        blocks=blocks,
    )
    if out.status != "sent":  # claimed once a week: a failure is recorded, not retried
        return "failed", out.error[:200], None
    try:
        client = services.slack.for_team(ws.team_id)
        names = _names(services, client, ws.team_id, report)
        client.files_upload_v2(
            channel=out.channel,
            thread_ts=out.ts,
            content=rollup_chart(report, names),
            filename=f"rolesplit-{week.isoformat()}.png",
            title=f"Hunting / farming / other hours, week of {week:%-d %b}",
        )
        if left_out:
            client.files_upload_v2(
                channel=out.channel,
                thread_ts=out.ts,
                content=to_csv(report),
                filename=f"rolesplit-{week.isoformat()}.csv",
                title="All reps, per category",
            )
    except NoTokenError:
        return "failed", "no bot token", None
    except SlackApiError as err:
        return "failed", str(err.response.get("error"))[:200], None
    return "sent", None, out.ts


def _names(services: Services, client: WebClient, team_id: str, report: Report) -> dict[str, str]:
    """Display names for the chart (an image cannot show mentions); cached users.info."""
    names: dict[str, str] = {}
    for r in report.reps:
        if r.name:
            continue
        try:
            info = services.user_info(client, team_id, r.user_id)
        except SlackApiError:
            continue
        if info:
            names[r.user_id] = str(info.get("real_name") or info.get("name") or r.user_id)
    return names


def register(app: App, wiring: Wiring) -> None:
    """`/rolesplit report` (managers)."""
    wiring.router.add("report", handle_report, USAGE, manager_only=True, order=20, read_only=True)
