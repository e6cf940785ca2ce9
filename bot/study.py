"""Feature: the time study — start, progress, stop, the reps' DMs, the fit question, the result.

Scheduled work (`JOBS`) is claimed in the database before Slack is called: each DM by a unique
`study_message(study, member, kind)` row, the end of a study and its result by guarded UPDATEs
on the study row, so several processes ticking together never double anything.
"""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

from slack_bolt import Ack, App, Respond
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError
from sqlalchemy.orm import Session

from bot.commands import Command, Router, is_manager
from bot.config import parse_work_days
from bot.period import Period, work_days_between
from bot.prompts import Pass, per_minute, post_dm, reserve, wait_until
from bot.report_model import build_report
from bot.rules import Split
from bot.services import NoTokenError, Services
from bot.split_plan import (
    RepEvidence,
    fit_day,
    fit_due_at,
    logging_rate,
    min_days_for,
    parse_weeks,
    progress,
    reminder_due_at,
    study_end,
    study_weeks,
    suggest,
    trend,
)
from bot.timecalc import local_datetime, local_today, zone
from bot.views import study as views
from bot.views.common import fmt_time
from bot.wsconfig import WorkspaceConfig
from storage import accounts_repo, repo
from storage import study_repo as q
from storage.models import Member, Study, Workspace

log = logging.getLogger(__name__)

USAGE = "study [start [N weeks] | stop | result] — the time study and its split plan"
HELP = (
    "`/rolesplit study` shows progress · `/rolesplit study start [N weeks]` starts one "
    "(default 4, up to 12) · `/rolesplit study stop` ends it early · "
    "`/rolesplit study result` shows the result and the split plan."
)
ANSWERS_CLOSED = "The time study has ended, so answers are closed — thank you all the same!"


# ---------------------------------------------------------------- loading what to show


def result_due_at(study: Study, cfg: WorkspaceConfig) -> datetime:
    """The result goes out the morning after the last day, at the rollup time of day."""
    return local_datetime(study.ends_on + timedelta(days=1), cfg.rollup_time, zone(cfg.timezone))


def _work_days(member: Member, cfg: WorkspaceConfig) -> tuple[int, ...]:
    return parse_work_days(member.work_days) if member.work_days else cfg.work_days


def _joined(member: Member, cfg: WorkspaceConfig) -> date:
    return local_today(member.created_at, cfg.timezone)


def load_status(
    services: Services, s: Session, ws: Workspace, study: Study, now: datetime
) -> views.StudyStatus:
    """An open study's progress: weeks done, each rep's logging rate, who has gone quiet."""
    cfg = services.config(ws)
    today = local_today(now, cfg.timezone)
    first, last = study.starts_on, study.ends_on
    reps = q.active_reps(s, ws.id)
    answered = q.answered_dates(s, ws.id, first, min(last, today))
    answers = q.fit_answers(s, study.id)
    sent = q.messages(s, study.id)
    report = build_report(s, ws, cfg, Period(first, last, "the study"), today)
    splits = {r.user_id: r.split for r in report.reps}
    rows = tuple(
        views.RepStatus(
            m.user_id,
            logging_rate(
                answered.get(m.id, set()),
                max(first, _joined(m, cfg)),
                last,
                today,
                _work_days(m, cfg),
            ),
            splits.get(m.user_id, Split()),
            answers[m.id].score if m.id in answers else None,
            m.paused_until if m.paused_until and m.paused_until >= today else None,
        )
        for m in reps
    )
    ids = {m.id for m in reps}
    return views.StudyStatus(
        first=first,
        last=last,
        weeks=study.weeks,
        started_by=study.started_by,
        today=today,
        progress=progress(first, last, today),
        reps=rows,
        fit_on=fit_day(first, last),
        fit_asked=sum(
            1 for (mid, kind), m in sent.items() if kind == "fit" and m.sent_at and mid in ids
        ),
        fit_answered=sum(1 for mid in answers if mid in ids),
        result_at=result_due_at(study, cfg).astimezone(zone(cfg.timezone)),
        rollup_channel=cfg.rollup_channel,
    )


