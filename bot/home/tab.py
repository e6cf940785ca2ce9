"""Feature: the App Home tab — published when opened, refreshed after each log and after a rep
changes their own schedule or time away."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from slack_bolt import Ack, App, BoltContext
from slack_sdk import WebClient

from bot import reports, study, workspace
from bot.config import parse_work_days
from bot.home import views as views
from bot.home import week
from bot.services import Services
from bot.slack.app import Wiring
from bot.slack.blocks import fmt_time
from bot.slack.context import Request, request_of
from bot.slack.pool import Coalescer, after_ack
from bot.split import Split, split_over
from storage import timelog_repo as tl


def build_home(req: Request, client: WebClient) -> dict[str, Any]:
    """The person's Home view from one short read transaction."""
    with req.reading() as s:
        member, cfg, today = req.member, req.settings, req.member_today
        manager = req.is_manager(client)
        info: dict[str, Any] | None = None
        this_week, weeks = Split(), []
        if member is not None and member.active and member.is_rep:
            monday = today - timedelta(days=today.weekday())
            # this week and the four before it from one grouped query
            by_day = tl.kind_hours_by_day(s, member.id, monday - timedelta(days=28), today)
            this_week = split_over(by_day, monday, today)
            weeks = [
                (
                    monday - timedelta(days=7 * i),
                    split_over(
                        by_day, monday - timedelta(days=7 * i), monday - timedelta(days=7 * i - 6)
                    ),
                )
                for i in range(1, 5)
            ]
            days = parse_work_days(member.work_days) if member.work_days else cfg.work_days
            info = {
                "prompt_time": member.prompt_time or fmt_time(cfg.prompt_time),
                "tz": member.tz,
                "work_days": workspace.days_text(days),
                "paused_until": member.paused_until,
                "rows": week.rows_of(s, member.id, cfg.holidays, monday, today, by_day, days),
                "away": week.marked_away_note(s, member.id, today),
            }
        team, study_blocks = None, None
        if manager:
            ws = req.workspace
            team = reports.report_for(req, s, reports.parse_period("this-week", req.today))
            study_blocks = study.home_section(s, ws.id if ws else None, cfg, req.services.now())
    return views.home_view(req.user_id, today, info, this_week, weeks, team, study_blocks)


_PUBLISHING = Coalescer()


def publish(req: Request, client: WebClient) -> None:
    """views.publish the Home tab; publishes for one person while one runs fold into one more.

    A run after the first resolves the request anew, so it shows the latest state.
    """
    runs = [req]

    def run() -> None:
        current = runs.pop() if runs else req.fresh()
        client.views_publish(user_id=req.user_id, view=build_home(current, client))

    _PUBLISHING.run((id(req.services), req.team_id, req.user_id), run)


def refresh_after_log(services: Services, team_id: str, user_id: str) -> None:
    """The day_logged and member_changed hook: the Home tab shows the new numbers (or schedule)
    without reopening the app."""
    publish(Request(services, team_id, user_id), services.slack.for_team(team_id))


def on_home_opened(event: dict[str, Any], context: BoltContext, client: WebClient) -> None:
    """app_home_opened: publish the Home tab (Bolt acked the event; the work runs after)."""
    if event.get("tab", "home") != "home":
        return
    after_ack(context, publish, request_of(context), client)


def _manager(req: Request, client: WebClient, refusal: str) -> bool:
    """True for a manager; anyone else is told so by DM."""
    if req.is_manager(client):
        return True
    client.chat_postMessage(channel=req.user_id, text=refusal)
    return False


def on_report(ack: Ack, body: dict[str, Any], context: BoltContext, client: WebClient) -> None:
    """The managers' report button: this week's report by DM."""
    ack()
    req = request_of(context)
    if not _manager(req, client, "The team report is for managers."):
        return
    with req.reading() as s:
        report = reports.report_for(req, s, reports.parse_period("this-week", req.today))
    blocks, _ = reports.report_blocks(report)
    client.chat_postMessage(channel=req.user_id, text=reports.fallback_text(report), blocks=blocks)


def on_settings(ack: Ack, body: dict[str, Any], context: BoltContext, client: WebClient) -> None:
    """The managers' settings button: the settings modal."""
    ack()
    req = request_of(context)
    if _manager(req, client, "Settings are for managers."):
        workspace.open_settings(req, client, body["trigger_id"])


def register(app: App, wiring: Wiring) -> None:
    """app_home_opened and the managers' buttons (the after-log refresh is wired by create_app)."""
    app.event("app_home_opened")(on_home_opened)
    app.action(views.HOME_REPORT)(on_report)
    app.action(views.HOME_SETTINGS)(on_settings)
