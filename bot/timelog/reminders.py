"""Scheduled: the one reminder of a sent, unanswered evening prompt — claimed in the database
first, re-checked before sending (answered, paused, off the roster, past midnight, or away since
the prompt: skipped), held when the rep's Slack status says away."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy.orm import Session

from bot.services import Services
from bot.slack.outbound import HELD, Claimed, Outcome, Pass, deliver, per_minute
from bot.timecalc import local_midnight_after, zone
from bot.timelog.away_check import StatusReads, away_from_db, status_per_minute
from bot.timelog.prompts import deactivate, prompt_message
from storage import away_repo
from storage import prompt_repo as pq
from storage import timelog_repo as tl
from storage.models import Member, Prompt, Workspace

log = logging.getLogger(__name__)


def send_reminders(services: Services, now: datetime) -> int:
    """One reminder per unanswered prompt after the delay; none after that or after midnight."""
    run = Pass(services, now)
    with services.read() as s:
        ids = pq.due_reminders(s, now)
    statuses = StatusReads(services)

    def send(prompt_id: int) -> int:
        def hold(claimed: Claimed[_Reminded]) -> str | None:
            return statuses.reason(claimed.team_id, claimed.user_id, now, claimed.state.status_rate)

        return deliver(run, _Reminder(prompt_id), log, "reminders", "reminder", hold=hold)

    return run.run(ids, send)


@dataclass(frozen=True)
class _Reminded:
    """What a claimed reminder's record needs."""

    member_id: int
    day: date
    status_rate: int


@dataclass(frozen=True)
class _Reminder:
    """The one reminder of a sent, unanswered prompt."""

    prompt_id: int

    def claim(self, run: Pass, s: Session) -> Claimed[_Reminded] | None:
        """Take the reminder if it is still wanted: the DM, and what its record needs."""
        if not pq.claim_reminder(s, self.prompt_id, run.lease()):
            return None
        prompt = s.get(Prompt, self.prompt_id)
        member = s.get(Member, prompt.member_id) if prompt else None
        ws = s.get(Workspace, member.workspace_id) if member else None
        if prompt is None or member is None or ws is None:
            return None
        if not _still_wanted(run, prompt, member, ws) or tl.get_day(
            s, member.id, prompt.local_date
        ):
            _log_skipped(ws, member, "answered, paused, off the roster or past midnight")
            return None
        cfg = run.services.config(ws)
        away = away_from_db(s, cfg, member.id, prompt.local_date)
        if away is not None:  # marked away or a public holiday since the prompt: no reminder
            pq.record_reminder(s, self.prompt_id, error=f"reminder skipped: away: {away}"[:200])
            _log_skipped(ws, member, "away (%s)", away)
            return None
        message = prompt_message(s, member.id, member.user_id, prompt.local_date, reminder=True)
        state = _Reminded(member.id, prompt.local_date, status_per_minute(cfg))
        return Claimed(ws.team_id, member.user_id, per_minute(cfg), message, state)

    def sending(self, run: Pass, s: Session, state: _Reminded) -> bool:
        """Always ours once claimed (the claim is its own mark: a crash skips that reminder)."""
        return True

    def record(self, run: Pass, s: Session, state: _Reminded, out: Outcome) -> None:
        """Reminded, held for a Slack status that says away (the day recorded as away), given
        back (nothing was sent), or the error."""
        member_id = state.member_id
        if out.status == HELD:
            pq.record_reminder(
                s, self.prompt_id, error=f"reminder skipped: away: {out.error}"[:200]
            )
            away_repo.record_status(s, member_id, state.day, out.error, now=run.lease())
        elif out.status == "sent":
            pq.record_reminder(s, self.prompt_id, reminded_at=run.lease())
        elif out.status == "retry":
            pq.release_reminder(s, self.prompt_id, f"reminder: {out.error}")
        else:
            pq.record_reminder(s, self.prompt_id, error=f"reminder: {out.error}"[:200])
            if out.permanent:
                deactivate(s, member_id, out.error)


def _log_skipped(ws: Workspace, member: Member, why: str, *args: object) -> None:
    """Log a claimed reminder that is not sent, and why."""
    log.info(
        "reminder skipped: " + why,
        *args,
        extra={
            "job": "reminders",
            "team_id": ws.team_id,
            "user": member.user_id,
            "outcome": "skipped",
        },
    )


def _still_wanted(run: Pass, prompt: Prompt, member: Member, ws: Workspace) -> bool:
    """A claimed reminder goes out only to an active, unpaused rep, before their midnight."""
    if not (ws.installed and member.active and member.is_rep):
        return False
    if member.paused_until is not None and prompt.local_date <= member.paused_until:
        return False
    return run.now < local_midnight_after(prompt.local_date, zone(member.tz))
