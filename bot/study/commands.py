"""Feature: the time study — `/rolesplit study start|stop|result`, progress, the managers' App Home
section; the scheduled DMs and result are in bot.study.jobs, the fit answers in bot.study.fit."""

from __future__ import annotations

import logging
import re
from datetime import datetime
from typing import Any

from slack_bolt import Ack, App, Respond
from slack_sdk import WebClient
from sqlalchemy.orm import Session

from bot.services import Services
from bot.slack.router import Command, Router, is_manager
from bot.study import views as views
from bot.study.fit import on_comment, on_fit_click, on_fit_submit
from bot.study.jobs import deliver_result, end_studies, send_study_dms
from bot.study.numbers import load_result, load_status, result_due_at
from bot.study.plan import (
    fit_day,
    parse_weeks,
    study_end,
    study_start,
)
from bot.timecalc import local_today, zone
from storage import repo
from storage import study_repo as q
from storage.models import Study, Workspace

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


def _no_study_text(services: Services, ws: Workspace, latest: Study | None) -> str:
    if latest is None:
        return (
            "No time study has run yet. Start one with `/rolesplit study start` (4 weeks) or "
            "`/rolesplit study start 6 weeks`."
        )
    word = "was stopped" if latest.status == "stopped" else "ended"
    return (
        f"No study is running. The last one ({views.span(latest.starts_on, latest.ends_on)}) "
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
    with services.Session.begin() as s:
        ws = repo.ensure_workspace(s, cmd.team_id)
        cfg = services.config(ws)
        today = local_today(now, cfg.timezone)
        first = study_start(today, cfg.work_days)
        reps = len(q.active_reps(s, ws.id))
        study = (
            q.create_study(s, ws.id, cmd.user_id, first, study_end(first, weeks), weeks, now)
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
        when = f" ({views.span(running.starts_on, running.ends_on)}{by})" if running else ""
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
            f"{views.span(study.starts_on, study.ends_on)}, {reps} rep{'s' * (reps != 1)}"
            + (
                f" (today isn't a work day, so it starts on {views.day_label(study.starts_on)})"
                if study.starts_on != today
                else ""
            )
            + ".\n"
            "• *Now:* each rep gets a short DM on why they're asked to log — the numbers are "
            "about the roles, not about judging them.\n"
            f"• *{views.day_label(fit_day(study.starts_on, study.ends_on, cfg.work_days))}:* "
            "the fit question — "
            "which work each rep would rather do (only managers see the answers).\n"
            f"• *{views.day_label(due.date())} at {due:%H:%M}:* the result with the split plan, "
            f"{where}.\n"
            "Progress any time: `/rolesplit study`."
        ),
    )
    send_study_dms(services, services.now(), study_id=study.id)


def show_progress(cmd: Command) -> None:
    """Progress of the open study, straight in the answer."""
    services, now = cmd.services, cmd.services.now()
    ws_id = services.workspace_id(cmd.team_id)
    with services.read() as s:
        ws = s.get(Workspace, ws_id)
        assert ws is not None
        study = q.open_study(s, ws.id)
        if study is None:
            text = _no_study_text(services, ws, q.latest_study(s, ws.id))
            status = None
        else:
            status = load_status(services, s, ws, study, now)
    if status is None:
        cmd.ack(response_type="ephemeral", text=text)
        return
    cmd.ack(
        response_type="ephemeral",
        text=views.status_text(status),
        blocks=views.status_blocks(status),
    )


def stop(cmd: Command) -> None:
    """End the open study today and send its result at once."""
    services, now = cmd.services, cmd.services.now()
    with services.Session.begin() as s:
        ws = repo.ensure_workspace(s, cmd.team_id)
        cfg = services.config(ws)
        today = local_today(now, cfg.timezone)
        study = q.open_study(s, ws.id)
        stopped = False
        if study is not None:
            last = max(study.starts_on, min(study.ends_on, today))
            stopped = q.stop_study(s, study.id, last, now)
            days = (last - study.starts_on).days + 1
        text = "" if stopped else _no_study_text(services, ws, q.latest_study(s, ws.id))
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
    services, now = cmd.services, cmd.services.now()
    ws_id = services.workspace_id(cmd.team_id)
    with services.read() as s:
        ws = s.get(Workspace, ws_id)
        assert ws is not None
        study = q.latest_study(s, ws.id)
    if study is None:
        cmd.ack(response_type="ephemeral", text=_no_study_text(services, ws, None))
        return
    cmd.ack(response_type="ephemeral", text="Working on the study result…")
    with services.read() as s:
        ws = s.get(Workspace, ws_id)
        assert ws is not None
        result = load_result(services, s, ws, study, now)
    blocks, _ = views.result_blocks(result)
    cmd.respond(
        response_type="ephemeral",
        replace_original=True,
        text=views.result_fallback(result),
        blocks=blocks,
    )


# ---------------------------------------------------------------- App Home (managers)


def home_section(
    services: Services, s: Session, ws: Workspace, now: datetime
) -> list[dict[str, Any]]:
    """The managers' study blocks for the App Home (read inside the caller's transaction)."""
    study = q.latest_study(s, ws.id)
    if study is None:
        return views.home_blocks(None, None)
    if study.status == "open":
        return views.home_blocks(load_status(services, s, ws, study, now), None)
    return views.home_blocks(None, load_result(services, s, ws, study, now))


def on_home_button(services: Services, ack: Ack, body: dict[str, Any], client: WebClient) -> None:
    """Home buttons: the progress or the result, by DM to the manager who asked."""
    ack()
    team_id, user_id = body["team"]["id"], body["user"]["id"]
    want = body["actions"][0]["action_id"]
    now = services.now()
    ws_id = services.workspace_id(team_id)
    with services.read() as s:
        ws = s.get(Workspace, ws_id)
        assert ws is not None
        if not is_manager(services, s, ws, user_id, client):
            text, blocks = "The time study's numbers are for managers.", None
        else:
            study = q.latest_study(s, ws.id)
            if study is None:
                text, blocks = _no_study_text(services, ws, None), None
            elif want == views.HOME_PROGRESS and study.status == "open":
                status = load_status(services, s, ws, study, now)
                text, blocks = views.status_text(status), views.status_blocks(status)
            else:
                result = load_result(services, s, ws, study, now)
                text, blocks = views.result_fallback(result), views.result_blocks(result)[0]
    client.chat_postMessage(channel=user_id, text=text, blocks=blocks)


JOBS = (("study_dms", send_study_dms), ("study_end", end_studies))


def register(app: App, services: Services, router: Router) -> None:
    """`/rolesplit study …` (managers), the fit question's buttons and form, Home buttons."""

    @app.action(re.compile(views.FIT_ACTION_PATTERN))
    def _fit(ack: Ack, body: dict[str, Any], client: WebClient, respond: Respond) -> None:
        on_fit_click(services, ack, body, client, respond)

    @app.action(views.FIT_COMMENT)
    def _comment(ack: Ack, body: dict[str, Any], client: WebClient, respond: Respond) -> None:
        on_comment(services, ack, body, client, respond)

    @app.view(views.FIT_MODAL)
    def _submit(ack: Ack, body: dict[str, Any], view: dict[str, Any], client: WebClient) -> None:
        on_fit_submit(services, ack, body, view, client)

    @app.action(views.HOME_PROGRESS)
    @app.action(views.HOME_RESULT)
    def _home(ack: Ack, body: dict[str, Any], client: WebClient) -> None:
        on_home_button(services, ack, body, client)

    router.add("study", handle_study, USAGE, manager_only=True, order=25)
