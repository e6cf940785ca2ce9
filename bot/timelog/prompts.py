"""Scheduled: the evening prompt and its one reminder — each claimed in the database first.

One pass (`jobs.tick`) finds who is due, then a small thread pool claims and sends: a claim is
one atomic statement (INSERT … ON CONFLICT DO NOTHING on `prompt(member, local_date)`, or an
UPDATE guarded by the row's state), taken right before its Slack call, so any number of
processes may tick at once. Sends keep to a workspace-wide pace shared through the database.
"""

from __future__ import annotations

import logging
import random
import threading
import time
import urllib.error
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from slack_bolt import App
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError
from slack_sdk.http_retry.builtin_handlers import RateLimitErrorRetryHandler

from bot.config import parse_hhmm, parse_work_days
from bot.jobs import pass_budget
from bot.services import NoTokenError, Services
from bot.slack.router import Router
from bot.timecalc import (
    MIN_PROMPT_GAP,
    Due,
    due_prompt,
    local_midnight_after,
    reminder_at,
    week_range,
    zone,
)
from bot.timelog import views as views
from bot.timelog.away_check import (
    StatusReads,
    before_reminder,
    holiday_reason,
    log_skip,
    marked_away,
    skip_prompt,
)
from bot.wsconfig import WorkspaceConfig
from storage import repo
from storage import timelog_repo as tl
from storage.models import Member, Prompt, Workspace

log = logging.getLogger(__name__)

SEND_THREADS = 8
DEFAULT_DM_PER_MINUTE = 600  # our pace per workspace; Slack allows "several hundred" a minute
STALE_CLAIM = timedelta(minutes=5)
TZ_CHECKS_PER_TICK = 20
# Slack errors that will not go away by trying again: the member stops getting prompts.
PERMANENT = frozenset(
    {
        "user_not_found",
        "account_inactive",
        "cannot_dm_bot",
        "user_disabled",
        "channel_not_found",
        "messages_tab_disabled",
        "is_archived",
    }
)


# ---------------------------------------------------------------- sending


@dataclass(frozen=True)
class Outcome:
    """What a Web API call came to: sent | retry (provably not sent) | failed."""

    status: str
    error: str = ""
    channel: str = ""
    ts: str = ""
    permanent: bool = False


_clients: dict[tuple[str, str], WebClient] = {}
_clients_lock = threading.Lock()


def fanout_client(services: Services, team_id: str) -> WebClient:
    """A client that retries only 429s: a repeated post after a lost answer could double a DM."""
    token = services.bot_token(team_id)
    key = (services.settings.slack_api_url, token)
    with _clients_lock:
        client = _clients.get(key)
        if client is None:
            client = WebClient(
                token=token,
                base_url=services.settings.slack_api_url,
                timeout=10,
                retry_handlers=[RateLimitErrorRetryHandler(max_retry_count=3)],
            )
            _clients[key] = client
        return client


def post_dm(services: Services, team_id: str, user_id: str, **message: Any) -> Outcome:
    """chat.postMessage into the member's DM, classified for the claim's record."""
    try:
        resp = fanout_client(services, team_id).chat_postMessage(channel=user_id, **message)
    except NoTokenError:
        return Outcome("retry", "no bot token for the workspace")
    except SlackApiError as err:
        status = err.response.status_code
        code = str(err.response.get("error") or f"HTTP {status}")
        if status == 429 or status >= 500:  # Slack said no: nothing was posted
            return Outcome("retry", f"HTTP {status} {code}")
        return Outcome("failed", code, permanent=code in PERMANENT)
    except urllib.error.URLError as err:  # could not connect or send: nothing was posted
        return Outcome("retry", f"connection: {err.reason}")
    except OSError as err:  # sent, then no answer (timeout, reset): it may have been posted
        return Outcome("failed", f"no answer from Slack ({type(err).__name__}); not resent")
    return Outcome("sent", channel=str(resp["channel"]), ts=str(resp["ts"]))


