"""Feature: the time study — `/rolesplit study start|stop|result`, progress, the managers' App Home
section; the scheduled DMs and result are in bot.study.jobs, the fit answers in bot.study.fit."""

from __future__ import annotations

import logging
import re
from datetime import datetime
from typing import Any

from slack_bolt import Ack, App, BoltContext
from slack_sdk import WebClient
from sqlalchemy.orm import Session

from bot.config import WorkspaceConfig
from bot.slack.app import Wiring
from bot.slack.context import request_of
from bot.slack.router import Command
from bot.study import dm_views, progress_views, result_views, wording
from bot.study.fit import on_comment, on_fit_click, on_fit_submit
from bot.study.jobs import deliver_result, send_study_dms
from bot.study.numbers import load_result, load_status, result_due_at
from bot.study.timeline import fit_day, parse_weeks, study_end
from bot.timecalc import zone
from storage import repo
from storage import study_repo as q
from storage.models import Study

log = logging.getLogger(__name__)

USAGE = "study [start [N weeks] | stop | result] — the time study and its split plan"
HELP = (
    "`/rolesplit study` shows progress · `/rolesplit study start [N weeks]` starts one "
    "(default 4, up to 12) · `/rolesplit study stop` ends it early · "
    "`/rolesplit study result` shows the result and the split plan."
)


# ---------------------------------------------------------------- /rolesplit study


def handle_study(cmd: Command) -> None:
    """`/rolesplit study [start [N weeks] | stop | result]` (managers)."""
    word, _, rest = cmd.args.partition(" ")
    word, rest = word.lower(), rest.strip()
    if word in ("", "progress", "status") and not rest:
        show_progress(cmd)
    elif word == "start":
        start(cmd, rest)
    elif word in ("stop", "end") and not rest:
        stop(cmd)
    elif word in ("result", "results") and not rest:
        show_result(cmd)
    elif word in ("stop", "end", "result", "results", "progress", "status"):
        cmd.ack(
            response_type="ephemeral",
            text=f"`/rolesplit study {word}` takes nothing after it, so nothing changed. {HELP}",
        )
    else:
        cmd.ack(
            response_type="ephemeral",
            text=f"I don't know `study {word}`, so nothing changed. {HELP}",
        )


def _no_study_text(latest: Study | None) -> str:
    if latest is None:
        return (
            "No time study has run yet. Start one with `/rolesplit study start` (4 weeks) or "
            "`/rolesplit study start 6 weeks`."
        )
    word = "was stopped" if latest.status == "stopped" else "ended"
    return (
        f"No study is running. The last one ({wording.span(latest.starts_on, latest.ends_on)}) "
        f"{word}: see `/rolesplit study result`. Start a new one with `/rolesplit study start`."
    )


def start(cmd: Command, args: str) -> None:
    """Open a study, tell the manager what happens when, then DM each rep why (claimed)."""
    weeks = parse_weeks(args)
    if isinstance(weeks, str):
        cmd.ack(
            response_type="ephemeral",
            text=f"{weeks} Nothing was started. Try `/rolesplit study start 4 weeks` "
            "(1 to 12 weeks; `/rolesplit study start` alone means 4).",
        )
        return
    services, now = cmd.services, cmd.services.now()
    cfg, today = cmd.request.settings, cmd.request.today
    with services.Session.begin() as s:
        ws = repo.ensure_workspace(s, cmd.team_id)
        reps = len(q.active_reps(s, ws.id))
        study = (
            q.create_study(s, ws.id, cmd.user_id, today, study_end(today, weeks), weeks, now)
            if reps
            else None
        )
        running = None if study or not reps else q.open_study(s, ws.id)
    if not reps:
        cmd.ack(
            response_type="ephemeral",
            text="There are no reps on the roster yet, so there is nobody to study. Add them "
            "first with `/rolesplit add @dana @sam as hybrid`, then `/rolesplit study start`.",
        )
        return
    if study is None:
        by = f", started by <@{running.started_by}>" if running and running.started_by else ""
        when = f" ({wording.span(running.starts_on, running.ends_on)}{by})" if running else ""
        cmd.ack(
            response_type="ephemeral",
            text=f"A study is already running{when}, so nothing changed. See how it's going with "
            "`/rolesplit study`, or end it with `/rolesplit study stop` before starting another.",
        )
        return
    due = result_due_at(study, cfg).astimezone(zone(cfg.timezone))
    where = (
        f"in <#{cfg.rollup_channel}> and by DM to managers"
        if cfg.rollup_channel
        else "by DM to managers (set a rollup channel in `/rolesplit settings` to post it "
        "there too)"
    )
    cmd.ack(
        response_type="ephemeral",
        text=(
            f"🧪 *Time study started:* {weeks} week{'s' * (weeks != 1)}, "
            f"{wording.span(study.starts_on, study.ends_on)}, {reps} rep{'s' * (reps != 1)}.\n"
            "• *Now:* each rep gets a short DM on why they're asked to log — the numbers are "
            "about the roles, not about judging them.\n"
            f"• *{wording.day_label(fit_day(study.starts_on, study.ends_on))}:* the fit question — "
            "which work each rep would rather do (only managers see the answers).\n"
            f"• *{wording.day_label(due.date())} at {due:%H:%M}:* the result with the split plan, "
            f"{where}.\n"
            "Progress any time: `/rolesplit study`."
        ),
    )
    send_study_dms(services, services.now(), study_id=study.id)


