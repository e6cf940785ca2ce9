"""Scheduled: the evening prompt (its one reminder is in `reminders`) — claimed in the database
first.

One pass (`jobs.tick`) finds who is due, then a small thread pool claims and sends: a claim is
one atomic statement (INSERT … ON CONFLICT DO NOTHING on `prompt(member, local_date)`, or an
UPDATE guarded by the row's state), taken right before its Slack call, so any number of
processes may tick at once. Sends keep to a workspace-wide pace shared through the database.
Nobody is asked on a day they are away (bot/timelog/away_check.py): marked away or a public
holiday is known from the database; a Slack status that says away holds the claimed DM.
"""

from __future__ import annotations

import logging
import random
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

from slack_sdk.errors import SlackApiError
from sqlalchemy.orm import Session

from bot.config import WorkspaceConfig, parse_hhmm, parse_work_days
from bot.services import Services
from bot.slack.client import NoTokenError
from bot.slack.outbound import HELD, Claimed, Outcome, Pass, deliver, per_minute
from bot.split import split
from bot.timecalc import (
    MIN_PROMPT_GAP,
    Due,
    due_prompt,
    reminder_at,
    week_range,
    zone,
)
from bot.timelog import views as views
from bot.timelog.away_check import (
    StatusReads,
    holiday_reason,
    marked_away,
    status_per_minute,
)
from storage import away_repo, repo
from storage import prompt_repo as pq
from storage import timelog_repo as tl
from storage.models import Member

log = logging.getLogger(__name__)

STALE_CLAIM = timedelta(minutes=5)
TZ_CHECKS_PER_TICK = 20


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
    status_rate: int  # the workspace's pace of Slack status reads
    retry: pq.Retry | None = None


def find_due(services: Services, now: datetime) -> list[DueItem]:
    """Everyone whose prompt is due now, not yet prompted or answered, nor prompted recently."""
    with services.read() as s:
        workspaces = pq.installed_workspaces(s)
        candidates = pq.prompt_candidates(s)
        retries = {r.member_id: r for r in pq.retries(s)}
    configs: dict[int, WorkspaceConfig] = {}
    usable: dict[int, bool] = {}
    due: list[DueItem] = []
    expired: list[int] = []
    for c in candidates:
        ws = workspaces.get(c.workspace_id)
        if ws is None or not usable.setdefault(ws.id, services.slack.has_token(ws.team_id)):
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
                    status_per_minute(cfg),
                    retry,
                )
            )
    if expired:
        with services.Session.begin() as s:
            pq.skip_retries(s, expired, "window passed before a retry worked")
    with services.read() as s:
        done = pq.handled(s, {d.due.local_date for d in due})
        recent = pq.prompted_since(s, now - MIN_PROMPT_GAP)
        away = marked_away(s, [(d.member_id, d.due.local_date) for d in due])
    return [
        d
        for d in due
        if d.member_id not in away
        and (
            d.retry is not None
            or ((d.member_id, d.due.local_date) not in done and d.member_id not in recent)
        )
    ]


def send_prompts(services: Services, now: datetime) -> int:
    """The prompts job: expire interrupted claims, refresh zones, claim and send what is due."""
    run = Pass(services, now)
    with services.Session.begin() as s:
        expired = pq.expire_interrupted(s, now - STALE_CLAIM)
        pq.skip_stale_retries(s, now - timedelta(days=1))
    for team_id, user_id, day in expired:  # one line per item, like every scheduled item
        log.warning(
            "prompt interrupted: %s (%s)",
            pq.INTERRUPTED,
            day.isoformat(),
            extra={"job": "prompts", "team_id": team_id, "user": user_id, "outcome": "interrupted"},
        )
    refresh_zones(services, now)
    items = find_due(services, now)
    random.shuffle(items)  # several processes: fewer collisions on the same claims
    statuses = StatusReads(services)  # each rep's Slack status read at most once this pass

    def send(item: DueItem) -> int:
        def hold(_: Claimed[tuple[int, int]]) -> str | None:
            return statuses.reason(item.team_id, item.user_id, now, item.status_rate)

        return deliver(run, _Prompt(item), log, "prompts", "prompt", hold=hold)

    return run.run(items, send)


