"""Feature: the App Home's Pause and Resume — a rep's time away in two taps.

Pause asks through which day (checked in place); the pause is recorded as an away period, so
its days are neither prompted nor counted as missed. Resume ends it from today.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from slack_bolt import Ack, App
from slack_sdk import WebClient

from bot import hooks
from bot.config import parse_hhmm
from bot.services import Services
from bot.slack.pool import acks_inline, after_ack
from bot.slack.router import Router
from bot.timecalc import next_prompt, zone
from bot.workspace import me_views
from bot.workspace import welcome_views as views
from bot.workspace.me import Mine, mine, set_pause
from storage.models import Member


def on_pause_submit(
    services: Services,
    ack: Ack,
    body: dict[str, Any],
    view: dict[str, Any],
    client: WebClient,
    context: dict[str, Any],
) -> None:
    """The Home's Pause form: checked in place, then paused through the day."""
    team_id, user_id = body["team"]["id"], body["user"]["id"]
    m = mine(services, team_id, user_id)
    until, reason, errors = me_views.read_pause(view["state"]["values"], m.today)
    if m.problem:
        errors = {views.ME_AWAY_BLOCK: m.problem}
    if errors or until is None:
        ack(response_action="errors", errors=errors)
        return
    ack()
    after_ack(context, _save_pause, services, client, team_id, user_id, m, until, reason)


def _save_pause(
    services: Services,
    client: WebClient,
    team_id: str,
    user_id: str,
    m: Mine,
    until: date | None,
    reason: str | None,
) -> None:
    assert m.member is not None
    with services.Session.begin() as s:
        member = s.get(Member, m.member.id)
        assert member is not None
        set_pause(s, member, m.today, until, reason, user_id, services)
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
    client.chat_postMessage(channel=user_id, text=text)
    hooks.fire(hooks.MEMBER_CHANGED, services, team_id, user_id)


def on_home_button(
    services: Services, ack: Ack, body: dict[str, Any], client: WebClient, context: dict[str, Any]
) -> None:
    """Pause opens its form; Resume ends the pause."""
    ack()
    team_id, user_id = body["team"]["id"], body["user"]["id"]
    action = body["actions"][0]["action_id"]
    m = mine(services, team_id, user_id)
    if m.problem:
        client.chat_postMessage(channel=user_id, text=m.problem)
    elif action == me_views.HOME_PAUSE:
        client.views_open(trigger_id=body["trigger_id"], view=me_views.pause_modal(m.today))
    else:
        after_ack(context, _save_pause, services, client, team_id, user_id, m, None, None)


def register(app: App, services: Services, router: Router) -> None:
    """The Home's Pause and Resume buttons and the pause form."""

    @app.view(me_views.PAUSE_CALLBACK)
    def _pause_form(
        ack: Ack,
        body: dict[str, Any],
        view: dict[str, Any],
        client: WebClient,
        context: dict[str, Any],
    ) -> None:
        on_pause_submit(services, ack, body, view, client, context)

    @app.action(me_views.HOME_PAUSE)
    @app.action(me_views.HOME_RESUME)
    def _home(ack: Ack, body: dict[str, Any], client: WebClient, context: dict[str, Any]) -> None:
        on_home_button(services, ack, body, client, context)

    acks_inline(app, views=[me_views.PAUSE_CALLBACK])
