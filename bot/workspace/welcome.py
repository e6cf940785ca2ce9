"""First contact — the welcome DM to each rep a manager adds, and the managers' first-start
message in single-workspace mode.

`/rolesplit add` marks a rep as owed a welcome (`first`, or `again` after a removal) in the
same transaction that adds them; the welcome is then claimed, sent and settled right after the
answer (through `bot.slack.outbound`), and any one still owed (Slack was down) goes out on the
next scheduler pass — before that evening's prompts, which run after this job. A double add or
a retried command owes nothing new, so nobody gets two.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from slack_sdk.errors import SlackApiError
from sqlalchemy.orm import Session

from bot import timelog
from bot.config import parse_work_days
from bot.services import Services
from bot.slack.blocks import fmt_time
from bot.slack.client import NoTokenError
from bot.slack.outbound import Claimed, Outcome, Pass, deliver, per_minute, post
from bot.workspace import welcome_views as views
from storage import repo, reps_repo
from storage.models import Member, Workspace

log = logging.getLogger(__name__)

STALE_CLAIM = timedelta(minutes=5)
MAX_GREETED = 5  # admins and owners told on a first start when no manager is configured
USERS_LIST_PAGES = 10


# ---------------------------------------------------------------- the welcome DM


def note_added(session: Session, member: Member, before: tuple[bool, bool] | None) -> None:
    """After `/rolesplit add`: owe the member a welcome when they are new to the reps.

    `before` is (was active, was a rep) from before the add, or None for someone new.
    """
    if not member.is_rep:
        return
    if before is None:
        kind: str | None = "first"
    elif not before[0]:
        kind = "again"  # removed earlier, back now
    elif not before[1]:
        kind = "again" if member.welcomed_at else "first"  # a manager who now logs too
    else:
        kind = None  # already a rep on the roster: a new role is not a new welcome
    if kind:
        reps_repo.owe_welcome(session, member, kind)


def _message(
    services: Services, s: Session, member: Member, added_by: str | None, again: bool
) -> tuple[Workspace, dict[str, Any]] | None:
    """The welcome DM for a member (their own schedule, the workspace's categories)."""
    ws = s.get(Workspace, member.workspace_id)
    if ws is None:
        return None
    cfg = services.config(ws)
    cats = [
        timelog.CategoryRef(c.key, c.label, tuple(c.aliases or ()))
        for c in repo.category_lines(s, ws.id)
    ]
    days = parse_work_days(member.work_days) if member.work_days else cfg.work_days
    text, blocks = views.welcome(
        member.user_id,
        member.role,
        member.prompt_time or fmt_time(cfg.prompt_time),
        days,
        member.tz,
        added_by,
        again=again,
        example=timelog.example_line(cats) or "prospecting 2, accounts 4",
    )
    return ws, {"text": text, "blocks": blocks}


@dataclass(frozen=True)
class _Welcome:
    """One rep's welcome DM: claimed on the member row, settled once sent or refused."""

    member_id: int
    added_by: str | None

    def claim(self, run: Pass, s: Session) -> Claimed[int] | None:
        """Take the welcome (one atomic UPDATE) and say what to send."""
        kind = reps_repo.claim_welcome(s, self.member_id, run.lease())
        member = s.get(Member, self.member_id) if kind is not None else None
        found = (
            _message(run.services, s, member, self.added_by, kind == "again") if member else None
        )
        if member is None or found is None:
            return None  # another request or process has it, or the member is gone
        ws, message = found
        rate = per_minute(run.services.config(ws))
        return Claimed(ws.team_id, member.user_id, rate, message, self.member_id)

    def sending(self, run: Pass, s: Session, member_id: int) -> bool:
        """Always ours once claimed (an interrupted welcome is settled, never sent twice)."""
        return True

    def record(self, run: Pass, s: Session, member_id: int, out: Outcome) -> None:
        """Sent, given back (nothing was sent: a later pass tries again), or given up."""
        if out.status == "sent":
            reps_repo.finish_welcome(s, member_id, run.lease())
        elif out.status == "retry":
            reps_repo.release_welcome(s, member_id)
        else:
            reps_repo.finish_welcome(s, member_id, None)  # Slack refused: not again


def send_welcomes(
    services: Services,
    now: datetime,
    member_ids: list[int] | None = None,
    added_by: Mapping[int, str] | None = None,
) -> int:
    """The welcomes job: claim and send the welcomes owed (all, or these members'); how many."""
    with services.Session.begin() as s:
        reps_repo.expire_welcome_claims(s, now - STALE_CLAIM)
        due = reps_repo.due_welcomes(s, member_ids)
    run = Pass(services, now)
    by = added_by or {}
    return sum(
        deliver(run, _Welcome(item.member_id, by.get(item.member_id)), log, "welcomes", "welcome")
        for item in due
    )


# ---------------------------------------------------------------- the first start


def _admins(services: Services, team_id: str) -> list[str]:
    """Owners first, then admins (users.list, a few pages at most)."""
    client = services.slack.for_team(team_id)
    owners: list[str] = []
    admins: list[str] = []
    cursor: str | None = None
    for _ in range(USERS_LIST_PAGES):
        resp = (
            client.users_list(limit=200, cursor=cursor) if cursor else client.users_list(limit=200)
        )
        for user in resp.get("members") or []:
            if user.get("deleted") or user.get("is_bot") or user.get("id") == "USLACKBOT":
                continue
            if user.get("is_owner") or user.get("is_primary_owner"):
                owners.append(str(user["id"]))
            elif user.get("is_admin"):
                admins.append(str(user["id"]))
        cursor = (resp.get("response_metadata") or {}).get("next_cursor") or None
        if not cursor:
            break
    return (owners + admins)[:MAX_GREETED]


def greet_first_start(services: Services, team_id: str) -> int:
    """Single-workspace mode, first start with nobody on the roster: tell the managers how to
    begin (once per workspace, recorded). How many were told."""
    with services.Session.begin() as s:
        ws = repo.ensure_workspace(s, team_id)
        ws_id = ws.id
        if not reps_repo.claim_greeting(s, ws_id, services.now()):
            return 0
        empty = reps_repo.roster_size(s, ws_id) == 0
        cfg = services.config(ws)
    if not empty:
        return 0  # the team is set up already: nothing to say, and never later either
    try:
        people = list(services.settings.managers) or _admins(services, team_id)
    except (SlackApiError, NoTokenError, OSError) as err:
        log.warning("first-start message not sent: %s", err, extra={"team_id": team_id})
        with services.Session.begin() as s:
            reps_repo.release_greeting(s, ws_id)
        return 0
    text, blocks = views.first_start(fmt_time(cfg.prompt_time), cfg.work_days)
    told = 0
    for user_id in people:
        out = post(services, team_id, user_id, text=text, blocks=blocks)
        told += out.status == "sent"
        if out.status != "sent":
            log.warning("first-start message to %s: %s", user_id, out.error)
    if not told and people:
        with services.Session.begin() as s:
            reps_repo.release_greeting(s, ws_id)  # nobody heard it: the next start tries again
    log.info("first start: %d manager(s) told", told, extra={"team_id": team_id})
    return told
