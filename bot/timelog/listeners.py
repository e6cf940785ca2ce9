"""Feature: logging a day — Log hours modal, Same as yesterday, Day off, plain words, pause.

Every write is one transaction that also claims the request's idempotency key (view id + hash,
button + day, or the DM's channel + ts), so Slack retries and double clicks change nothing twice.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from slack_bolt import Ack, App, Respond
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError
from sqlalchemy.exc import SQLAlchemyError

from bot import hooks
from bot.config import parse_hhmm, parse_work_days
from bot.services import Services
from bot.slack.blocks import fmt_time, metadata_of
from bot.slack.pool import acks_inline, after_ack, soon
from bot.slack.router import Command, Router
from bot.timecalc import (
    check_log_date,
    local_today,
    next_prompt,
    parse_day,
    parse_pause,
    week_range,
    zone,
)
from bot.timelog import help as dm_help
from bot.timelog import views as views
from bot.timelog.parse import MAX_DAY, CategoryRef, read_words
from bot.wsconfig import effective
from storage import away_repo, repo
from storage import timelog_repo as tl
from storage.models import Member

log = logging.getLogger(__name__)
LOG_USAGE = "log [YYYY-MM-DD | yesterday] — log or correct a day's hours"
PAUSE_USAGE = "pause [N days | N weeks | until YYYY-MM-DD] — no evening prompts while you're away"
RESUME_USAGE = "resume — evening prompts on again"


@dataclass
class Who:
    """The caller as the time log sees them: roster entry, local today, categories, window."""

    workspace_id: int
    member: Member | None
    today: date
    categories: list[CategoryRef]
    category_ids: dict[str, int]
    labels: dict[str, str]
    edit_window: int
    prompt_time: str = "17:30"
    work_days: tuple[int, ...] = field(default_factory=tuple)

    @property
    def problem(self) -> str | None:
        """Why this person cannot log hours, or None."""
        if self.member is None or not self.member.active:
            return views.NOT_ON_ROSTER
        if not self.member.is_rep:
            return views.NOT_A_REP
        return None


def who(services: Services, team_id: str, user_id: str) -> Who:
    """One short read: the member, their local today, the active categories, the edit window."""
    ws_id = services.workspace_id(team_id)
    with services.read() as s:
        overrides, member = repo.settings_and_member(s, ws_id, user_id)
        cats = repo.category_lines(s, ws_id)
    cfg = effective(services.settings, overrides)  # what services.config(workspace) returns
    refs = [CategoryRef(c.key, c.label, tuple(c.aliases or ())) for c in cats]
    tz = member.tz if member else cfg.timezone
    return Who(
        ws_id,
        member,
        local_today(services.now(), tz),
        refs,
        {c.key: c.id for c in cats},
        {c.key: c.label for c in cats},
        cfg.edit_window_days,
        (member.prompt_time if member else None) or fmt_time(cfg.prompt_time),
        parse_work_days(member.work_days) if member and member.work_days else cfg.work_days,
    )


# ---------------------------------------------------------------- record and announce


@dataclass
class Logged:
    """What was recorded: the confirmation to send and the prompt message to update."""

    day: date
    text: str
    blocks: list[dict[str, Any]]
    summary: str
    prompt: tuple[str, str] | None


def record(
    services: Services,
    team_id: str,
    user_id: str,
    day: date,
    hours: dict[str, Decimal] | None,
    *,
    source: str,
    idem_key: str,
    note: str | None = None,
) -> Logged | str | None:
    """Replace a day (None hours: a day off) and claim the request, in one transaction.

    Returns what to announce, a problem to tell the person, or None for a replay.
    """
    now = services.now()
    ws_id = services.workspace_id(team_id)
    with services.Session.begin() as s:
        member = repo.get_member(s, ws_id, user_id)
        if member is None or not member.active:
            return views.NOT_ON_ROSTER
        if not member.is_rep:
            return views.NOT_A_REP
        if not repo.claim_key(s, idem_key, now):
            return None
        cats = repo.categories(s, ws_id, active_only=False)
        ids = {c.key: c.id for c in cats}
        _, replaced = tl.save_day(
            s,
            member.id,
            day,
            {ids[k]: v for k, v in (hours or {}).items() if k in ids},
            note=note,
            source=source,
            now=now,
            day_off=hours is None,
        )
        first, _ = week_range(day)
        by_day = tl.splits_by_day(s, member.id, first, day)
        day_split = tl.split_over(by_day, day, day)
        week = views.Week(
            tl.split_over(by_day, first, day), tl.days_answered(s, member.id, first, day)
        )
        prompt = tl.prompt_for(s, member.id, day)
        where = (
            (prompt.channel_id, prompt.message_ts)
            if prompt and prompt.channel_id and prompt.message_ts
            else None
        )
    names = [(c.label, (hours or {})[c.key]) for c in cats if (hours or {}).get(c.key)]
    text, blocks = views.confirmation(
        day, day_split, week, names, day_off=hours is None, replaced=replaced
    )
    summary = "day off" if hours is None else views.split_line(day_split)
    return Logged(day, text, blocks, summary, where)


def announce(
    services: Services,
    client: WebClient,
    team_id: str,
    user_id: str,
    logged: Logged,
    clicked: tuple[str | None, str | None] = (None, None),
) -> None:
    """Confirm by DM, show the prompt (and the clicked message) as answered, fire DAY_LOGGED."""
    client.chat_postMessage(channel=user_id, text=logged.text, blocks=logged.blocks)
    targets = [logged.prompt] if logged.prompt else []
    if clicked[0] and clicked[1] and clicked not in targets:
        targets.append((clicked[0], clicked[1]))
    for channel, ts in targets:
        try:
            client.chat_update(
                channel=channel,
                ts=ts,
                text=f"{views.day_label(logged.day)}: {logged.summary}",
                blocks=views.answered_blocks(logged.day, logged.summary),
            )
        except SlackApiError as err:  # deleted or too old to edit: the log itself stands
            log.info("prompt not updated: %s", err.response.get("error"))
    hooks.fire(hooks.DAY_LOGGED, services, team_id, user_id)


def _tell(client: WebClient, respond: Respond | None, user_id: str, text: str) -> None:
    """An ephemeral answer to a click (or a DM when there is no response_url)."""
    if respond is not None:
        respond(response_type="ephemeral", replace_original=False, text=text)
    else:
        client.chat_postMessage(channel=user_id, text=text)


# ---------------------------------------------------------------- the modal


def open_modal(
    services: Services,
    client: WebClient,
    w: Who,
    user_id: str,
    trigger_id: str,
    day: date,
    metadata: dict[str, Any],
    notice: str | None = None,
) -> None:
    """views.open the Log hours modal for a day, prefilled with what is already logged."""
    if w.problem:
        view = views.info_modal("rolesplit", w.problem)
    else:
        current, note = _logged(services, w, day)
        view = views.modal(day, w.categories, current, note, metadata, notice=notice)
    try:
        client.views_open(trigger_id=trigger_id, view=view)
    except SlackApiError as err:  # e.g. expired_trigger_id: the click waited too long
        error = str(err.response.get("error") or "unknown_error")
        log.warning("views.open failed: %s", error, extra={"user": user_id, "outcome": "failed"})
        client.chat_postMessage(channel=user_id, text=views.form_failed(day, error))


def _logged(services: Services, w: Who, day: date) -> tuple[dict[str, Decimal], str | None]:
    assert w.member is not None
    keys = {v: k for k, v in w.category_ids.items()}
    with services.read() as s:
        by_id = tl.day_hours(s, w.member.id, day)
        existing = tl.get_day(s, w.member.id, day)
    return {keys[c]: h for c, h in by_id.items() if c in keys}, existing.note if existing else None


def _clicked(body: dict[str, Any]) -> tuple[str | None, str | None]:
    container = body.get("container") or {}
    return container.get("channel_id"), container.get("message_ts")


def _meta(body: dict[str, Any]) -> dict[str, Any]:
    """The modal's metadata: the message it was opened from (updated once the day is logged)."""
    channel, ts = _clicked(body)
    return {"c": channel, "ts": ts}


