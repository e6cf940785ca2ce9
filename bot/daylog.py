"""Feature: logging a day — the modal, the prompt's buttons, plain words in the DM, pause."""

from __future__ import annotations

import json
import logging
import re
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from slack_bolt import Ack, App, Respond
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

from bot import hooks
from bot.commands import Command, Router
from bot.hours import CategoryRef, check_day, read_modal_hours, read_words
from bot.localtime import local_today
from bot.services import Services
from bot.views import daylog as views
from storage import daylog_repo, repo
from storage.models import Category, Member, Workspace

log = logging.getLogger(__name__)
NOT_ON_ROSTER = (
    "You're not on the rolesplit roster yet, so I can't log hours for you. "
    "Ask a manager to add you with `/rolesplit add @you as hunter` (or farmer, hybrid)."
)
PAUSE_USAGE = "pause [N days | until YYYY-MM-DD] — no prompts while you're away"
DEFAULT_PAUSE_DAYS = 7


@dataclass
class Logged:
    """What was recorded, for the confirmation and the prompt update."""

    text: str
    prompt_channel: str | None
    prompt_ts: str | None
    summary: str


def refs(categories: list[Category]) -> list[CategoryRef]:
    """Plain category references for the pure readers."""
    return [CategoryRef(c.key, c.label, tuple(c.aliases or ())) for c in categories]


def record(
    services: Services,
    team_id: str,
    user_id: str,
    day: date,
    hours_by_key: dict[str, Decimal] | None,
    *,
    note: str | None = None,
    source: str,
    idem_key: str | None = None,
) -> Logged | str | None:
    """Save a day (None hours = day off) in one transaction; None if this was a replay."""
    now = services.now()
    with services.Session.begin() as s:
        ws = repo.ensure_workspace(s, team_id)
        member = repo.get_member(s, ws.id, user_id)
        if member is None or not member.active:
            return NOT_ON_ROSTER
        if idem_key and not repo.claim_key(s, idem_key, now):
            return None
        existed = daylog_repo.get_day(s, member.id, day) is not None
        if hours_by_key is None:
            daylog_repo.save_day_off(s, member, day, source=source, now=now)
        else:
            ids = {c.key: c.id for c in repo.categories(s, ws.id, active_only=False)}
            daylog_repo.save_day(
                s,
                member,
                day,
                {ids[k]: v for k, v in hours_by_key.items()},
                note=note,
                source=source,
                now=now,
            )
        day_split = daylog_repo.split_between(s, member.id, day, day)
        monday, _ = daylog_repo.week_range(day)
        week = views.Week(
            daylog_repo.split_between(s, member.id, monday, day),
            daylog_repo.days_answered(s, member.id, monday, day),
        )
        prompt = daylog_repo.prompt_for(s, member.id, day)
    text = views.confirmation_text(
        day, day_split, week, day_off=hours_by_key is None, corrected=existed
    )
    summary = "day off" if hours_by_key is None else views.split_line(day_split)
    return Logged(
        text, prompt.channel_id if prompt else None, prompt.message_ts if prompt else None, summary
    )


def announce(
    services: Services, client: WebClient, team_id: str, user_id: str, day: date, logged: Logged
) -> None:
    """Confirm by DM, mark the evening prompt answered, refresh what depends on the log."""
    client.chat_postMessage(channel=user_id, text=logged.text)
    if logged.prompt_channel and logged.prompt_ts:
        try:
            client.chat_update(
                channel=logged.prompt_channel,
                ts=logged.prompt_ts,
                text=f"{views.day_label(day)}: {logged.summary}",
                blocks=views.answered_blocks(day, logged.summary),
            )
        except SlackApiError as err:  # the prompt may have been deleted; the log stands
            log.info("prompt not updated: %s", err.response.get("error"))
    hooks.fire(hooks.DAY_LOGGED, services, team_id, user_id)


