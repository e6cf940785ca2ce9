"""Feature: `/rolesplit report`, its CSV, the trend, and the weekly rollup with its chart."""

from __future__ import annotations

import logging
from datetime import date, datetime, timedelta

from slack_bolt import App
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

from bot.reports import views as views
from bot.reports.charts import rollup_chart, trend_chart
from bot.reports.model import Report, build_report, to_csv
from bot.reports.period import PERIOD_USAGE, TREND_USAGE, Period, parse_period, parse_trend
from bot.reports.trend import (
    SPARK_WEEKS,
    TrendTable,
    bucket_labels,
    month_buckets,
    trend,
    trim_leading,
    week_buckets,
)
from bot.services import NoTokenError, Services
from bot.slack.router import MENTION_RE, Command, Router
from bot.timecalc import local_datetime, local_today, zone
from storage import repo
from storage import report_queries as q
from storage.db import insert_ignore
from storage.models import Rollup, Workspace

log = logging.getLogger(__name__)
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


def workspace_today(services: Services, ws: Workspace) -> date:
    """Today in the workspace's own time zone (periods are workspace dates)."""
    return services.now().astimezone(zone(services.config(ws).timezone)).date()


def make_report(
    services: Services,
    team_id: str,
    period: Period,
    users: list[str] | None = None,
    since: date | None = None,
) -> Report:
    """Build a report in one read transaction (`since`: also read the days before, for a trend)."""
    ws_id = services.workspace_id(team_id)
    with services.read() as s:
        ws = s.get(Workspace, ws_id)
        assert ws is not None
        today = workspace_today(services, ws)
        return build_report(s, ws, services.config(ws), period, today, users or None, since)


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
    """Ack at once; aggregate and answer through response_url; upload the CSV when asked."""
    if cmd.args.split()[:1] and cmd.args.split()[0].lower() == "trend":
        handle_trend(cmd)
        return
    with cmd.services.Session.begin() as s:
        today = workspace_today(cmd.services, repo.ensure_workspace(s, cmd.team_id))
    parsed = parse_args(cmd.args, today)
    if isinstance(parsed, str):
        cmd.ack(response_type="ephemeral", text=parsed)
        return
    period, users, want_csv = parsed
    cmd.ack(response_type="ephemeral", text=f"Working on the report for {period.name}…")
    report = make_report(cmd.services, cmd.team_id, period, users)
    blocks, left_out = views.report_blocks(report)
    cmd.respond(
        response_type="ephemeral",
        replace_original=True,
        text=views.fallback_text(report),
        blocks=blocks,
    )
    if want_csv or left_out:
        upload_csv(
            cmd.client,
            cmd.user_id,
            report,
            f"The rolesplit report for {report.period.label()}, one row per rep per category.",
        )


# ---------------------------------------------------------------- the trend


