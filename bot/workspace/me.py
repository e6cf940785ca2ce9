"""A rep's own settings — `/rolesplit me` (prompt time, work days, time away), also opened from
the App Home's `Your schedule` button.

The form is checked in place (`response_action: errors`); what it saves is stored on the member
(their own prompt time and work days; the team's when they pick exactly those) and a pause is
recorded as an away period, so its days are neither prompted nor counted as missed.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from slack_bolt import Ack, BoltContext
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session

from bot import timelog
from bot.config import WorkspaceConfig, format_work_days, parse_hhmm, parse_work_days
from bot.slack import outbox
from bot.slack.blocks import FORM_NOT_SAVED, fmt_time
from bot.slack.context import Request, request_of
from bot.slack.router import Command
from bot.timecalc import next_prompt, zone
from bot.workspace import me_views
from bot.workspace import welcome_views as views
from storage import away_repo
from storage.models import Member

log = logging.getLogger(__name__)


@dataclass
class Mine:
    """A person's roster entry with what the forms show: today, the team's schedule, away."""

    member: Member | None
    cfg: WorkspaceConfig
    today: date
    away: list[away_repo.Current]

    @property
    def problem(self) -> str | None:
        """Why this person has no evening question to set, or None."""
        if self.member is None or not self.member.active:
            return timelog.NOT_ON_ROSTER
        return None if self.member.is_rep else me_views.NOT_A_REP

    @property
    def prompt_time(self) -> str:
        """`HH:MM`, their own or the team's."""
        assert self.member is not None
        return self.member.prompt_time or fmt_time(self.cfg.prompt_time)

    @property
    def work_days(self) -> tuple[int, ...]:
        """Their own work days, or the team's."""
        assert self.member is not None
        wd = self.member.work_days
        return parse_work_days(wd) if wd else self.cfg.work_days


def mine(req: Request) -> Mine:
    """The request's person, with their time away: one short read."""
    with req.reading() as s:
        member, today = req.member, req.member_today
        away = away_repo.current(s, [member.id], today).get(member.id, []) if member else []
    return Mine(member, req.settings, today, away)


# ---------------------------------------------------------------- the form


def me_view(m: Mine) -> dict[str, Any]:
    """The `/rolesplit me` form filled with the person's values (and a manager's away note)."""
    assert m.member is not None
    paused = next((a for a in m.away if a.kind == away_repo.PAUSED), None)
    until = (
        m.member.paused_until
        if m.member.paused_until and m.member.paused_until >= m.today
        else None
    )
    view = views.me_modal(
        m.prompt_time, m.work_days, m.member.tz, until, paused.reason if paused and until else None
    )
    marked = [(a.kind, a.last_day, a.reason) for a in m.away if a.kind == away_repo.AWAY]
    if marked:
        view["blocks"].insert(1, me_views.manager_away_context(me_views.away_note(marked)))
    return view


def open_me(req: Request, client: WebClient, trigger_id: str) -> None:
    """views.open the `me` form, or tell the person why there is nothing to set."""
    m = mine(req)
    try:
        if m.problem:
            client.chat_postMessage(channel=req.user_id, text=m.problem)
            return
        client.views_open(trigger_id=trigger_id, view=me_view(m))
    except SlackApiError as err:  # an expired trigger: the command still works
        error = err.response.get("error")
        extra = {"team_id": req.team_id, "user": req.user_id}
        log.warning("me form not opened: %s", error, extra=extra)
        client.chat_postMessage(
            channel=req.user_id,
            text=f"Sorry — Slack wouldn't open the form (`{error}`). Try `/rolesplit me` again.",
        )