def _member_today(
    services: Services, team_id: str, user_id: str
) -> tuple[Member | None, date, list[CategoryRef], int]:
    ws_id = services.workspace_id(team_id)
    with services.read() as s:
        ws = s.get(Workspace, ws_id)
        assert ws is not None
        member = repo.get_member(s, ws.id, user_id)
        cats = refs(repo.categories(s, ws.id))
        window = services.config(ws).edit_window_days
    tz = member.tz if member else "UTC"
    return member, local_today(services.now(), tz), cats, window


def open_modal(
    services: Services,
    client: WebClient,
    team_id: str,
    user_id: str,
    trigger_id: str,
    day: date,
    metadata: dict[str, Any],
) -> None:
    """views.open the Log hours modal for a day, prefilled with what is already logged."""
    ws_id = services.workspace_id(team_id)
    with services.read() as s:
        member = repo.get_member(s, ws_id, user_id)
        cats = repo.categories(s, ws_id)
        current: dict[str, Decimal] = {}
        note = None
        if member is not None:
            by_id = daylog_repo.day_hours(s, member.id, day)
            current = {c.key: by_id[c.id] for c in cats if c.id in by_id}
            existing = daylog_repo.get_day(s, member.id, day)
            note = existing.note if existing else None
    client.views_open(
        trigger_id=trigger_id, view=views.modal(day, refs(cats), current, note, metadata)
    )


# ---------------------------------------------------------------- listeners


def on_open_modal(
    ack: Ack, body: dict[str, Any], client: WebClient, respond: Respond, services: Services
) -> None:
    """Log hours button: open the modal right away (trigger ids expire in 3 s)."""
    ack()
    team_id, user_id = body["team"]["id"], body["user"]["id"]
    action = body["actions"][0]
    try:
        day = date.fromisoformat(action.get("value") or "")
    except ValueError:
        day = local_today(services.now(), "UTC")
    channel = (body.get("container") or {}).get("channel_id")
    ts = (body.get("container") or {}).get("message_ts")
    open_modal(
        services, client, team_id, user_id, body["trigger_id"], day, {"channel": channel, "ts": ts}
    )


def on_quick_button(
    ack: Ack, body: dict[str, Any], client: WebClient, respond: Respond, services: Services
) -> None:
    """Same as yesterday / Day off: record once per day, however often it is clicked."""
    ack()
    team_id, user_id = body["team"]["id"], body["user"]["id"]
    action = body["actions"][0]
    try:
        day = date.fromisoformat(action.get("value") or "")
    except ValueError:
        respond(
            response_type="ephemeral",
            replace_original=False,
            text="That button is out of date — use `/rolesplit log` instead.",
        )
        return
    _member, today, _cats, window = _member_today(services, team_id, user_id)
    problem = check_day(day, today, window)
    if problem:
        respond(response_type="ephemeral", replace_original=False, text=problem)
        return
    hours: dict[str, Decimal] | None = None
    if action["action_id"] == views.SAME_AS_YESTERDAY:
        hours = _previous_day_hours(services, team_id, user_id, day)
        if hours is None:
            respond(
                response_type="ephemeral",
                replace_original=False,
                text="There's no earlier day with hours to copy yet — tap *Log hours*.",
            )
            return
    key = f"btn:{team_id}:{user_id}:{action['action_id']}:{day.isoformat()}"
    result = record(
        services,
        team_id,
        user_id,
        day,
        hours,
        source="same" if hours is not None else "day_off",
        idem_key=key,
    )
    if result is None:
        respond(
            response_type="ephemeral",
            replace_original=False,
            text=f"Already recorded for {views.day_label(day)}. To change it, use "
            f"`/rolesplit log {day.isoformat()}`.",
        )
    elif isinstance(result, str):
        respond(response_type="ephemeral", replace_original=False, text=result)
    else:
        announce(services, client, team_id, user_id, day, result)


def _previous_day_hours(
    services: Services, team_id: str, user_id: str, day: date
) -> dict[str, Decimal] | None:
    ws_id = services.workspace_id(team_id)
    with services.read() as s:
        member = repo.get_member(s, ws_id, user_id)
        if member is None:
            return None
        last = daylog_repo.last_logged_day(s, member.id, day)
        if last is None:
            return None
        keys = {c.id: c.key for c in repo.categories(s, ws_id, active_only=False)}
        return {
            keys[cid]: h for cid, h in daylog_repo.day_hours(s, member.id, last.work_date).items()
        }