def on_open(
    services: Services,
    ack: Ack,
    body: dict[str, Any],
    client: WebClient,
    context: dict[str, Any] | None = None,
) -> None:
    """Log hours: ack, then one read and views.open at once (the trigger id lasts 3 seconds)."""
    ack()
    soon(context or {}, _open_for, services, body, client)


def _open_for(services: Services, body: dict[str, Any], client: WebClient) -> None:
    w = who(services, body["team"]["id"], body["user"]["id"])
    day = parse_day(body["actions"][0].get("value") or "", w.today) or w.today
    open_modal(services, client, w, body["user"]["id"], body["trigger_id"], day, _meta(body))


def on_date_change(services: Services, ack: Ack, body: dict[str, Any], client: WebClient) -> None:
    """A new date in the modal: reload what is logged for it (views.update, guarded by hash)."""
    ack()
    view = body["view"]
    w = who(services, body["team"]["id"], body["user"]["id"])
    picked = body["actions"][0].get("selected_date") or ""
    day = parse_day(picked, w.today)
    if day is None or w.problem:
        return
    current, note = _logged(services, w, day)
    try:
        client.views_update(
            view_id=view["id"],
            hash=view.get("hash"),
            view=views.modal(day, w.categories, current, note, metadata_of(view), reload=True),
        )
    except SlackApiError as err:  # hash_conflict: the person typed on; their view stands
        log.info("modal not reloaded: %s", err.response.get("error"))