def load_result(
    services: Services, s: Session, ws: Workspace, study: Study, now: datetime
) -> views.StudyResult:
    """The study result (preliminary while it runs): verdict, trend, capacity, split plan."""
    cfg = services.config(ws)
    today = local_today(now, cfg.timezone)
    first, last = study.starts_on, study.ends_on
    upto = last if study.status != "open" else max(first, min(last, today))
    report = build_report(s, ws, cfg, Period(first, last, "the study"), today)
    reps = {m.user_id: m for m in q.active_reps(s, ws.id)}
    answers = q.fit_answers(s, study.id)
    evidence = []
    for line in report.reps:
        member = reps.get(line.user_id)
        if member is None:  # left the roster: their hours count for the team, no suggestion
            continue
        answer = answers.get(member.id)
        evidence.append(
            RepEvidence(
                line.user_id,
                line.split,
                line.days_logged,
                answer.score if answer else None,
                answer.comment if answer else None,
                report.wins.won.get(line.user_id, (0, 0))[0],
                member.role,
            )
        )
    plan = suggest(evidence, min_days_for(work_days_between(first, upto, cfg.work_days)))
    weekly: dict[int, dict[str, Any]] = {}
    for day, kind, hours in q.hours_by_day_and_kind(s, ws.id, first, upto):
        bucket = weekly.setdefault((day - first).days // 7, {})
        bucket[kind] = bucket.get(kind, 0) + hours
    weeks = [
        (a, b, Split(**{k: v for k, v in weekly.get(i, {}).items() if k in Split.__annotations__}))
        for i, (a, b) in enumerate(study_weeks(first, upto))
    ]
    answered = q.answered_dates(s, ws.id, first, upto)
    rates = [
        logging_rate(
            answered.get(m.id, set()), max(first, _joined(m, cfg)), last, today, _work_days(m, cfg)
        )
        for m in reps.values()
    ]
    return views.StudyResult(
        first=first,
        last=last,
        weeks=study.weeks,
        status=study.status,
        today=today,
        progress=progress(first, last, today),
        report=report,
        trend=trend(weeks),
        plan=plan,
        answered=sum(r.answered for r in rates),
        expected=sum(r.expected for r in rates),
        fit_answered=sum(1 for m in reps.values() if m.id in answers),
        names={m.user_id: m.display_name for m in reps.values() if m.display_name},
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
        when = (
            f" ({views.span(running.starts_on, running.ends_on)}, started by "
            f"<@{running.started_by}>)"
            if running
            else ""
        )
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
            f"{views.span(study.starts_on, study.ends_on)}, {reps} rep{'s' * (reps != 1)}.\n"
            "• *Now:* each rep gets a short DM on why they're asked to log — the numbers are "
            "about the roles, not about judging them.\n"
            f"• *{views.day_label(fit_day(study.starts_on, study.ends_on))}:* the fit question — "
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


# ---------------------------------------------------------------- the result, once


def deliver_result(services: Services, ws_id: int, study_id: int, now: datetime) -> int:
    """Post a claimed result to the rollup channel and to each manager; 1 if it reached any."""
    with services.read() as s:
        ws = s.get(Workspace, ws_id)
        study = s.get(Study, study_id)
        assert ws is not None and study is not None
        cfg = services.config(ws)
        result = load_result(services, s, ws, study, now)
        people = accounts_repo.managers(s, ws.id, services.settings.managers)
    people = list(dict.fromkeys([*people, study.started_by]))
    try:
        client = services.client_for(ws.team_id)
    except NoTokenError:
        log.warning("study result not sent: no bot token", extra={"job": "study_end"})
        return 0
    targets: list[tuple[str, bool]] = [(cfg.rollup_channel, True)] if cfg.rollup_channel else []
    targets += [(user_id, False) for user_id in people]
    reached = 0
    for channel, public in targets:
        blocks, _ = views.result_blocks(result, public=public)
        try:
            client.chat_postMessage(
                channel=channel, text=views.result_fallback(result), blocks=blocks
            )
            reached += 1
        except SlackApiError as err:
            log.warning(
                "study result not delivered to %s: %s",
                channel,
                err.response.get("error"),
                extra={"job": "study_end", "team_id": ws.team_id, "outcome": "failed"},
            )
    if reached:
        with services.Session.begin() as s:
            q.record_result(s, study_id, services.now())
    log.info(
        "study result sent to %d of %d",
        reached,
        len(targets),
        extra={
            "job": "study_end",
            "team_id": ws.team_id,
            "outcome": "sent" if reached else "failed",
        },
    )
    return 1 if reached else 0


def end_studies(services: Services, now: datetime) -> int:
    """End studies whose last day has passed (at the rollup time of day) and send each result
    once; also send results of stopped studies whose sending was cut short."""
    with services.read() as s:
        running = q.open_studies(s)
        pending = q.unclaimed_results(s)
    done = 0
    for study, ws in running:
        if now < result_due_at(study, services.config(ws)):
            continue
        with services.Session.begin() as s:
            claimed = q.claim_end(s, study.id, now)
        if claimed:
            done += deliver_result(services, ws.id, study.id, now)
    for study, ws in pending:
        with services.Session.begin() as s:
            claimed = q.claim_result(s, study.id, now)
        if claimed:
            done += deliver_result(services, ws.id, study.id, now)
    return done


# ---------------------------------------------------------------- the reps' DMs, each once


@dataclass(frozen=True)
class DmItem:
    """One study DM that is due: to whom, which kind, and what it needs to say."""

    study_id: int
    member_id: int
    user_id: str
    team_id: str
    kind: str  # intro | fit | fit_reminder
    rate: int
    first: date
    last: date
    weeks: int
    prompt_time: str


def find_due_dms(services: Services, now: datetime, study_id: int | None = None) -> list[DmItem]:
    """Intros for every rep of an open study (added late too), the fit question from the
    second half, and one reminder two work days later for reps who have not answered."""
    items: list[DmItem] = []
    with services.read() as s:
        for study, ws in q.open_studies(s):
            if study_id is not None and study.id != study_id:
                continue
            cfg = services.config(ws)
            sent = q.messages(s, study.id)
            answers = q.fit_answers(s, study.id)
            for m in q.active_reps(s, ws.id):
                if local_today(now, m.tz) > study.ends_on:
                    continue
                item = DmItem(
                    study.id,
                    m.id,
                    m.user_id,
                    ws.team_id,
                    "intro",
                    per_minute(cfg),
                    study.starts_on,
                    study.ends_on,
                    study.weeks,
                    m.prompt_time or fmt_time(cfg.prompt_time),
                )
                intro = sent.get((m.id, "intro"))
                if intro is None:
                    items.append(item)
                    continue
                if m.paused_until is not None and local_today(now, m.tz) <= m.paused_until:
                    continue  # away: asked when back, if the study still runs
                days = _work_days(m, cfg)
                fit = sent.get((m.id, "fit"))
                if fit is None:
                    due = fit_due_at(
                        study.starts_on,
                        study.ends_on,
                        intro.sent_at or intro.claimed_at,
                        m.tz,
                        days,
                    )
                    if now >= due:
                        items.append(_kind(item, "fit"))
                    continue
                if m.id in answers or fit.sent_at is None or (m.id, "fit_reminder") in sent:
                    continue
                if now >= reminder_due_at(fit.sent_at, m.tz, days):
                    items.append(_kind(item, "fit_reminder"))
    return items


def _kind(item: DmItem, kind: str) -> DmItem:
    return DmItem(**{**item.__dict__, "kind": kind})


def send_study_dms(services: Services, now: datetime, study_id: int | None = None) -> int:
    """The study DMs job: claim and send what is due; how many went out."""
    run = Pass(services, now)
    return run.run(find_due_dms(services, now, study_id), lambda item: _send_one(run, item))


def _send_one(run: Pass, item: DmItem) -> int:
    """Claim one DM, post it at its pace slot, record the outcome; 1 when it went out."""
    if run.over_budget():
        return 0
    services = run.services
    with services.Session.begin() as s:
        study = s.get(Study, item.study_id)
        if study is None or study.status != "open":
            return 0
        if item.kind == "fit_reminder" and q.fit_answer(s, item.study_id, item.member_id):
            return 0
        if not q.claim_message(s, item.study_id, item.member_id, item.kind, run.lease()):
            return 0  # another process has it
        slot = reserve(s, item.team_id, item.rate)
    wait_until(slot)
    if item.kind == "intro":
        text, blocks = views.intro(
            item.user_id,
            item.first,
            item.last,
            item.weeks,
            item.prompt_time,
            fit_day(item.first, item.last),
        )
    else:
        text, blocks = views.fit_blocks(
            item.user_id, item.study_id, item.last, reminder=item.kind == "fit_reminder"
        )
    out = post_dm(services, item.team_id, item.user_id, text=text, blocks=blocks)
    with services.Session.begin() as s:
        if out.status == "sent":
            q.record_message(s, item.study_id, item.member_id, item.kind, sent_at=run.lease())
        elif out.status == "retry":
            q.release_message(s, item.study_id, item.member_id, item.kind)
        else:
            q.record_message(s, item.study_id, item.member_id, item.kind, error=out.error)
    level = logging.INFO if out.status == "sent" else logging.WARNING
    log.log(
        level,
        "study %s %s%s",
        item.kind,
        out.status,
        f": {out.error}" if out.error else "",
        extra={
            "job": "study_dms",
            "team_id": item.team_id,
            "user": item.user_id,
            "outcome": out.status,
        },
    )
    return 1 if out.status == "sent" else 0


# ---------------------------------------------------------------- the fit answer


@dataclass(frozen=True)
class Saved:
    """A stored fit answer, as the rep's message shows it."""

    study_id: int
    score: int
    comment: str | None
    last: date


def save_answer(
    services: Services,
    team_id: str,
    user_id: str,
    study_id: int,
    score: int,
    comment: str | None = None,
    *,
    keep_comment: bool = False,
) -> Saved | str:
    """Store (or replace) a rep's fit answer while the study is open; else say why not."""
    ws_id = services.workspace_id(team_id)
    with services.Session.begin() as s:
        study = s.get(Study, study_id)
        if study is None or study.workspace_id != ws_id:
            return "That question belongs to a study that no longer exists — nothing to do."
        if study.status != "open":
            return ANSWERS_CLOSED
        member = repo.get_member(s, ws_id, user_id)
        if member is None or not member.active or not member.is_rep:
            return (
                "Only reps on the roster answer this question. If you sell, ask a manager to add "
                "you with `/rolesplit add @you as hybrid`."
            )
        q.save_fit(
            s, study.id, member.id, score, services.now(), comment, keep_comment=keep_comment
        )
        answer = q.fit_answer(s, study.id, member.id)
        assert answer is not None
        return Saved(study.id, answer.score, answer.comment, study.ends_on)


def _show_saved(client: WebClient, channel: str | None, ts: str | None, saved: Saved) -> None:
    """Turn the question into the answer, in place."""
    if not channel or not ts:
        return
    text, blocks = views.fit_answered(saved.study_id, saved.score, saved.comment, saved.last)
    try:
        client.chat_update(channel=channel, ts=ts, text=text, blocks=blocks)
    except SlackApiError as err:  # deleted or too old to edit: the answer itself stands
        log.info("fit message not updated: %s", err.response.get("error"))


def _int(value: Any) -> int:
    try:
        return int(value)
    except (TypeError, ValueError):
        return 0


def on_fit_click(
    services: Services, ack: Ack, body: dict[str, Any], client: WebClient, respond: Respond
) -> None:
    """One of the five choices: saved at once (the sentence, if any, is kept)."""
    ack()
    action = body["actions"][0]
    score = _int(action["action_id"].rsplit("_", 1)[-1])
    result = save_answer(
        services,
        body["team"]["id"],
        body["user"]["id"],
        _int(action.get("value")),
        score,
        keep_comment=True,
    )
    if isinstance(result, str):
        respond(response_type="ephemeral", replace_original=False, text=result)
        return
    container = body.get("container") or {}
    _show_saved(client, container.get("channel_id"), container.get("message_ts"), result)


def on_comment(
    services: Services, ack: Ack, body: dict[str, Any], client: WebClient, respond: Respond
) -> None:
    """Add a sentence: the form, prefilled with the current answer."""
    ack()
    study_id = _int(body["actions"][0].get("value"))
    ws_id = services.workspace_id(body["team"]["id"])
    with services.read() as s:
        study = s.get(Study, study_id)
        member = repo.get_member(s, ws_id, body["user"]["id"])
        answer = q.fit_answer(s, study_id, member.id) if member and study else None
    if study is None or study.status != "open":
        respond(response_type="ephemeral", replace_original=False, text=ANSWERS_CLOSED)
        return
    container = body.get("container") or {}
    meta = {"c": container.get("channel_id"), "ts": container.get("message_ts")}
    client.views_open(
        trigger_id=body["trigger_id"],
        view=views.fit_modal(
            study_id, answer.score if answer else None, answer.comment if answer else None, meta
        ),
    )


def on_fit_submit(
    services: Services, ack: Ack, body: dict[str, Any], view: dict[str, Any], client: WebClient
) -> None:
    """The form: answered in place when something is wrong, nothing stored until it is right."""
    score, comment, errors = views.read_fit_modal(view["state"]["values"])
    if errors or score is None:
        ack(response_action="errors", errors=errors)
        return
    meta = views.metadata_of(view)
    result = save_answer(
        services, body["team"]["id"], body["user"]["id"], _int(meta.get("study")), score, comment
    )
    if isinstance(result, str):
        ack(response_action="errors", errors={views.SCORE_BLOCK: result})
        return
    ack()
    _show_saved(client, meta.get("c"), meta.get("ts"), result)


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