def per_minute(cfg: WorkspaceConfig) -> int:
    """The workspace's DM pace (workspace setting `dm_per_minute`, default 600)."""
    try:
        value = int(cfg.extra.get("dm_per_minute") or DEFAULT_DM_PER_MINUTE)
    except (TypeError, ValueError):
        value = DEFAULT_DM_PER_MINUTE
    return max(1, value)


def reserve(session: Any, team_id: str, rate: int) -> float:
    """Reserve this send's slot in the workspace's shared pace; the wall-clock time to send."""
    interval = 60_000_000 // rate
    slot = tl.reserve_slot(session, f"chat.postMessage:{team_id}", int(time.time() * 1e6), interval)
    return slot / 1e6


def wait_until(wall: float) -> None:
    """Sleep until a wall-clock instant (a pace slot; bounded by the reservation itself)."""
    delay = wall - time.time()
    if delay > 0:
        time.sleep(delay)


class Pass:
    """One pass's clock: `lease()` is the tick's `now` plus the real time spent since."""

    def __init__(self, services: Services, now: datetime) -> None:
        self.services, self.now = services, now
        self.started = time.monotonic()
        self.budget = pass_budget(services.settings.tick_seconds)
        self.statuses = StatusReads(services)  # Slack statuses read this pass

    def lease(self) -> datetime:
        """The instant to store on claims and sends."""
        return self.now + timedelta(seconds=time.monotonic() - self.started)

    def over_budget(self) -> bool:
        """True when this pass should leave the rest to the next one."""
        return time.monotonic() - self.started > self.budget

    def run(self, items: list[Any], fn: Callable[[Any], int]) -> int:
        """Run `fn` over the items on a small bounded pool; how many sent."""
        if not items:
            return 0
        with ThreadPoolExecutor(SEND_THREADS, thread_name_prefix="fanout") as pool:
            return sum(pool.map(fn, items))


# ---------------------------------------------------------------- prompts


@dataclass(frozen=True)
class DueItem:
    """One member whose prompt is due now (or whose earlier send failed transiently)."""

    member_id: int
    user_id: str
    team_id: str
    tz: str
    due: Due
    reminder_after: int
    rate: int
    retry: tl.Retry | None = None


def find_due(services: Services, now: datetime) -> list[DueItem]:
    """Everyone whose prompt is due now, not yet prompted or answered, nor prompted recently."""
    with services.read() as s:
        workspaces = tl.installed_workspaces(s)
        candidates = tl.prompt_candidates(s)
        retries = {r.member_id: r for r in tl.retries(s)}
    configs: dict[int, WorkspaceConfig] = {}
    usable: dict[int, bool] = {}
    due: list[DueItem] = []
    expired: list[int] = []
    for c in candidates:
        ws = workspaces.get(c.workspace_id)
        if ws is None or not usable.setdefault(ws.id, _has_token(services, ws.team_id)):
            continue
        cfg = configs.get(ws.id) or configs.setdefault(ws.id, services.config(ws))
        d = due_prompt(
            now,
            c.tz,
            parse_hhmm(c.prompt_time) if c.prompt_time else cfg.prompt_time,
            parse_work_days(c.work_days) if c.work_days else cfg.work_days,
            cfg.prompt_window_minutes,
            c.paused_until,
        )
        if d is not None and holiday_reason(cfg, d.local_date):
            d = None  # a public holiday: nobody is asked
        retry = retries.pop(c.member_id, None)
        if retry is not None and (d is None or d.local_date != retry.local_date):
            if d is not None or now >= retry.due_at + timedelta(minutes=cfg.prompt_window_minutes):
                expired.append(retry.prompt_id)
            retry = None
        if d is not None:
            due.append(
                DueItem(
                    c.member_id,
                    c.user_id,
                    ws.team_id,
                    c.tz,
                    d,
                    cfg.reminder_after_minutes,
                    per_minute(cfg),
                    retry,
                )
            )
    if expired:
        with services.Session.begin() as s:
            tl.skip_retries(s, expired, "window passed before a retry worked")
    with services.read() as s:
        done = tl.handled(s, {d.due.local_date for d in due})
        recent = tl.prompted_since(s, now - MIN_PROMPT_GAP)
    away = marked_away(services, [(d.member_id, d.due.local_date) for d in due])
    return [
        d
        for d in due
        if d.member_id not in away
        and (
            d.retry is not None
            or ((d.member_id, d.due.local_date) not in done and d.member_id not in recent)
        )
    ]


