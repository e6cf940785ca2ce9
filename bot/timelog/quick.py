"""Logging without the form: the Same as yesterday and Day off buttons, and a DM in plain words."""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import date
from decimal import Decimal
from typing import Any

from slack_bolt import Ack, BoltContext, BoltResponse, Respond
from slack_sdk import WebClient
from sqlalchemy.exc import SQLAlchemyError

from bot.slack import outbox
from bot.slack.context import Request, request_of
from bot.timecalc import check_log_date, parse_day
from bot.timelog import views as views
from bot.timelog.modal import open_modal, opened_from
from bot.timelog.parse import MAX_DAY, read_words
from bot.timelog.record import Logged, Who, announce, clicked, record, tell, who
from storage import repo
from storage import timelog_repo as tl

log = logging.getLogger(__name__)


def on_quick(
    ack: Ack, body: dict[str, Any], context: BoltContext, client: WebClient, respond: Respond
) -> None:
    """Same as yesterday / Day off: recorded once per day however often it is clicked.

    The day is stored before the ack; if it cannot be, the click is answered with that.
    """
    req = request_of(context)
    action = body["actions"][0]
    w = who(req)
    reply = respond if body.get("response_url") else None
    day = parse_day(action.get("value") or "", w.today)
    problem = w.problem or check_log_date(day, w.today, w.edit_window)
    if problem or day is None:
        ack()
        tell(client, reply, req.user_id, problem or "That button is out of date.")
        return
    hours: dict[str, Decimal] | None = None
    if action["action_id"] == views.SAME_AS_YESTERDAY:
        hours = _previous(req, w, day)
        if not hours:
            ack()
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
    try:
        result = record(req, day, hours, source=kind, idem_key=key, clicked=clicked(body))
    except SQLAlchemyError:
        log.exception("day not saved", extra={"team_id": req.team_id, "outcome": "error"})
        ack()
        tell(client, reply, req.user_id, views.click_not_saved(day))
        return
    ack()
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
        announce(req, context, result)


def _previous(req: Request, w: Who, day: date) -> dict[str, Decimal] | None:
    """The hours of the last logged work day before `day`, in active categories."""
    assert w.member is not None
    keys = {v: k for k, v in w.category_ids.items()}
    with req.services.read() as s:
        last = tl.last_logged_day(s, w.member.id, day)
        by_id = tl.day_hours(s, w.member.id, last) if last else {}
    return {keys[c]: h for c, h in by_id.items() if c in keys} or None


STORED = "timelog_words"  # the context key of what store_words made durable


def store_words(context: BoltContext, body: dict[str, Any], next: Callable[[], None]) -> Any:
    """Listener middleware of the DM: its effect is made durable before Slack gets its 200.

    If the database cannot take it, the event is answered 503 and nothing else happens, so
    Slack delivers it again (with X-Slack-Retry-Num; the stored key makes a retry a replay).
    """
    event = body.get("event") or {}
    if event.get("channel_type") == "im" and not (event.get("subtype") or event.get("bot_id")):
        try:
            context[STORED] = log_words(request_of(context), event)
        except SQLAlchemyError:
            log.exception("DM not saved", extra={"team_id": context.team_id, "outcome": "error"})
            return BoltResponse(status=503, body="")
    next()
    return None


def on_message(context: BoltContext) -> None:
    """After the ack: send what the DM's transaction queued (the confirmation or the reply)."""
    stored = context.get(STORED)
    if isinstance(stored, Logged):
        announce(request_of(context), context, stored)
    elif stored:
        outbox.send_soon(context, request_of(context).services, stored)


def log_words(req: Request, event: dict[str, Any]) -> Logged | list[int] | None:
    """A DM in plain words logs the day; an unreadable one gets an example, never silence.

    Returns what was recorded, the outbox rows of a reply, or None (a replay, or nothing to do).
    """
    user_id, text = event.get("user") or "", (event.get("text") or "").strip()
    channel = event.get("channel") or user_id
    if not user_id or not text:
        return None
    key = f"msg:{req.team_id}:{channel}:{event.get('ts')}"
    w = who(req)
    reading = read_words(text, w.categories, w.today)
    if reading.help and w.problem is None:  # "help", "hi", "?": what can be typed here
        help_text, blocks = views.dm_help(w.categories, w.today)
        return _reply_once(req, key, channel, help_text, blocks)
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
        return _reply_once(req, key, channel, problem)
    result = record(
        req,
        reading.day,
        None if reading.day_off else reading.hours,
        source="text",
        idem_key=key,
    )
    return result if isinstance(result, Logged) else None


def _reply_once(
    req: Request, key: str, channel: str, text: str, blocks: list[dict[str, Any]] | None = None
) -> list[int]:
    """Queue a reply to a DM once per message (Slack retries claim the same key)."""
    services = req.services
    with services.Session.begin() as s:
        if not repo.claim_key(s, key, services.now()):
            return []
        return [
            outbox.queue_message(s, req.team_id, channel, services.now(), text=text, blocks=blocks)
        ]
