"""`/rolesplit pause` and `/rolesplit resume`: no evening prompts while a rep is away (a pause is
recorded as an away period, so its days are not counted as missed)."""

from __future__ import annotations

from datetime import date, timedelta

from bot.config import parse_hhmm
from bot.slack.router import Command
from bot.timecalc import next_prompt, parse_pause, zone
from bot.timelog import views as views
from bot.timelog.record import Who, who
from storage import away_repo
from storage.models import Member

PAUSE_USAGE = "pause [N days | N weeks | until YYYY-MM-DD] — no evening prompts while you're away"
RESUME_USAGE = "resume — evening prompts on again"


def _next_prompt_text(w: Who, paused_until: date | None) -> str:
    assert w.member is not None
    at = next_prompt(
        w.request.services.now(),
        w.member.tz,
        parse_hhmm(w.prompt_time),
        w.work_days,
        paused_until,
    )
    if at is None:
        return "you have no work days set, so no prompts are scheduled"
    local = at.astimezone(zone(w.member.tz))
    return f"{views.day_label(local.date())} at {local:%H:%M} your time ({w.member.tz})"


def handle_pause(cmd: Command) -> None:
    """`/rolesplit pause [N days|until YYYY-MM-DD]` (default 7 days, today included)."""
    w = who(cmd.request)
    if w.member is None or not w.member.active:
        cmd.ack(response_type="ephemeral", text=views.NOT_ON_ROSTER)
        return
    until = parse_pause(cmd.args, w.today)
    if isinstance(until, str):
        cmd.ack(
            response_type="ephemeral",
            text=f"{until} Nothing changed. Usage: `/rolesplit {PAUSE_USAGE}` — e.g. "
            "`/rolesplit pause 5 days` or `/rolesplit pause until "
            f"{w.today + timedelta(days=14)}`.",
        )
        return
    with cmd.services.Session.begin() as s:
        member = s.get(Member, w.member.id)
        assert member is not None
        member.paused_until = until
        away_repo.set_period(
            s, member.id, away_repo.PAUSED, w.today, until, now=cmd.services.now(), set_by=None
        )
    cmd.ack(
        response_type="ephemeral",
        text=f"⏸️ Paused: no evening prompts through {views.day_label(until)}. They restart "
        f"{_next_prompt_text(w, until)} — or earlier with `/rolesplit resume`.",
    )


def handle_resume(cmd: Command) -> None:
    """`/rolesplit resume`: prompts on again from the next prompt time."""
    w = who(cmd.request)
    if w.member is None or not w.member.active:
        cmd.ack(response_type="ephemeral", text=views.NOT_ON_ROSTER)
        return
    with cmd.services.Session.begin() as s:
        member = s.get(Member, w.member.id)
        assert member is not None
        was, member.paused_until = member.paused_until, None
        away_repo.end_period(s, member.id, away_repo.PAUSED, w.today)
    head = (
        "▶️ Welcome back — evening prompts are on again."
        if was
        else ("You weren't paused; evening prompts are on.")
    )
    cmd.ack(
        response_type="ephemeral",
        text=f"{head} Next one: {_next_prompt_text(w, None)}.",
    )