def _has_token(services: Services, team_id: str) -> bool:
    try:
        services.bot_token(team_id)
    except NoTokenError:
        return False
    return True


def send_prompts(services: Services, now: datetime) -> int:
    """The prompts job: expire interrupted claims, refresh zones, claim and send what is due."""
    run = Pass(services, now)
    with services.Session.begin() as s:
        expired = tl.expire_interrupted(s, now - STALE_CLAIM)
        tl.skip_stale_retries(s, now - timedelta(days=1))
    for team_id, user_id, day in expired:  # one line per item, like every scheduled item
        log.warning(
            "prompt interrupted: %s (%s)",
            tl.INTERRUPTED,
            day.isoformat(),
            extra={"job": "prompts", "team_id": team_id, "user": user_id, "outcome": "interrupted"},
        )
    refresh_zones(services, now)
    items = find_due(services, now)
    random.shuffle(items)  # several processes: fewer collisions on the same claims
    return run.run(items, lambda item: _prompt_one(run, item))


def _prompt_one(run: Pass, item: DueItem) -> int:
    """Claim one prompt, post it at its pace slot, record the outcome; 1 when a DM went out."""
    if run.over_budget():
        return 0
    services = run.services
    day = item.due.local_date
    with services.Session.begin() as s:
        if item.retry is None:
            prompt_id = tl.claim_prompt(s, item.member_id, day, item.due.due_at, run.lease())
            attempt = 1
        else:
            prompt_id = item.retry.prompt_id
            attempt = tl.claim_retry(s, prompt_id, item.retry.attempts, run.lease()) or 0
        if prompt_id is None or attempt == 0:
            return 0  # another process has it
        first, _ = week_range(day)
        week = views.Week(
            tl.split_between(s, item.member_id, first, day),
            tl.days_answered(s, item.member_id, first, day),
        )
        slot = reserve(s, item.team_id, item.rate)
    away = run.statuses.reason(item.team_id, item.user_id, run.now)
    if away is not None:  # a status that says away: nothing sent, the day recorded as away
        skip_prompt(services, prompt_id, attempt, item.member_id, day, away, run.lease())
        log_skip("prompts", item.team_id, item.user_id, away)
        return 0
    wait_until(slot)
    out = post_dm(
        services,
        item.team_id,
        item.user_id,
        text=views.prompt_text(day),
        blocks=views.prompt_blocks(item.user_id, day, week),
    )
    sent_at = run.lease()
    with services.Session.begin() as s:
        if out.status == "sent":
            tl.record_prompt(
                s,
                prompt_id,
                attempt,
                status="sent",
                sent_at=sent_at,
                error=None,
                channel_id=out.channel,
                message_ts=out.ts,
                reminder_due_at=reminder_at(sent_at, day, item.tz, item.reminder_after),
            )
        else:
            tl.record_prompt(s, prompt_id, attempt, status=out.status, error=out.error[:200])
            if out.permanent:
                _deactivate(s, item.member_id, out.error)
    _log("prompts", item.team_id, item.user_id, out)
    return 1 if out.status == "sent" else 0


def _deactivate(session: Any, member_id: int, error: str) -> None:
    member = session.get(Member, member_id)
    if member is not None and member.active:
        repo.deactivate_member(session, member, f"Slack: {error}")


def _log(job: str, team_id: str, user_id: str, out: Outcome) -> None:
    level = logging.INFO if out.status == "sent" else logging.WARNING
    log.log(
        level,
        "%s %s%s",
        job.rstrip("s"),
        out.status,
        f": {out.error}" if out.error else "",
        extra={"job": job, "team_id": team_id, "user": user_id, "outcome": out.status},
    )


# ---------------------------------------------------------------- reminders


