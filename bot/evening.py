"""Scheduled: the evening prompt and its one reminder — each claimed in the database first."""

from __future__ import annotations

import logging
import threading
import time
import urllib.error
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from slack_bolt import App
from slack_sdk.errors import SlackApiError

from bot.commands import Router
from bot.config import parse_hhmm, parse_work_days
from bot.localtime import Due, due_prompt, local_midnight_after, zone
from bot.services import NoTokenError, Services
from bot.views import daylog as views
from storage import daylog_repo, repo
from storage.models import Member, Prompt, Workspace

log = logging.getLogger(__name__)

# Slack errors that will not go away by trying again: the member is taken off the prompt list.
PERMANENT = {
    "user_not_found",
    "account_inactive",
    "cannot_dm_bot",
    "user_disabled",
    "channel_not_found",
    "is_archived",
    "not_in_channel",
    "messages_tab_disabled",
}
SEND_THREADS = 8
TZ_REFRESH_PER_TICK = 25
# Our pace for evening DMs per process: each DM is its own channel (Slack allows ~1/s per
# channel), so the workspace-wide limit is what binds; we pace at 95/s and let 429s
# (Retry-After, retried by the client) slow us further when Slack asks.
SENDS_PER_SECOND = 95.0


class Pacer:
    """Spaces calls evenly at a rate across threads (a token bucket of size one)."""

    def __init__(self, per_second: float) -> None:
        self.interval = 1.0 / per_second
        self._next = time.monotonic()
        self._lock = threading.Lock()

    def wait(self) -> None:
        """Block until this caller's slot."""
        with self._lock:
            now = time.monotonic()
            slot = max(now, self._next)
            self._next = slot + self.interval
        if slot > now:
            time.sleep(slot - now)


@dataclass(frozen=True)
class DuePrompt:
    """One member whose prompt is due now."""

    member_id: int
    user_id: str
    team_id: str
    tz: str
    due: Due
    reminder_after: int


def find_due(services: Services, now: datetime) -> list[DuePrompt]:
    """Everyone whose prompt is due at `now` and not yet sent or answered (pure rules + 2 reads)."""
    with services.read() as s:
        candidates = daylog_repo.prompt_candidates(s)
        configs: dict[int, Any] = {}
        due: list[DuePrompt] = []
        for member, ws in candidates:
            cfg = configs.get(ws.id) or configs.setdefault(ws.id, services.config(ws))
            at = parse_hhmm(member.prompt_time) if member.prompt_time else cfg.prompt_time
            days = parse_work_days(member.work_days) if member.work_days else cfg.work_days
            d = due_prompt(now, member.tz, at, days, cfg.prompt_window_minutes, member.paused_until)
            if d is not None:
                due.append(
                    DuePrompt(
                        member.id,
                        member.user_id,
                        ws.team_id,
                        member.tz,
                        d,
                        cfg.reminder_after_minutes,
                    )
                )
        done = daylog_repo.answered_or_prompted(s, ((p.member_id, p.due.local_date) for p in due))
    return [p for p in due if (p.member_id, p.due.local_date) not in done]


def send_prompts(services: Services, now: datetime) -> int:
    """Claim and send every due prompt (and transient failures from earlier passes)."""
    refresh_zones(services, now)
    due = find_due(services, now)
    due += _retries(services, now)
    if not due:
        return 0
    pacer = Pacer(SENDS_PER_SECOND)
    with ThreadPoolExecutor(max_workers=SEND_THREADS, thread_name_prefix="prompt") as pool:
        sent = sum(pool.map(lambda p: _send_one(services, p, now, pacer), due))
    return sent


def _retries(services: Services, now: datetime) -> list[DuePrompt]:
    """Prompts that failed transiently; re-sent while still inside their window."""
    out: list[DuePrompt] = []
    with services.Session.begin() as s:
        for prompt in daylog_repo.claim_retries(s, now):
            member = s.get(Member, prompt.member_id)
            ws = s.get(Workspace, member.workspace_id) if member else None
            if member is None or ws is None or not ws.installed or not member.active:
                prompt.status = "skipped"
                continue
            cfg = services.config(ws)
            at = parse_hhmm(member.prompt_time) if member.prompt_time else cfg.prompt_time
            days = parse_work_days(member.work_days) if member.work_days else cfg.work_days
            d = due_prompt(now, member.tz, at, days, cfg.prompt_window_minutes, member.paused_until)
            if d is None or d.local_date != prompt.local_date:
                prompt.status, prompt.error = "skipped", "window passed before a retry worked"
                continue
            out.append(
                DuePrompt(
                    member.id, member.user_id, ws.team_id, member.tz, d, cfg.reminder_after_minutes
                )
            )
    return out


