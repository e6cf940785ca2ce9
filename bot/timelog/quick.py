"""Logging without the form: the Same as yesterday and Day off buttons, and a DM in plain words."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

from slack_bolt import Ack, BoltContext, Respond
from slack_sdk import WebClient

from bot.slack.context import Request, request_of
from bot.slack.pool import after_ack
from bot.timecalc import check_log_date, parse_day
from bot.timelog import help as dm_help
from bot.timelog import views as views
from bot.timelog.modal import open_modal, opened_from
from bot.timelog.parse import MAX_DAY, read_words
from bot.timelog.record import Logged, Who, announce, clicked, record, tell, who
from storage import repo
from storage import timelog_repo as tl


def on_quick(
    ack: Ack, body: dict[str, Any], context: BoltContext, client: WebClient, respond: Respond
) -> None:
    """Same as yesterday / Day off: recorded once per day however often it is clicked."""
    ack()
    req = request_of(context)
    action = body["actions"][0]
    w = who(req)
    reply = respond if body.get("response_url") else None
    day = parse_day(action.get("value") or "", w.today)
    problem = w.problem or check_log_date(day, w.today, w.edit_window)
    if problem or day is None:
        tell(client, reply, req.user_id, problem or "That button is out of date.")
        return
    hours: dict[str, Decimal] | None = None
    if action["action_id"] == views.SAME_AS_YESTERDAY:
        hours = _previous(req, w, day)
        if not hours:
            open_modal(
                req,
                client,
                w,
                body["trigger_id"],
                day,
                opened_from(body),
                notice="There's no earlier day with hours to copy yet — enter "
                f"{views.day_label(day)} here.",
            )
            return
    kind = "same" if hours is not None else "day_off"
    key = f"btn:{req.team_id}:{req.user_id}:{kind}:{day.isoformat()}"
    result = record(req, day, hours, source=kind, idem_key=key)
    if result is None:
        tell(
            client,
            reply,
            req.user_id,
            f"Already recorded for {views.day_label(day)} — to change "
            f"it, use `/rolesplit log {day.isoformat()}`.",
        )
    elif isinstance(result, str):
        tell(client, reply, req.user_id, result)
    else:
        announce(req, client, result, clicked(body))


def _previous(req: Request, w: Who, day: date) -> dict[str, Decimal] | None:
    """The hours of the last logged work day before `day`, in active categories."""
    assert w.member is not None
    keys = {v: k for k, v in w.category_ids.items()}
    with req.services.read() as s:
        last = tl.last_logged_day(s, w.member.id, day)
        by_id = tl.day_hours(s, w.member.id, last) if last else {}
    return {keys[c]: h for c, h in by_id.items() if c in keys} or None


def on_message(event: dict[str, Any], context: BoltContext, client: WebClient) -> None:
    """A DM in plain words (Bolt acked the event already: the reading runs after the ack)."""
    if event.get("channel_type") != "im" or event.get("subtype") or event.get("bot_id"):
        return
    after_ack(context, log_words, request_of(context), event, client)


def log_words(req: Request, event: dict[str, Any], client: WebClient) -> None:
    """A DM in plain words logs the day; an unreadable one gets an example, never silence."""
    user_id, text = event.get("user") or "", (event.get("text") or "").strip()
    channel = event.get("channel") or user_id
    if not user_id or not text:
        return
    key = f"msg:{req.team_id}:{channel}:{event.get('ts')}"
    w = who(req)
    reading = read_words(text, w.categories, w.today)
    if reading.help and w.problem is None:  # "help", "hi", "?": what can be typed here
        dm_help.reply(req, client, channel, key, w.categories, w.today)
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
        with req.services.Session.begin() as s:
            first = repo.claim_key(s, key, req.services.now())
        if first:
            client.chat_postMessage(channel=channel, text=problem)
        return
    result = record(
        req,
        reading.day,
        None if reading.day_off else reading.hours,
        source="text",
        idem_key=key,
    )
    if isinstance(result, Logged):
        announce(req, client, result)
