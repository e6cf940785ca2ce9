"""The App Home's Pause and Resume — a rep's time away in two taps.

Pause asks through which day (checked in place); the pause is recorded as an away period, so
its days are neither prompted nor counted as missed. Resume ends it from today.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from slack_bolt import Ack, BoltContext
from slack_sdk import WebClient

from bot.config import parse_hhmm
from bot.slack.context import Request, request_of
from bot.slack.pool import after_ack
from bot.timecalc import next_prompt, zone
from bot.workspace import me_views
from bot.workspace import welcome_views as views
from bot.workspace.me import Mine, mine, set_pause
from storage.models import Member


def on_pause_submit(
    ack: Ack, body: dict[str, Any], view: dict[str, Any], context: BoltContext, client: WebClient
) -> None:
    """The Home's Pause form: checked in place, then paused through the day."""
    req = request_of(context)
    m = mine(req)
    until, reason, errors = me_views.read_pause(view["state"]["values"], m.today)
    if m.problem:
        errors = {views.ME_AWAY_BLOCK: m.problem}
    if errors or until is None:
        ack(response_action="errors", errors=errors)
        return
    ack()
    after_ack(context, _save_pause, req, client, m, until, reason)


def _save_pause(
    req: Request, client: WebClient, m: Mine, until: date | None, reason: str | None
) -> None:
    assert m.member is not None
    services = req.services
    with services.Session.begin() as s:
        member = s.get(Member, m.member.id)
        assert member is not None
        set_pause(s, member, m.today, until, reason, req.user_id, services.now())
    if until is not None:
        at = next_prompt(services.now(), m.member.tz, parse_hhmm(m.prompt_time), m.work_days, until)
        back = (
            f" Next question: {at.astimezone(zone(m.member.tz)):%a %-d %b at %H:%M}." if at else ""
        )
        text = (
            f"⏸️ Paused through *{until:%a %-d %b}*: no evening questions or reminders till "
            f"then, and those days don't count as missed.{back} Back earlier? Tap *Resume* on "
            "the Home tab or type `/rolesplit resume`."
        )
    else:
        text = "▶️ Welcome back — evening questions are on again."
    client.chat_postMessage(channel=req.user_id, text=text)
    req.hooks.fire_member_changed(services, req.team_id, req.user_id)


def on_home_button(ack: Ack, body: dict[str, Any], context: BoltContext, client: WebClient) -> None:
    """Pause opens its form; Resume ends the pause."""
    ack()
    req = request_of(context)
    action = body["actions"][0]["action_id"]
    m = mine(req)
    if m.problem:
        client.chat_postMessage(channel=req.user_id, text=m.problem)
    elif action == me_views.HOME_PAUSE:
        client.views_open(trigger_id=body["trigger_id"], view=me_views.pause_modal(m.today))
    else:
        after_ack(context, _save_pause, req, client, m, None, None)