def on_submit(
    services: Services,
    ack: Ack,
    body: dict[str, Any],
    view: dict[str, Any],
    client: WebClient,
    context: dict[str, Any] | None = None,
) -> None:
    """Save: errors answered in the modal (nothing stored), else the day is replaced."""
    team_id, user_id = body["team"]["id"], body["user"]["id"]
    w = who(services, team_id, user_id)
    reading = views.read_modal(view["state"]["values"], w.categories)
    errors = dict(reading.errors)
    day = parse_day(reading.day, w.today) if reading.day else None
    problem = w.problem or check_log_date(day, w.today, w.edit_window)
    if problem:
        errors[views.DATE_BLOCK] = problem
    if errors:
        ack(response_action="errors", errors=errors)
        return
    ack()
    assert day is not None
    after_ack(context or {}, _save_submission, services, client, body, view, day, reading)


def _save_submission(
    services: Services,
    client: WebClient,
    body: dict[str, Any],
    view: dict[str, Any],
    day: date,
    reading: views.ModalReading,
) -> None:
    """After the ack: replace the day (claimed by view id + hash) and announce it."""
    team_id, user_id = body["team"]["id"], body["user"]["id"]
    key = f"view:{team_id}:{view['id']}:{view.get('hash') or ''}"
    try:
        result = record(
            services,
            team_id,
            user_id,
            day,
            reading.hours,
            source="modal",
            idem_key=key,
            note=reading.note,
        )
    except SQLAlchemyError:  # the form is closed already: hand back what was typed
        log.exception("day not saved", extra={"team_id": team_id, "outcome": "error"})
        client.chat_postMessage(
            channel=user_id, text=views.save_failed(day, reading.hours, reading.note)
        )
        return
    if isinstance(result, Logged):
        meta = metadata_of(view)
        announce(services, client, team_id, user_id, result, (meta.get("c"), meta.get("ts")))
    elif isinstance(result, str):
        client.chat_postMessage(channel=user_id, text=result)


