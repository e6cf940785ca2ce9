"""The weekly rollup: last week's report in the rollup channel, once per workspace per week
(claimed first), with the team's last eight weeks as a line and the chart in its thread."""

from __future__ import annotations

import logging
from datetime import date, datetime, timedelta

from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

from bot import handoff
from bot.reports import views as views
from bot.reports.charts import rollup_chart
from bot.reports.model import build_report, to_csv
from bot.reports.period import Period
from bot.reports.trend import SPARK_WEEKS, trend, week_buckets
from bot.services import Services
from bot.slack import outbound, outbox
from bot.slack.client import NoTokenError
from bot.timecalc import local_datetime, local_today, zone
from storage import report_queries as q
from storage.db import insert_ignore
from storage.models import Rollup, Workspace

log = logging.getLogger(__name__)


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
        report = build_report(s, ws.id, cfg, period, today, since=buckets[0][0])
        drags, drag_totals = handoff.drag_summary(s, ws.id, today, cfg.timezone)
    recent = trend(report.inputs, buckets, today)
    # the hand-offs not closed, as of today: days to the intro call, overdue items, past transfer
    drag = handoff.drag_blocks(drags, drag_totals) if drag_totals.handoffs else []
    blocks, left_out = views.report_blocks(
        report,
        title="Weekly rollup",
        csv_hint=False,
        recent=views.trend_recent_line(recent.team_shares),
        extra=drag,
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
    files = []
    if report.team.total > 0:  # a week without hours gets no (empty) chart
        unnamed = [r.user_id for r in report.reps if not r.name]
        try:
            client = services.slack.for_team(ws.team_id)
            names = display_names(services, client, ws.team_id, unnamed)
        except NoTokenError:
            names = {}
        files.append(
            (
                rollup_chart(report, names),
                f"rolesplit-{week.isoformat()}.png",
                f"Hunting / farming / other hours, week of {week:%-d %b}",
            )
        )
    if left_out:
        files.append(
            (
                to_csv(report).encode(),
                f"rolesplit-{week.isoformat()}.csv",
                "All reps, per category",
            )
        )
    # the files go into the rollup's thread through the outbox: retried while Slack fails, and
    # a refusal (a missing scope) is said in the channel, where the file was expected
    shared = [outbox.File(c, name, title, thread_ts=out.ts) for c, name, title in files]
    outbox.share(services, ws.team_id, out.channel, shared, tell=out.channel)
    return "sent", None, out.ts


def display_names(
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