@dataclass(frozen=True)
class _Prompt:
    """The evening prompt of one due member (or its retry after a transient failure)."""

    item: DueItem

    def claim(self, run: Pass, s: Session) -> Claimed[tuple[int, int]] | None:
        """Take the (member, date) prompt, or its retry: the DM and (prompt id, attempt)."""
        item, day = self.item, self.item.due.local_date
        if item.retry is None:
            prompt_id = pq.claim_prompt(s, item.member_id, day, item.due.due_at, run.lease())
            attempt = 1
        else:
            prompt_id = item.retry.prompt_id
            attempt = pq.claim_retry(s, prompt_id, item.retry.attempts, run.lease()) or 0
        if prompt_id is None or attempt == 0:
            return None  # another process has it
        message = prompt_message(s, item.member_id, item.user_id, day, reminder=False)
        return Claimed(item.team_id, item.user_id, item.rate, message, (prompt_id, attempt))

    def sending(self, run: Pass, s: Session, state: tuple[int, int]) -> bool:
        """Claimed → sending, just before the DM (a crash before this leaves it to retry)."""
        return pq.mark_sending(s, *state)

    def record(self, run: Pass, s: Session, state: tuple[int, int], out: Outcome) -> None:
        """Sent (with when its reminder is due), held for a Slack status that says away (the day
        recorded as away), or the error; a permanent one deactivates."""
        (prompt_id, attempt), item = state, self.item
        if out.status == HELD:
            pq.record_prompt(
                s, prompt_id, attempt, status="skipped", error=f"away: {out.error}"[:200]
            )
            away_repo.record_status(
                s, item.member_id, item.due.local_date, out.error, now=run.lease()
            )
            return
        if out.status == "sent":
            sent_at = run.lease()
            due = reminder_at(sent_at, item.due.local_date, item.tz, item.reminder_after)
            pq.record_prompt(
                s,
                prompt_id,
                attempt,
                status="sent",
                sent_at=sent_at,
                error=None,
                channel_id=out.channel,
                message_ts=out.ts,
                reminder_due_at=due,
            )
            return
        pq.record_prompt(s, prompt_id, attempt, status=out.status, error=out.error[:200])
        if out.permanent:
            deactivate(s, item.member_id, out.error)


def prompt_message(
    s: Session, member_id: int, user_id: str, day: date, *, reminder: bool
) -> dict[str, Any]:
    """The prompt (or its reminder) with the week so far."""
    first, _ = week_range(day)
    week = views.Week(
        split(tl.kind_hours_between(s, member_id, first, day)),
        tl.days_answered(s, member_id, first, day),
    )
    return {
        "text": views.prompt_text(day, reminder=reminder),
        "blocks": views.prompt_blocks(user_id, day, week, reminder=reminder),
    }


def deactivate(session: Session, member_id: int, error: str) -> None:
    """Take a member off the prompts after a permanent Slack error."""
    member = session.get(Member, member_id)
    if member is not None and member.active:
        repo.deactivate_member(session, member, f"Slack: {error}")


# ---------------------------------------------------------------- time zones


def refresh_zones(services: Services, now: datetime) -> int:
    """Re-read a few reps' Slack time zones whose last check is over a day old (claimed)."""
    with services.Session.begin() as s:
        stale = pq.claim_tz_checks(s, now - timedelta(days=1), now, TZ_CHECKS_PER_TICK)
        teams = {w.id: w.team_id for w in pq.installed_workspaces(s).values()}
    changed = 0
    for member_id, user_id, ws_id in stale:
        team_id = teams[ws_id]
        try:
            info = services.user_info(services.slack.for_team(team_id), team_id, user_id)
        except (SlackApiError, NoTokenError, OSError) as err:
            log.info("time zone of %s not refreshed: %s", user_id, err)
            continue
        tz = (info or {}).get("tz")
        if tz and zone(tz).key == tz:
            with services.Session.begin() as s:
                changed += pq.set_tz(s, member_id, tz)
    return changed