# ---------------------------------------------------------------- the buttons


def on_quick(
    services: Services, ack: Ack, body: dict[str, Any], client: WebClient, respond: Respond
) -> None:
    """Same as yesterday / Day off: recorded once per day however often it is clicked."""
    ack()
    team_id, user_id = body["team"]["id"], body["user"]["id"]
    action = body["actions"][0]
    w = who(services, team_id, user_id)
    reply = respond if body.get("response_url") else None
    day = parse_day(action.get("value") or "", w.today)
    problem = w.problem or check_log_date(day, w.today, w.edit_window)
    if problem or day is None:
        _tell(client, reply, user_id, problem or "That button is out of date.")
        return
    hours: dict[str, Decimal] | None = None
    if action["action_id"] == views.SAME_AS_YESTERDAY:
        hours = _previous(services, w, day)
        if not hours:
            open_modal(
                services,
                client,
                w,
                user_id,
                body["trigger_id"],
                day,
                _meta(body),
                notice="There's no earlier day with hours to copy yet — enter "
                f"{views.day_label(day)} here.",
            )
            return
    kind = "same" if hours is not None else "day_off"
    key = f"btn:{team_id}:{user_id}:{kind}:{day.isoformat()}"
    result = record(services, team_id, user_id, day, hours, source=kind, idem_key=key)
    if result is None:
        _tell(
            client,
            reply,
            user_id,
            f"Already recorded for {views.day_label(day)} — to change "
            f"it, use `/rolesplit log {day.isoformat()}`.",
        )
    elif isinstance(result, str):
        _tell(client, reply, user_id, result)
    else:
        announce(services, client, team_id, user_id, result, _clicked(body))


def _previous(services: Services, w: Who, day: date) -> dict[str, Decimal] | None:
    """The hours of the last logged work day before `day`, in active categories."""
    assert w.member is not None
    keys = {v: k for k, v in w.category_ids.items()}
    with services.read() as s:
        last = tl.last_logged_day(s, w.member.id, day)
        by_id = tl.day_hours(s, w.member.id, last) if last else {}
    return {keys[c]: h for c, h in by_id.items() if c in keys} or None


# ---------------------------------------------------------------- plain words


def on_message(
    services: Services, event: dict[str, Any], client: WebClient, context: dict[str, Any]
) -> None:
    """A DM in plain words logs the day; an unreadable one gets an example, never silence."""
    if event.get("channel_type") != "im" or event.get("subtype") or event.get("bot_id"):
        return
    team_id = context.get("team_id") or event.get("team") or ""
    user_id, text = event.get("user") or "", (event.get("text") or "").strip()
    channel = event.get("channel") or user_id
    if not user_id or not text:
        return
    key = f"msg:{team_id}:{channel}:{event.get('ts')}"
    w = who(services, team_id, user_id)
    reading = read_words(text, w.categories, w.today)
    if reading.help and w.problem is None:  # "help", "hi", "?": what can be typed here
        dm_help.reply(services, client, channel, key, w.categories, w.today)
        return
    problem = w.problem
    if problem is None and (reading.unreadable or not (reading.hours or reading.day_off)):
        example = views.example_line(w.categories) or views.WORDS_EXAMPLE
        problem = views.words_help(reading.unreadable, reading.choices, example)
    if problem is None and not reading.day_off and reading.total == 0:
        problem = views.no_hours()
    if problem is None and reading.total > MAX_DAY:
        problem = views.too_many_hours(reading.total)
    problem = problem or check_log_date(reading.day, w.today, w.edit_window)
    if problem is not None:
        with services.Session.begin() as s:
            first = repo.claim_key(s, key, services.now())
        if first:
            client.chat_postMessage(channel=channel, text=problem)
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
        announce(services, client, team_id, user_id, result)


# ---------------------------------------------------------------- commands