def _send_one(services: Services, p: DuePrompt, now: datetime, pacer: Pacer) -> int:
    """Claim one prompt, post it, record the outcome; 1 when a DM went out."""
    with services.Session.begin() as s:
        claimed = daylog_repo.claim_prompt(s, p.member_id, p.due.local_date, p.due.due_at, now)
        if claimed is None:  # a retry row is already ours (status flipped back to claimed)
            existing = daylog_repo.prompt_for(s, p.member_id, p.due.local_date)
            if existing is None or existing.status != "claimed" or existing.sent_at is not None:
                return 0
            if existing.attempts <= 1 and existing.error is None:
                return 0  # another process claimed it this pass
        monday, _ = daylog_repo.week_range(p.due.local_date)
        week = views.Week(
            daylog_repo.split_between(s, p.member_id, monday, p.due.local_date),
            daylog_repo.days_answered(s, p.member_id, monday, p.due.local_date),
        )
    blocks = views.prompt_blocks(p.user_id, p.due.local_date, week)
    pacer.wait()
    outcome, fields = _post(
        services,
        p,
        blocks,
        f"How did {views.day_label(p.due.local_date)} "
        "split? Tap Log hours or reply in plain words.",
    )
    with services.Session.begin() as s:
        prompt = daylog_repo.prompt_for(s, p.member_id, p.due.local_date)
        assert prompt is not None
        if outcome == "sent":
            prompt.status, prompt.sent_at, prompt.error = "sent", now, None
            prompt.channel_id, prompt.message_ts = fields["channel"], fields["ts"]
            reminder = now + timedelta(minutes=p.reminder_after)
            midnight = local_midnight_after(p.due.local_date, zone(p.tz))
            prompt.reminder_due_at = reminder if reminder < midnight else None
        else:
            prompt.status, prompt.error = outcome, fields.get("error", "")[:200]
            if outcome == "failed" and fields.get("permanent"):
                member = s.get(Member, p.member_id)
                if member is not None:
                    repo.deactivate_member(s, member, f"Slack: {fields['error']}")
    log.info(
        "prompt %s",
        outcome,
        extra={"job": "prompts", "team_id": p.team_id, "user": p.user_id, "outcome": outcome},
    )
    return 1 if outcome == "sent" else 0


def _post(
    services: Services, p: DuePrompt, blocks: list[dict[str, Any]], text: str
) -> tuple[str, dict[str, Any]]:
    """chat.postMessage to the member; ('sent'|'retry'|'failed', details)."""
    try:
        client = services.client_for(p.team_id)
        resp = client.chat_postMessage(channel=p.user_id, text=text, blocks=blocks)
    except NoTokenError:
        return "failed", {"error": "no bot token for the workspace"}
    except SlackApiError as err:
        code = err.response.get("error") or ""
        if err.response.status_code == 429 or err.response.status_code >= 500:
            return "retry", {"error": f"HTTP {err.response.status_code}"}
        return "failed", {"error": code, "permanent": code in PERMANENT}
    except (urllib.error.URLError, OSError) as err:
        return "retry", {"error": f"connection: {err}"}
    return "sent", {"channel": resp["channel"], "ts": resp["ts"]}


def send_reminders(services: Services, now: datetime) -> int:
    """One reminder per unanswered prompt, after the delay, never after local midnight."""
    with services.Session() as s:
        due = [(p.id, p.member_id, p.local_date) for p in daylog_repo.due_reminders(s, now)]
    sent = 0
    for prompt_id, member_id, local_date in due:
        with services.Session.begin() as s:
            if not daylog_repo.claim_reminder(s, prompt_id, now):
                continue
            member = s.get(Member, member_id)
            ws = s.get(Workspace, member.workspace_id) if member else None
            if member is None or ws is None or not member.active or not ws.installed:
                continue
            if now >= local_midnight_after(local_date, zone(member.tz)):
                continue
            if daylog_repo.get_day(s, member_id, local_date) is not None:
                continue
            monday, _ = daylog_repo.week_range(local_date)
            week = views.Week(daylog_repo.split_between(s, member_id, monday, local_date), 0)
            p = DuePrompt(
                member_id, member.user_id, ws.team_id, member.tz, Due(local_date, now, now), 0
            )
        blocks = views.prompt_blocks(p.user_id, local_date, week, reminder=True)
        outcome, fields = _post(services, p, blocks, "Quick reminder: log today's hours?")
        with services.Session.begin() as s:
            prompt = s.get(Prompt, prompt_id)
            if prompt is not None:
                if outcome == "sent":
                    prompt.reminded_at = now
                else:
                    prompt.error = f"reminder: {fields.get('error', '')}"[:200]
        sent += outcome == "sent"
    return sent


def refresh_zones(services: Services, now: datetime) -> int:
    """Re-read a few members' Slack time zones a day (besides the user_change event)."""
    with services.Session() as s:
        stale = [
            (m.id, m.user_id, m.workspace_id)
            for m in daylog_repo.stale_tz_members(s, now - timedelta(days=1), TZ_REFRESH_PER_TICK)
        ]
        teams = {w.id: w.team_id for w in s.query(Workspace).filter(Workspace.installed)}
    changed = 0
    for member_id, user_id, ws_id in stale:
        if ws_id not in teams:
            continue
        try:
            info = services.user_info(services.client_for(teams[ws_id]), teams[ws_id], user_id)
        except (SlackApiError, NoTokenError, OSError):
            continue
        with services.Session.begin() as s:
            member = s.get(Member, member_id)
            if member is None:
                continue
            member.tz_checked_at = now
            if info and info.get("tz") and info["tz"] != member.tz:
                member.tz, changed = info["tz"], changed + 1
    return changed


JOBS = (("prompts", send_prompts), ("reminders", send_reminders))


def register(app: App, services: Services, router: Router) -> None:
    """Nothing to listen to: this feature only runs from the scheduler's tick."""
