"""Away before a prompt or reminder: marked away, a public holiday, or a Slack status.

Paused reps never become due (timecalc.due_prompt). A rep a manager marked away, or on a
public holiday of the workspace's country (`ROLESPLIT_HOLIDAYS`), is dropped from the pass
from the database alone. The Slack status is read with `users.info` just before the DM goes
out (the send is held when it says away) — at a workspace-wide pace within its rate tier
(Tier 4, about 100 a minute) shared through the database like the DMs' own pace, and at most
once per person per pass. A day held for a status is recorded as an away day, so reports leave
it out of the missed days.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Sequence
from datetime import date, datetime
from typing import Any

from slack_sdk.errors import SlackApiError
from sqlalchemy.orm import Session

from bot.calendar import calendar_for, is_holiday, status_away
from bot.config import WorkspaceConfig
from bot.services import Services
from bot.slack.client import NoTokenError
from storage import away_repo
from storage.pace_repo import reserve_slot

log = logging.getLogger(__name__)

DEFAULT_STATUS_PER_MINUTE = 100  # users.info is Tier 4: "100+ per minute"


def holiday_reason(cfg: WorkspaceConfig, day: date) -> str | None:
    """`public holiday: Christmas Day` when the day is one in the workspace's country."""
    name = is_holiday(calendar_for(cfg.holidays), day)
    return f"public holiday: {name}" if name else None


def marked_away(session: Session, pairs: Sequence[tuple[int, date]]) -> dict[int, str]:
    """Member id → reason, for members a manager marked away on the given local date."""
    if not pairs:
        return {}
    found = away_repo.away_on(session, {day for _, day in pairs})
    return {m: found[(m, d)] for m, d in pairs if (m, d) in found}


def away_from_db(session: Session, cfg: WorkspaceConfig, member_id: int, day: date) -> str | None:
    """Why a rep is away on a day as the database and the calendar know it, or None."""
    return marked_away(session, [(member_id, day)]).get(member_id) or holiday_reason(cfg, day)


def status_per_minute(cfg: WorkspaceConfig) -> int:
    """The workspace's pace of status reads (setting `status_per_minute`, default 100)."""
    return cfg.per_minute("status_per_minute", DEFAULT_STATUS_PER_MINUTE)


class StatusReads:
    """One pass's Slack status reads: each person read at most once, paced per workspace."""

    def __init__(self, services: Services) -> None:
        self.services = services
        self._seen: dict[tuple[str, str], str | None] = {}
        self._lock = threading.Lock()

    def reason(self, team_id: str, user_id: str, now: datetime, rate: int) -> str | None:
        """Why the person's Slack status says away right now, or None (also when unreadable).

        `rate` is the workspace's pace of status reads a minute (`status_per_minute`).
        """
        key = (team_id, user_id)
        with self._lock:
            if key in self._seen:
                return self._seen[key]
        found = self._read(team_id, user_id, now, rate)
        with self._lock:
            self._seen[key] = found
        return found

    def _read(self, team_id: str, user_id: str, now: datetime, rate: int) -> str | None:
        with self.services.Session.begin() as s:
            slot = reserve_slot(
                s, f"users.info:{team_id}", int(time.time() * 1e6), 60_000_000 // rate
            )
        delay = slot / 1e6 - time.time()
        if delay > 0:
            time.sleep(delay)
        try:
            resp = self.services.slack.for_team(team_id).users_info(user=user_id)
        except (SlackApiError, NoTokenError, OSError) as err:  # unknown status: ask as usual
            log.info("status of %s not read: %s", user_id, err, extra={"team_id": team_id})
            return None
        user: dict[str, Any] = dict(resp.get("user") or {})
        if user:
            self.services.user_cache.put((team_id, user_id), user)
        return status_away(user.get("profile") or {}, now)