def on_submit(
    ack: Ack, body: dict[str, Any], view: dict[str, Any], client: WebClient, services: Services
) -> None:
    """The modal: validate in place (nothing stored on error), else replace the day."""
    team_id, user_id = body["team"]["id"], body["user"]["id"]
    member, today, cats, window = _member_today(services, team_id, user_id)
    raw_day, fields, note = views.read_modal(view["state"]["values"], cats)
    try:
        day: date | None = date.fromisoformat(raw_day) if raw_day else None
    except ValueError:
        day = None
    errors: dict[str, str] = {}
    problem = check_day(day, today, window)
    if problem:
        errors[views.DATE_BLOCK] = problem
    reading = read_modal_hours(fields, cats)
    errors.update(reading.errors)
    if member is None:
        errors[views.DATE_BLOCK] = NOT_ON_ROSTER[:150]
    if errors:
        ack(response_action="errors", errors=errors)
        return
    ack()
    assert day is not None
    result = record(
        services,
        team_id,
        user_id,
        day,
        reading.hours,
        note=note,
        source="modal",
        idem_key=f"view:{view['id']}:{view.get('hash', '')}",
    )
    if isinstance(result, Logged):
        meta = json.loads(view.get("private_metadata") or "{}")
        if not result.prompt_ts and meta.get("ts") and meta.get("channel"):
            result.prompt_channel, result.prompt_ts = meta["channel"], meta["ts"]
        announce(services, client, team_id, user_id, day, result)


def on_message(
    event: dict[str, Any], client: WebClient, context: dict[str, Any], services: Services
) -> None:
    """A DM in plain words logs the day; anything unreadable gets an example, never silence."""
    if event.get("channel_type") != "im" or event.get("subtype") or event.get("bot_id"):
        return
    team_id = context.get("team_id") or event.get("team") or ""
    user_id, text = event.get("user") or "", (event.get("text") or "").strip()
    if not user_id or not text:
        return
    key = f"msg:{team_id}:{event.get('channel')}:{event.get('ts')}"
    member, today, cats, window = _member_today(services, team_id, user_id)
    reading = read_words(text, cats, today)
    problem = None if member else NOT_ON_ROSTER
    if problem is None and (reading.unreadable or (not reading.hours and not reading.day_off)):
        problem = views.words_help(reading.unreadable)
    problem = problem or check_day(reading.day, today, window)
    if problem is None and reading.total > Decimal(24):
        total = f"{reading.total.normalize():f}"
        problem = f"That adds up to {total} h — a day has at most 24. Nothing saved."
    if problem is not None:
        with services.Session.begin() as s:
            first = repo.claim_key(s, key, services.now())
        if first:
            client.chat_postMessage(channel=event.get("channel") or user_id, text=problem)
        return
    result = record(
        services,
        team_id,
        user_id,
        reading.day,
        None if reading.day_off else reading.hours,
        source="text",
        idem_key=key,
    )
    if isinstance(result, Logged):
        announce(services, client, team_id, user_id, reading.day, result)


# ---------------------------------------------------------------- commands


def handle_log(cmd: Command) -> None:
    """`/rolesplit log [YYYY-MM-DD|yesterday]` opens the modal for that day."""
    member, today, _cats, window = _member_today(cmd.services, cmd.team_id, cmd.user_id)
    if member is None:
        cmd.ack(response_type="ephemeral", text=NOT_ON_ROSTER)
        return
    arg = cmd.args.strip().lower()
    try:
        day = (
            today - timedelta(days=1)
            if arg == "yesterday"
            else (date.fromisoformat(arg) if arg else today)
        )
    except ValueError:
        cmd.ack(
            response_type="ephemeral",
            text=f"“{cmd.args}” isn't a date. Use `/rolesplit log 2026-11-23` or "
            "`/rolesplit log yesterday`.",
        )
        return
    problem = check_day(day, today, window)
    if problem:
        cmd.ack(response_type="ephemeral", text=problem)
        return
    cmd.ack()
    open_modal(cmd.services, cmd.client, cmd.team_id, cmd.user_id, cmd.trigger_id, day, {})