def send_reminders(services: Services, now: datetime) -> int:
    """One reminder per unanswered prompt after the delay; none after that or after midnight."""
    run = Pass(services, now)
    with services.read() as s:
        ids = tl.due_reminders(s, now)
    return run.run(ids, lambda prompt_id: _remind_one(run, prompt_id))


def _remind_one(run: Pass, prompt_id: int) -> int:
    """Claim one reminder, re-check it is still wanted, post it; 1 when a DM went out."""
    if run.over_budget():
        return 0
    services = run.services
    with services.Session.begin() as s:
        if not tl.claim_reminder(s, prompt_id, run.lease()):
            return 0
        prompt = s.get(Prompt, prompt_id)
        member = s.get(Member, prompt.member_id) if prompt else None
        ws = s.get(Workspace, member.workspace_id) if member else None
        if prompt is None or member is None or ws is None:
            return 0
        if not _still_wanted(run, prompt, member, ws) or tl.get_day(
            s, member.id, prompt.local_date
        ):
            log.info(
                "reminder skipped: answered, paused, off the roster or past midnight",
                extra={
                    "job": "reminders",
                    "team_id": ws.team_id,
                    "user": member.user_id,
                    "outcome": "skipped",
                },
            )
            return 0
        day, member_id, user_id, team_id = prompt.local_date, member.id, member.user_id, ws.team_id
        first, _ = week_range(day)
        week = views.Week(
            tl.split_between(s, member_id, first, day), tl.days_answered(s, member_id, first, day)
        )
        slot = reserve(s, team_id, per_minute(services.config(ws)))
    away = before_reminder(services, run.statuses, member_id, team_id, user_id, day, run.now)
    if away is not None:  # away since the prompt: no reminder
        with services.Session.begin() as s:
            tl.record_reminder(s, prompt_id, error=f"reminder skipped: away: {away}"[:200])
        log_skip("reminders", team_id, user_id, away)
        return 0
    wait_until(slot)
    out = post_dm(
        services,
        team_id,
        user_id,
        text=views.prompt_text(day, reminder=True),
        blocks=views.prompt_blocks(user_id, day, week, reminder=True),
    )
    with services.Session.begin() as s:
        if out.status == "sent":
            tl.record_reminder(s, prompt_id, reminded_at=run.lease())
        elif out.status == "retry":
            tl.release_reminder(s, prompt_id, f"reminder: {out.error}")
        else:
            tl.record_reminder(s, prompt_id, error=f"reminder: {out.error}"[:200])
            if out.permanent:
                _deactivate(s, member_id, out.error)
    _log("reminders", team_id, user_id, out)
    return 1 if out.status == "sent" else 0


def _still_wanted(run: Pass, prompt: Prompt, member: Member, ws: Workspace) -> bool:
    """A claimed reminder goes out only to an active, unpaused rep, before their midnight."""
    if not (ws.installed and member.active and member.is_rep):
        return False
    if member.paused_until is not None and prompt.local_date <= member.paused_until:
        return False
    return run.now < local_midnight_after(prompt.local_date, zone(member.tz))


# ---------------------------------------------------------------- time zones


def refresh_zones(services: Services, now: datetime) -> int:
    """Re-read a few reps' Slack time zones whose last check is over a day old (claimed)."""
    with services.Session.begin() as s:
        stale = tl.claim_tz_checks(s, now - timedelta(days=1), now, TZ_CHECKS_PER_TICK)
        teams = {w.id: w.team_id for w in tl.installed_workspaces(s).values()}
    changed = 0
    for member_id, user_id, ws_id in stale:
        team_id = teams[ws_id]
        try:
            info = services.user_info(services.client_for(team_id), team_id, user_id)
        except (SlackApiError, NoTokenError, OSError) as err:
            log.info("time zone of %s not refreshed: %s", user_id, err)
            continue
        tz = (info or {}).get("tz")
        if tz and zone(tz).key == tz:
            with services.Session.begin() as s:
                changed += tl.set_tz(s, member_id, tz)
    return changed


JOBS = (("prompts", send_prompts), ("reminders", send_reminders))


def register(app: App, services: Services, router: Router) -> None:
    """Nothing to listen to: this feature runs from the scheduler's tick."""