def handle_me(cmd: Command) -> None:
    """`/rolesplit me` opens the form."""
    m = mine(cmd.request)
    if m.problem:
        cmd.ack(response_type="ephemeral", text=m.problem)
        return
    cmd.ack()
    try:
        cmd.client.views_open(trigger_id=cmd.trigger_id, view=me_view(m))
    except SlackApiError as err:
        cmd.respond(
            response_type="ephemeral",
            text=f"Sorry — Slack wouldn't open the form (`{err.response.get('error')}`). "
            "Try again.",
        )


def set_pause(
    s: Session,
    member: Member,
    today: date,
    until: date | None,
    reason: str | None,
    by: str,
    now: datetime,
) -> None:
    """Pause through a day (recorded as away), or end a running pause (None)."""
    if until is not None:
        member.paused_until = until
        away_repo.set_period(
            s, member.id, away_repo.PAUSED, today, until, now=now, reason=reason, set_by=by
        )
    elif member.paused_until is not None:
        member.paused_until = None
        away_repo.end_period(s, member.id, away_repo.PAUSED, today)


# a form's outcome: the outbox rows of its confirmation, or its errors (nothing stored)
Saved = list[int] | dict[str, str]


def on_me_submit(
    ack: Ack, body: dict[str, Any], view: dict[str, Any], context: BoltContext, client: WebClient
) -> None:
    """Check in place; store on the member with its confirmation queued, before the ack."""

    def save(req: Request, m: Mine) -> Saved:
        reading = views.read_me(view["state"]["values"], m.today)
        if m.problem:
            return {views.ME_TIME_BLOCK: m.problem}
        return dict(reading.errors) or _save_me(req, m, reading)

    submit(ack, context, views.ME_TIME_BLOCK, save)


def submit(
    ack: Ack, context: BoltContext, block: str, save: Callable[[Request, Mine], Saved]
) -> None:
    """A schedule form's submission, stored before the ack by `save`; if the database cannot
    take it, the form stays open saying so under `block` (the typed values stay)."""
    req = request_of(context)
    try:
        saved = save(req, mine(req))
    except SQLAlchemyError:
        log.exception("form not saved", extra={"team_id": req.team_id, "outcome": "error"})
        ack(response_action="errors", errors={block: FORM_NOT_SAVED})
        return
    if isinstance(saved, dict):
        ack(response_action="errors", errors=saved)
        return
    ack()
    changed(req, context, saved)


def changed(req: Request, context: BoltContext, queued: list[int]) -> None:
    """After the ack: send the queued confirmation, then fire member_changed (the App Home)."""
    hooks, services = req.hooks, req.services
    outbox.send_soon(
        context,
        services,
        queued,
        then=lambda: hooks.fire_member_changed(services, req.team_id, req.user_id),
    )


def _save_me(req: Request, m: Mine, reading: views.MeReading) -> list[int]:
    assert m.member is not None and reading.prompt_time is not None
    services = req.services
    same_time = parse_hhmm(reading.prompt_time) == m.cfg.prompt_time
    same_days = reading.work_days == m.cfg.work_days
    now = services.now()
    with services.Session.begin() as s:
        member = s.get(Member, m.member.id)
        assert member is not None
        member.prompt_time = None if same_time else reading.prompt_time
        member.work_days = None if same_days else format_work_days(reading.work_days)
        set_pause(s, member, m.today, reading.away_until, reading.reason, req.user_id, now)
        tz, paused = member.tz, member.paused_until
        at = next_prompt(now, tz, parse_hhmm(reading.prompt_time), reading.work_days, paused)
        text = me_views.saved_text(
            reading.prompt_time,
            reading.work_days,
            tz,
            at.astimezone(zone(tz)) if at else None,
            reading.away_until,
            reading.reason,
            own=not (same_time and same_days),
        )
        return [outbox.queue_message(s, req.team_id, req.user_id, now, text=text)]


def on_home_me(ack: Ack, body: dict[str, Any], context: BoltContext, client: WebClient) -> None:
    """The Home's `Your schedule` button opens the form."""
    ack()
    open_me(request_of(context), client, body["trigger_id"])
