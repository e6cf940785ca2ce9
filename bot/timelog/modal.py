"""The Log hours modal: opened from the prompt, the App Home or `/rolesplit log`, reloaded when
its date changes, validated in place and saved before the ack."""

from __future__ import annotations

import logging
from datetime import date
from typing import Any

from slack_bolt import Ack, BoltContext
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError
from sqlalchemy.exc import SQLAlchemyError

from bot.slack.blocks import FORM_NOT_SAVED, metadata_of
from bot.slack.context import Request, request_of
from bot.slack.pool import soon
from bot.slack.router import Command
from bot.timecalc import check_log_date, parse_day
from bot.timelog import logform, views
from bot.timelog.record import Logged, Who, announce, clicked, logged_hours, record, who

log = logging.getLogger(__name__)
LOG_USAGE = "log [YYYY-MM-DD | yesterday] — log or correct a day's hours"


def open_modal(
    req: Request,
    client: WebClient,
    w: Who,
    trigger_id: str,
    day: date,
    metadata: dict[str, Any],
    notice: str | None = None,
) -> None:
    """views.open the Log hours modal for a day, prefilled with what is already logged."""
    if w.problem:
        view = logform.info_modal("rolesplit", w.problem)
    else:
        current, note = logged_hours(req, w, day)
        view = logform.modal(day, w.categories, current, note, metadata, notice=notice)
    try:
        client.views_open(trigger_id=trigger_id, view=view)
    except SlackApiError as err:  # e.g. expired_trigger_id: the click waited too long
        error = str(err.response.get("error") or "unknown_error")
        extra = {"user": req.user_id, "outcome": "failed"}
        log.warning("views.open failed: %s", error, extra=extra)
        client.chat_postMessage(channel=req.user_id, text=views.form_failed(day, error))


def opened_from(body: dict[str, Any]) -> dict[str, Any]:
    """The modal's metadata: the message it was opened from (updated once the day is logged)."""
    channel, ts = clicked(body)
    return {"c": channel, "ts": ts}


def on_open(ack: Ack, body: dict[str, Any], context: BoltContext, client: WebClient) -> None:
    """Log hours: ack, then one read and views.open at once (the trigger id lasts 3 seconds)."""
    ack()
    soon(context, _open_for, request_of(context), body, client)


def _open_for(req: Request, body: dict[str, Any], client: WebClient) -> None:
    w = who(req)
    day = parse_day(body["actions"][0].get("value") or "", w.today) or w.today
    open_modal(req, client, w, body["trigger_id"], day, opened_from(body))


def on_date_change(ack: Ack, body: dict[str, Any], context: BoltContext, client: WebClient) -> None:
    """A new date in the modal: reload what is logged for it (views.update, guarded by hash)."""
    ack()
    req = request_of(context)
    view = body["view"]
    w = who(req)
    picked = body["actions"][0].get("selected_date") or ""
    day = parse_day(picked, w.today)
    if day is None or w.problem:
        return
    current, note = logged_hours(req, w, day)
    try:
        client.views_update(
            view_id=view["id"],
            hash=view.get("hash"),
            view=logform.modal(day, w.categories, current, note, metadata_of(view), reload=True),
        )
    except SlackApiError as err:  # hash_conflict: the person typed on; their view stands
        log.info("modal not reloaded: %s", err.response.get("error"))


def on_submit(
    ack: Ack, body: dict[str, Any], view: dict[str, Any], context: BoltContext, client: WebClient
) -> None:
    """Save: errors answered in the modal (nothing stored), else the day is replaced — stored,
    with its confirmation queued, before the ack. If the database cannot take it, the form
    stays open saying so, with everything typed still in it."""
    req = request_of(context)
    try:
        result = _save(req, view)
    except SQLAlchemyError:
        log.exception("day not saved", extra={"team_id": req.team_id, "outcome": "error"})
        ack(response_action="errors", errors={views.DATE_BLOCK: FORM_NOT_SAVED})
        return
    if isinstance(result, dict):
        ack(response_action="errors", errors=result)
        return
    ack()
    if isinstance(result, Logged):
        announce(req, context, result)
    elif isinstance(result, str):
        client.chat_postMessage(channel=req.user_id, text=result)


def _save(req: Request, view: dict[str, Any]) -> Logged | dict[str, str] | str | None:
    """Read the form and replace the day (claimed by view id + hash): what was logged, the
    form's errors, a problem to tell, or None for a replay."""
    w = who(req)
    reading = logform.read_modal(view["state"]["values"], w.categories)
    errors = dict(reading.errors)
    day = parse_day(reading.day, w.today) if reading.day else None
    problem = w.problem or check_log_date(day, w.today, w.edit_window)
    if problem:
        errors[views.DATE_BLOCK] = problem
    if errors:
        return errors
    assert day is not None
    key = f"view:{req.team_id}:{view['id']}:{view.get('hash') or ''}"
    meta = metadata_of(view)
    return record(
        req,
        day,
        reading.hours,
        source="modal",
        idem_key=key,
        note=reading.note,
        clicked=(meta.get("c"), meta.get("ts")),
    )


def handle_log(cmd: Command) -> None:
    """`/rolesplit log [YYYY-MM-DD|yesterday]` opens the modal for that day."""
    w = who(cmd.request)
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
    open_modal(cmd.request, cmd.client, w, cmd.trigger_id, day, {})