PAUSE_RE = re.compile(r"^(?:(\d{1,3})\s*(?:d|day|days)?|until\s+(\d{4}-\d{2}-\d{2}))?$", re.I)


def parse_pause(args: str, today: date) -> date | str:
    """The last paused day from `N days` / `until YYYY-MM-DD` / nothing, or the problem."""
    match = PAUSE_RE.match(args.strip())
    if not match:
        return f"I couldn't read “{args}”. Usage: `/rolesplit {PAUSE_USAGE}`."
    if match.group(2):
        try:
            until = date.fromisoformat(match.group(2))
        except ValueError:
            return f"“{match.group(2)}” isn't a real date."
        if until < today:
            return "That date has passed — pick a day from today on."
        if until > today + timedelta(days=366):
            return "Pauses can be at most a year."
        return until
    days = int(match.group(1) or DEFAULT_PAUSE_DAYS)
    if not 1 <= days <= 366:
        return "Pause for 1 to 366 days."
    return today + timedelta(days=days - 1)


def handle_pause(cmd: Command) -> None:
    """`/rolesplit pause [N days|until YYYY-MM-DD]`."""
    member, today, _c, _w = _member_today(cmd.services, cmd.team_id, cmd.user_id)
    if member is None:
        cmd.ack(response_type="ephemeral", text=NOT_ON_ROSTER)
        return
    until = parse_pause(cmd.args, today)
    if isinstance(until, str):
        cmd.ack(response_type="ephemeral", text=until)
        return
    with cmd.services.Session.begin() as s:
        m = s.get(Member, member.id)
        assert m is not None
        m.paused_until = until
    back = until + timedelta(days=1)
    cmd.ack(
        response_type="ephemeral",
        text=f"⏸️ Paused: no evening prompts through {views.day_label(until)}. They start "
        f"again on {views.day_label(back)} — or earlier with `/rolesplit resume`.",
    )


def handle_resume(cmd: Command) -> None:
    """`/rolesplit resume`."""
    member, _today, _c, _w = _member_today(cmd.services, cmd.team_id, cmd.user_id)
    if member is None:
        cmd.ack(response_type="ephemeral", text=NOT_ON_ROSTER)
        return
    with cmd.services.Session.begin() as s:
        m = s.get(Member, member.id)
        assert m is not None
        was = m.paused_until
        m.paused_until = None
    text = (
        "▶️ Welcome back — evening prompts are on again."
        if was
        else "You weren't paused; evening prompts are on."
    )
    cmd.ack(response_type="ephemeral", text=text)


def register(app: App, services: Services, router: Router) -> None:
    """Attach the day-log listeners and subcommands."""

    @app.action(views.OPEN_MODAL)
    def _open(ack: Ack, body: dict[str, Any], client: WebClient, respond: Respond) -> None:
        on_open_modal(ack, body, client, respond, services)

    @app.action(views.SAME_AS_YESTERDAY)
    @app.action(views.DAY_OFF)
    def _quick(ack: Ack, body: dict[str, Any], client: WebClient, respond: Respond) -> None:
        on_quick_button(ack, body, client, respond, services)

    @app.view(views.MODAL_CALLBACK)
    def _submit(ack: Ack, body: dict[str, Any], view: dict[str, Any], client: WebClient) -> None:
        on_submit(ack, body, view, client, services)

    @app.event("message")
    def _message(event: dict[str, Any], client: WebClient, context: dict[str, Any]) -> None:
        on_message(event, client, context, services)

    router.add("log", handle_log, "log [YYYY-MM-DD | yesterday] — log or correct a day", order=1)
    router.add("pause", handle_pause, PAUSE_USAGE, order=2)
    router.add("resume", handle_resume, "resume — evening prompts on again", order=3)
