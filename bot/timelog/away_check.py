"""Away before a prompt or reminder: marked away, a public holiday, or a Slack status.

Paused reps never become due (timecalc.due_prompt). A rep a manager marked away, or on a
public holiday of the workspace's country (`ROLESPLIT_HOLIDAYS`), is dropped from the pass
from the database alone. The Slack status is read with `users.info` just before the DM goes
out — at a workspace-wide pace within its rate tier (Tier 4, about 100 a minute) shared
through the database like the DMs' own pace, and at most once per person per pass. A day
skipped for a status is recorded as an away day, so reports leave it out of the missed days.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Sequence
from datetime import date, datetime
from typing import Any

from slack_sdk.errors import SlackApiError

from bot.calendar import calendar_for, is_holiday, status_away
from bot.services import NoTokenError, Services
from bot.wsconfig import WorkspaceConfig
from storage import away_repo, repo
from storage import timelog_repo as tl

log = logging.getLogger(__name__)

DEFAULT_STATUS_PER_MINUTE = 100  # users.info is Tier 4: "100+ per minute"


def holiday_reason(cfg: WorkspaceConfig, day: date) -> str | None:
    """`public holiday: Christmas Day` when the day is one in the workspace's country."""
    name = is_holiday(calendar_for(cfg.holidays), day)
    return f"public holiday: {name}" if name else None


def marked_away(services: Services, pairs: Sequence[tuple[int, date]]) -> dict[int, str]:
    """Member id → reason, for members a manager marked away on the given local date."""
    if not pairs:
        return {}
    with services.read() as s:
        found = away_repo.away_on(s, {day for _, day in pairs})
    return {m: found[(m, d)] for m, d in pairs if (m, d) in found}


def status_per_minute(cfg: WorkspaceConfig) -> int:
    """The workspace's pace of status reads (setting `status_per_minute`, default 100)."""
    try:
        value = int(cfg.extra.get("status_per_minute") or DEFAULT_STATUS_PER_MINUTE)
    except (TypeError, ValueError):
        value = DEFAULT_STATUS_PER_MINUTE
    return max(1, value)


class StatusReads:
    """One pass's Slack status reads: each person read at most once, paced per workspace."""

    def __init__(self, services: Services) -> None:
        self.services = services
        self._seen: dict[tuple[str, str], str | None] = {}
        self._configs: dict[str, WorkspaceConfig | None] = {}
        self._lock = threading.Lock()

    def config(self, team_id: str) -> WorkspaceConfig | None:
        """The workspace's effective settings (read once per pass)."""
        with self._lock:
            if team_id in self._configs:
                return self._configs[team_id]
        with self.services.read() as s:
            ws = repo.get_workspace(s, team_id)
            cfg = self.services.config(ws) if ws is not None else None
        with self._lock:
            self._configs[team_id] = cfg
        return cfg

    def reason(self, team_id: str, user_id: str, now: datetime) -> str | None:
        """Why the person's Slack status says away right now, or None (also when unreadable)."""
        key = (team_id, user_id)
        with self._lock:
            if key in self._seen:
                return self._seen[key]
        found = self._read(team_id, user_id, now)
        with self._lock:
            self._seen[key] = found
        return found

    def _read(self, team_id: str, user_id: str, now: datetime) -> str | None:
        cfg = self.config(team_id)
        rate = status_per_minute(cfg) if cfg is not None else DEFAULT_STATUS_PER_MINUTE
        with self.services.Session.begin() as s:
            slot = tl.reserve_slot(
                s, f"users.info:{team_id}", int(time.time() * 1e6), 60_000_000 // rate
            )
        delay = slot / 1e6 - time.time()
        if delay > 0:
            time.sleep(delay)
        try:
            resp = self.services.client_for(team_id).users_info(user=user_id)
        except (SlackApiError, NoTokenError, OSError) as err:  # unknown status: ask as usual
            log.info("status of %s not read: %s", user_id, err, extra={"team_id": team_id})
            return None
        user: dict[str, Any] = dict(resp.get("user") or {})
        if user:
            self.services.user_cache.put((team_id, user_id), user)
        return status_away(user.get("profile") or {}, now)


def log_skip(job: str, team_id: str, user_id: str, reason: str) -> None:
    """One line per item skipped for being away, like every scheduled item."""
    log.info(
        "%s skipped: away (%s)",
        job.rstrip("s"),
        reason,
        extra={"job": job, "team_id": team_id, "user": user_id, "outcome": "away"},
    )


def skip_prompt(
    services: Services,
    prompt_id: int,
    attempt: int,
    member_id: int,
    day: date,
    reason: str,
    now: datetime,
) -> None:
    """A claimed prompt not sent because the rep is away: skipped, and the day recorded away."""
    with services.Session.begin() as s:
        tl.record_prompt(s, prompt_id, attempt, status="skipped", error=f"away: {reason}"[:200])
        away_repo.record_status(s, member_id, day, reason, now=now)


def before_reminder(
    services: Services,
    reads: StatusReads,
    member_id: int,
    team_id: str,
    user_id: str,
    day: date,
    now: datetime,
) -> str | None:
    """Why a claimed reminder should not go out (marked away, holiday, status), or None."""
    reason = marked_away(services, [(member_id, day)]).get(member_id)
    cfg = reads.config(team_id)
    if reason is None and cfg is not None:
        reason = holiday_reason(cfg, day)
    if reason is None:
        reason = reads.reason(team_id, user_id, now)
        if reason is not None:
            with services.Session.begin() as s:
                away_repo.record_status(s, member_id, day, reason, now=now)
    return reason