def show_progress(cmd: Command) -> None:
    """Progress of the open study, straight in the answer."""
    req, now = cmd.request, cmd.services.now()
    status, text = None, _no_study_text(None)
    with cmd.reading() as s:
        ws = req.workspace
        study = q.open_study(s, ws.id) if ws else None
        if ws is not None and study is None:
            text = _no_study_text(q.latest_study(s, ws.id))
        elif ws is not None and study is not None:
            status = load_status(s, ws.id, req.settings, study, now)
    if status is None:
        cmd.ack(response_type="ephemeral", text=text)
        return
    cmd.ack(
        response_type="ephemeral",
        text=progress_views.status_text(status),
        blocks=progress_views.status_blocks(status),
    )


def stop(cmd: Command) -> None:
    """End the open study today and send its result at once."""
    services, now = cmd.services, cmd.services.now()
    cfg, today = cmd.request.settings, cmd.request.today
    with services.Session.begin() as s:
        ws = repo.ensure_workspace(s, cmd.team_id)
        study = q.open_study(s, ws.id)
        stopped = False
        if study is not None:
            last = max(study.starts_on, min(study.ends_on, today))
            stopped = q.stop_study(s, study.id, last, now)
            days = (last - study.starts_on).days + 1
        text = "" if stopped else _no_study_text(q.latest_study(s, ws.id))
    if not stopped or study is None:
        cmd.ack(
            response_type="ephemeral",
            text="There's no study running, so there's nothing to stop. " + text,
        )
        return
    where = f"<#{cfg.rollup_channel}> and managers' DMs" if cfg.rollup_channel else "managers' DMs"
    cmd.ack(
        response_type="ephemeral",
        text=f"⏹️ Time study stopped after {days} day{'s' * (days != 1)}. The result — with what "
        f"the data can say so far — is on its way to {where}. Start a new one any time with "
        "`/rolesplit study start`.",
    )
    with services.Session.begin() as s:
        claimed = q.claim_result(s, study.id, services.now())
    if claimed:
        deliver_result(services, ws.id, study.id, services.now())


def show_result(cmd: Command) -> None:
    """The latest study's result (preliminary while it runs), through response_url."""
    req, now = cmd.request, cmd.services.now()
    with cmd.reading() as s:
        ws = req.workspace
        study = q.latest_study(s, ws.id) if ws else None
    if ws is None or study is None:
        cmd.ack(response_type="ephemeral", text=_no_study_text(None))
        return
    cmd.ack(response_type="ephemeral", text="Working on the study result…")
    with req.services.read() as s:
        result = load_result(s, ws.id, req.settings, study, now)
    blocks, _ = result_views.result_blocks(result)
    cmd.replace_ack(result_views.result_fallback(result), blocks)


# ---------------------------------------------------------------- App Home (managers)


def home_section(
    s: Session, ws_id: int | None, cfg: WorkspaceConfig, now: datetime
) -> list[dict[str, Any]]:
    """The managers' study blocks for the App Home (read inside the caller's transaction)."""
    study = q.latest_study(s, ws_id) if ws_id is not None else None
    if study is None:
        return result_views.home_blocks(None, None)
    if study.status == "open":
        return result_views.home_blocks(load_status(s, study.workspace_id, cfg, study, now), None)
    return result_views.home_blocks(None, load_result(s, study.workspace_id, cfg, study, now))


def on_home_button(ack: Ack, body: dict[str, Any], context: BoltContext, client: WebClient) -> None:
    """Home buttons: the progress or the result, by DM to the manager who asked."""
    ack()
    req = request_of(context)
    want = body["actions"][0]["action_id"]
    now = req.services.now()
    text, blocks = "The time study's numbers are for managers.", None
    if req.is_manager(client):
        with req.reading() as s:
            ws = req.workspace
            study = q.latest_study(s, ws.id) if ws else None
            if ws is None or study is None:
                text, blocks = _no_study_text(None), None
            elif want == result_views.HOME_PROGRESS and study.status == "open":
                status = load_status(s, ws.id, req.settings, study, now)
                text, blocks = (
                    progress_views.status_text(status),
                    progress_views.status_blocks(status),
                )
            else:
                result = load_result(s, ws.id, req.settings, study, now)
                text, blocks = (
                    result_views.result_fallback(result),
                    result_views.result_blocks(result)[0],
                )
    client.chat_postMessage(channel=req.user_id, text=text, blocks=blocks)


def register(app: App, wiring: Wiring) -> None:
    """`/rolesplit study …` (managers), the fit question's buttons and form, Home buttons."""
    app.action(re.compile(dm_views.FIT_ACTION_PATTERN))(on_fit_click)
    app.action(dm_views.FIT_COMMENT)(on_comment)
    app.view(dm_views.FIT_MODAL)(on_fit_submit)
    app.action(result_views.HOME_PROGRESS)(on_home_button)
    app.action(result_views.HOME_RESULT)(on_home_button)
    wiring.router.add("study", handle_study, USAGE, manager_only=True, order=25)