def make_trend(
    services: Services, team_id: str, n: int, unit: str, users: list[str] | None = None
) -> tuple[TrendTable, int, date]:
    """The team's and each rep's hours per week or month from one storage read, from the first
    bucket with hours; how many empty buckets went before; today."""
    ws_id = services.workspace_id(team_id)
    with services.read() as s:
        ws = s.get(Workspace, ws_id)
        assert ws is not None
        today = workspace_today(services, ws)
        buckets = week_buckets(today, n) if unit == "week" else month_buckets(today, n)
        period = Period(buckets[0][0], buckets[-1][1], f"last {n} {unit}s")
        report = build_report(s, ws, services.config(ws), period, today, users or None)
    table, skipped = trim_leading(trend(report.inputs, buckets, today))
    return table, skipped, today


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
    table, skipped, today = make_trend(cmd.services, cmd.team_id, n, unit, users)
    note = "The chart is on its way to your DMs."
    blocks, _ = views.trend_blocks(table, unit, today, note=note, skipped=skipped)
    cmd.respond(
        response_type="ephemeral",
        replace_original=True,
        text=views.trend_fallback(table, unit),
        blocks=blocks,
    )
    unnamed = [r.user_id for r in table.reps if not r.name]
    names = _names(cmd.services, cmd.client, cmd.team_id, unnamed)
    channel = cmd.client.conversations_open(users=cmd.user_id)["channel"]["id"]
    cmd.client.files_upload_v2(
        channel=channel,
        content=trend_chart(table, bucket_labels(table.buckets, unit, today), unit, names),
        filename=f"rolesplit-trend-{n}-{unit}s-{today.isoformat()}.png",
        title=f"Farming share per {unit}, last {n} {unit}s",
        initial_comment=f"The farming share per {unit}: the team and each rep, with the 50% line.",
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
        outcome, error, ts = _post_rollup(services, ws, week, now)
        with services.Session.begin() as s:
            row = s.query(Rollup).filter_by(workspace_id=ws.id, week_start=week).one()
            row.status, row.error, row.message_ts = outcome, error, ts
            row.sent_at = now if outcome == "sent" else None
        log.log(
            logging.WARNING if outcome == "failed" else logging.INFO,
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


def recent_weeks(week: date, roster_began: date) -> tuple[tuple[date, date], ...]:
    """The last eight Monday–Sunday weeks up to the reported one, from the roster's first week."""
    return tuple(b for b in week_buckets(week, SPARK_WEEKS) if b[1] >= roster_began)


def _post_rollup(
    services: Services, ws: Workspace, week: date, now: datetime
) -> tuple[str, str | None, str | None]:
    cfg = services.config(ws)
    today = local_today(now, cfg.timezone)
    period = Period(week, week + timedelta(days=6), "last week")
    with services.read() as s:
        began = q.roster_began(s, ws.id)
        first_day = None if began is None else local_today(began, cfg.timezone)
        if first_day is None or first_day > period.last:
            return "skipped", "nobody was on the roster that week", None
        buckets = recent_weeks(week, first_day)
        report = build_report(s, ws, cfg, period, today, since=buckets[0][0])
    recent = trend(report.inputs, buckets, today)
    blocks, left_out = views.report_blocks(
        report,
        title="Weekly rollup",
        csv_hint=False,
        recent=views.trend_recent_line(recent.team_shares),
    )
    try:
        client = services.client_for(ws.team_id)
        resp = client.chat_postMessage(
            channel=cfg.rollup_channel or "", text=views.fallback_text(report), blocks=blocks
        )
        channel, ts = resp["channel"], resp["ts"]
        if report.team.total > 0:  # a week without hours gets no (empty) chart
            unnamed = [r.user_id for r in report.reps if not r.name]
            names = _names(services, client, ws.team_id, unnamed)
            client.files_upload_v2(
                channel=channel,
                thread_ts=ts,
                content=rollup_chart(report, names),
                filename=f"rolesplit-{week.isoformat()}.png",
                title=f"Hunting / farming / other hours, week of {week:%-d %b}",
            )
        if left_out:
            client.files_upload_v2(
                channel=channel,
                thread_ts=ts,
                content=to_csv(report),
                filename=f"rolesplit-{week.isoformat()}.csv",
                title="All reps, per category",
            )
    except NoTokenError:
        return "failed", "no bot token", None
    except SlackApiError as err:
        return "failed", str(err.response.get("error"))[:200], None
    return "sent", None, ts


def _names(
    services: Services, client: WebClient, team_id: str, user_ids: list[str]
) -> dict[str, str]:
    """Display names for a chart (an image cannot show mentions); cached users.info."""
    names: dict[str, str] = {}
    for user_id in user_ids:
        try:
            info = services.user_info(client, team_id, user_id)
        except SlackApiError:
            continue
        if info:
            names[user_id] = str(info.get("real_name") or info.get("name") or user_id)
    return names


JOBS = (("rollups", send_rollups),)


def register(app: App, services: Services, router: Router) -> None:
    """`/rolesplit report` (managers)."""
    router.add("report", handle_report, USAGE, manager_only=True, order=20)
