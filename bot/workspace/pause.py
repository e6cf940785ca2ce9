"""The App Home's Pause and Resume — a rep's time away in two taps.

Pause asks through which day (checked in place); the pause is recorded as an away period, so
its days are neither prompted nor counted as missed. Resume ends it from today.
"""

from __future__ import annotations

import logging
from datetime import date
from typing import Any

from slack_bolt import Ack, BoltContext
from slack_sdk import WebClient
from sqlalchemy.exc import SQLAlchemyError

from bot.config import parse_hhmm
from bot.slack import outbox
from bot.slack.context import Request, request_of
from bot.timecalc import next_prompt, zone
from bot.workspace import me_views
from bot.workspace import welcome_views as views
from bot.workspace.me import Mine, Saved, changed, mine, set_pause, submit
from storage.models import Member

log = logging.getLogger(__name__)


def on_pause_submit(
    ack: Ack, body: dict[str, Any], view: dict[str, Any], context: BoltContext, client: WebClient
) -> None:
    """The Home's Pause form: checked in place, then paused through the day (before the ack)."""

    def save(req: Request, m: Mine) -> Saved:
        until, reason, errors = me_views.read_pause(view["state"]["values"], m.today)
        if m.problem:
            return {views.ME_AWAY_BLOCK: m.problem}
        if errors or until is None:
            return errors
        return _save_pause(req, m, until, reason)

    submit(ack, context, views.ME_AWAY_BLOCK, save)


def _save_pause(req: Request, m: Mine, until: date | None, reason: str | None) -> list[int]:
    """Pause through `until` (None: resume) with its confirmation queued, in one transaction."""
    assert m.member is not None
    services = req.services
    now = services.now()
    if until is not None:
        at = next_prompt(now, m.member.tz, parse_hhmm(m.prompt_time), m.work_days, until)
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
    with services.Session.begin() as s:
        member = s.get(Member, m.member.id)
        assert member is not None
        set_pause(s, member, m.today, until, reason, req.user_id, now)
        return [outbox.queue_message(s, req.team_id, req.user_id, now, text=text)]


def on_home_button(ack: Ack, body: dict[str, Any], context: BoltContext, client: WebClient) -> None:
    """Pause opens its form; Resume ends the pause (stored before the ack)."""
    req = request_of(context)
    if body["actions"][0]["action_id"] == me_views.HOME_PAUSE:
        ack()
        m = mine(req)
        if m.problem:
            client.chat_postMessage(channel=req.user_id, text=m.problem)
        else:
            client.views_open(trigger_id=body["trigger_id"], view=me_views.pause_modal(m.today))
        return
    try:
        m = mine(req)
        queued = None if m.problem else _save_pause(req, m, None, None)
    except SQLAlchemyError:
        log.exception("resume not saved", extra={"team_id": req.team_id, "outcome": "error"})
        ack()
        client.chat_postMessage(
            channel=req.user_id,
            text="Sorry — I couldn't resume just now, so nothing changed. Tap Resume again in "
            "a moment.",
        )
        return
    ack()
    if queued is None:
        client.chat_postMessage(channel=req.user_id, text=m.problem or "")
    else:
        changed(req, context, queued)