def handle_log(cmd: Command) -> None:
    """`/rolesplit log [YYYY-MM-DD|yesterday]` opens the modal for that day."""
    w = who(cmd.services, cmd.team_id, cmd.user_id)
    if w.problem:
        cmd.ack(response_type="ephemeral", text=w.problem)
        return
    day = parse_day(cmd.args, w.today)
    if day is None:
        cmd.ack(
            response_type="ephemeral",
            text=f"“{cmd.args}” isn't a day I know. Try `/rolesplit log yesterday`, "
            f"`/rolesplit log {w.today.isoformat()}` or `/rolesplit log monday`.",
        )
        return
    problem = check_log_date(day, w.today, w.edit_window)
    if problem:
        cmd.ack(response_type="ephemeral", text=problem)
        return
    cmd.ack()
    open_modal(cmd.services, cmd.client, w, cmd.user_id, cmd.trigger_id, day, {})


def _next_prompt_text(services: Services, w: Who, paused_until: date | None) -> str:
    assert w.member is not None
    at = next_prompt(
        services.now(), w.member.tz, parse_hhmm(w.prompt_time), w.work_days, paused_until
    )
    if at is None:
        return "you have no work days set, so no prompts are scheduled"
    local = at.astimezone(zone(w.member.tz))
    return f"{views.day_label(local.date())} at {local:%H:%M} your time ({w.member.tz})"


def handle_pause(cmd: Command) -> None:
    """`/rolesplit pause [N days|until YYYY-MM-DD]` (default 7 days, today included)."""
    w = who(cmd.services, cmd.team_id, cmd.user_id)
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
        away_repo.set_period(s, member.id, away_repo.PAUSED, w.today, until, now=cmd.services.now())
    cmd.ack(
        response_type="ephemeral",
        text=f"⏸️ Paused: no evening prompts through {views.day_label(until)}. They restart "
        f"{_next_prompt_text(cmd.services, w, until)} — or earlier with `/rolesplit resume`.",
    )


def handle_resume(cmd: Command) -> None:
    """`/rolesplit resume`: prompts on again from the next prompt time."""
    w = who(cmd.services, cmd.team_id, cmd.user_id)
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
        text=f"{head} Next one: {_next_prompt_text(cmd.services, w, None)}.",
    )


def register(app: App, services: Services, router: Router) -> None:
    """Attach the time-log listeners and the log / pause / resume subcommands."""

    @app.action(views.OPEN_MODAL)
    def _open(ack: Ack, body: dict[str, Any], client: WebClient, context: dict[str, Any]) -> None:
        on_open(services, ack, body, client, context)

    @app.action(views.DATE_ACTION)
    def _date(ack: Ack, body: dict[str, Any], client: WebClient) -> None:
        on_date_change(services, ack, body, client)

    @app.action(views.SAME_AS_YESTERDAY)
    @app.action(views.DAY_OFF)
    def _quick(ack: Ack, body: dict[str, Any], client: WebClient, respond: Respond) -> None:
        on_quick(services, ack, body, client, respond)

    @app.view(views.MODAL_CALLBACK)
    def _submit(
        ack: Ack,
        body: dict[str, Any],
        view: dict[str, Any],
        client: WebClient,
        context: dict[str, Any],
    ) -> None:
        on_submit(services, ack, body, view, client, context)

    @app.event("message")
    def _message(event: dict[str, Any], client: WebClient, context: dict[str, Any]) -> None:
        # Bolt acked the event already; the reading and the transaction run after the ack
        after_ack(context, on_message, services, event, client, context)

    # these ack first or validate from one read, then hand the rest on
    acks_inline(app, views=[views.MODAL_CALLBACK], actions=[views.OPEN_MODAL])
    router.add("log", handle_log, LOG_USAGE, order=1)
    router.add("pause", handle_pause, PAUSE_USAGE, order=2)
    router.add("resume", handle_resume, RESUME_USAGE, order=3)
