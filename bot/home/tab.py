"""Feature: the App Home tab — published when opened and refreshed after each log."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from slack_bolt import Ack, App
from slack_sdk import WebClient

from bot import hooks
from bot.config import parse_work_days
from bot.home import views as views
from bot.home import week
from bot.reports import views as report_views
from bot.reports.command import make_report, workspace_today
from bot.reports.model import build_report
from bot.reports.period import parse_period
from bot.reports.rules import Split
from bot.services import Services
from bot.slack.blocks import fmt_time
from bot.slack.pool import Coalescer, after_ack
from bot.slack.router import Router, is_manager
from bot.study import commands as study
from bot.timecalc import local_today
from bot.workspace.settings import open_settings
from bot.workspace.welcome_views import days_text
from storage import repo
from storage import timelog_repo as tl
from storage.models import Workspace


def build_home(services: Services, client: WebClient, team_id: str, user_id: str) -> dict[str, Any]:
    """The user's Home view from one short read transaction."""
    ws_id = services.workspace_id(team_id)
    with services.read() as s:
        ws = s.get(Workspace, ws_id)
        assert ws is not None
        cfg = services.config(ws)
        member = repo.get_member(s, ws.id, user_id)
        manager = is_manager(services, s, ws, user_id, client, member)
        today = local_today(services.now(), member.tz if member else cfg.timezone)
        info: dict[str, Any] | None = None
        this_week, weeks = Split(), []
        if member is not None and member.active and member.is_rep:
            monday = today - timedelta(days=today.weekday())
            # this week and the four before it from one grouped query
            by_day = tl.splits_by_day(s, member.id, monday - timedelta(days=28), today)
            this_week = tl.split_over(by_day, monday, today)
            weeks = [
                (
                    monday - timedelta(days=7 * i),
                    tl.split_over(
                        by_day, monday - timedelta(days=7 * i), monday - timedelta(days=7 * i - 6)
                    ),
                )
                for i in range(1, 5)
            ]
            days = parse_work_days(member.work_days) if member.work_days else cfg.work_days
            info = {
                "prompt_time": member.prompt_time or fmt_time(cfg.prompt_time),
                "tz": member.tz,
                "work_days": days_text(days),
                "paused_until": member.paused_until,
                "rows": week.rows_of(s, member.id, cfg.holidays, monday, today, by_day, days),
                "away": week.marked_away_note(s, member.id, today),
            }
        team, study_blocks = None, None
        if manager:
            wtoday = workspace_today(services, ws)
            team = build_report(s, ws, cfg, parse_period("this-week", wtoday), wtoday)
            study_blocks = study.home_section(services, s, ws, services.now())
    return views.home_view(user_id, today, info, this_week, weeks, team, study_blocks)


_PUBLISHING = Coalescer()


def publish(services: Services, client: WebClient, team_id: str, user_id: str) -> None:
    """views.publish the Home tab; publishes for one person while one runs fold into one more."""
    _PUBLISHING.run(
        (id(services), team_id, user_id),
        lambda: client.views_publish(
            user_id=user_id, view=build_home(services, client, team_id, user_id)
        ),
    )


def refresh_after_log(services: Services, team_id: str, user_id: str) -> None:
    """DAY_LOGGED hook: the Home tab shows the new numbers without reopening the app."""
    publish(services, services.client_for(team_id), team_id, user_id)


def register(app: App, services: Services, router: Router) -> None:
    """app_home_opened, the manager's report button, and the after-log refresh."""

    @app.event("app_home_opened")
    def on_home(event: dict[str, Any], client: WebClient, context: dict[str, Any]) -> None:
        if event.get("tab", "home") != "home":
            return
        # Bolt acked the event already; the reads and views.publish run after the ack
        after_ack(context, publish, services, client, context.get("team_id") or "", event["user"])

    @app.action(views.HOME_REPORT)
    def on_report(ack: Ack, body: dict[str, Any], client: WebClient) -> None:
        ack()
        team_id, user_id = body["team"]["id"], body["user"]["id"]
        with services.Session.begin() as s:
            ws = repo.ensure_workspace(s, team_id)
            allowed = is_manager(services, s, ws, user_id, client)
            today = workspace_today(services, ws)
        if not allowed:
            client.chat_postMessage(channel=user_id, text="The team report is for managers.")
            return
        report = make_report(services, team_id, parse_period("this-week", today))
        blocks, _ = report_views.report_blocks(report)
        client.chat_postMessage(
            channel=user_id, text=report_views.fallback_text(report), blocks=blocks
        )

    @app.action(views.HOME_SETTINGS)
    def on_settings(ack: Ack, body: dict[str, Any], client: WebClient) -> None:
        ack()
        team_id, user_id = body["team"]["id"], body["user"]["id"]
        with services.Session.begin() as s:
            allowed = is_manager(services, s, repo.ensure_workspace(s, team_id), user_id, client)
        if not allowed:
            client.chat_postMessage(channel=user_id, text="Settings are for managers.")
            return
        open_settings(services, client, team_id, body["trigger_id"])

    for hook in (hooks.DAY_LOGGED, hooks.MEMBER_CHANGED):
        if refresh_after_log not in hook:
            hook.append(refresh_after_log)
