"""Feature: first contact — the welcome DM to each rep a manager adds, and the managers'
first-start message in single-workspace mode.

`/rolesplit add` marks a rep as owed a welcome (`first`, or `again` after a removal) in the
same transaction that adds them; the welcome is then claimed, sent and settled right after the
answer, and any one still owed (Slack was down) goes out on the next scheduler pass — before
that evening's prompts, which run after this job. A double add or a retried command owes
nothing new, so nobody gets two.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping
from datetime import datetime, timedelta
from typing import Any

from slack_bolt import App
from slack_sdk.errors import SlackApiError

from bot.config import parse_work_days
from bot.services import NoTokenError, Services
from bot.slack.blocks import fmt_time
from bot.slack.router import Router
from bot.timelog.names import CategoryRef
from bot.timelog.prompts import post_dm
from bot.timelog.views import example_line
from bot.workspace import welcome_views as views
from storage import repo, reps_repo
from storage.models import Member, Workspace

log = logging.getLogger(__name__)

STALE_CLAIM = timedelta(minutes=5)
MAX_GREETED = 5  # admins and owners told on a first start when no manager is configured
USERS_LIST_PAGES = 10


# ---------------------------------------------------------------- the welcome DM


def note_added(session: Any, member: Member, before: tuple[bool, bool] | None) -> None:
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
    services: Services, member_id: int, added_by: str | None, again: bool
) -> tuple[str, list[dict[str, Any]]] | None:
    with services.read() as s:
        member = s.get(Member, member_id)
        ws = s.get(Workspace, member.workspace_id) if member else None
        if member is None or ws is None:
            return None
        cfg = services.config(ws)
        cats = [
            CategoryRef(c.key, c.label, tuple(c.aliases or ()))
            for c in repo.category_lines(s, ws.id)
        ]
        days = parse_work_days(member.work_days) if member.work_days else cfg.work_days
        prompt_time = member.prompt_time or fmt_time(cfg.prompt_time)
        example = example_line(cats) or "prospecting 2, accounts 4"
        return views.welcome(
            member.user_id,
            member.role,
            prompt_time,
            days,
            member.tz,
            added_by,
            again=again,
            example=example,
        )


def send_welcomes(
    services: Services,
    now: datetime,
    member_ids: list[int] | None = None,
    added_by: Mapping[int, str] | None = None,
) -> int:
    """Claim and send the welcomes owed (all, or these members'); how many went out."""
    with services.Session.begin() as s:
        reps_repo.expire_welcome_claims(s, now - STALE_CLAIM)
        due = reps_repo.due_welcomes(s, member_ids)
    sent = 0
    for item in due:
        with services.Session.begin() as s:
            kind = reps_repo.claim_welcome(s, item.member_id, now)
        if kind is None:
            continue  # another request or process has it
        message = _message(
            services, item.member_id, (added_by or {}).get(item.member_id), kind == "again"
        )
        if message is None:
            continue
        text, blocks = message
        out = post_dm(services, item.team_id, item.user_id, text=text, blocks=blocks)
        with services.Session.begin() as s:
            if out.status == "sent":
                reps_repo.finish_welcome(s, item.member_id, services.now())
                sent += 1
            elif out.status == "retry":
                reps_repo.release_welcome(s, item.member_id)
            else:
                reps_repo.finish_welcome(s, item.member_id, None)  # Slack refused: not again
        level = logging.INFO if out.status == "sent" else logging.WARNING
        log.log(
            level,
            "welcome %s%s",
            out.status,
            f": {out.error}" if out.error else "",
            extra={
                "job": "welcomes",
                "team_id": item.team_id,
                "user": item.user_id,
                "outcome": out.status,
            },
        )
    return sent


# ---------------------------------------------------------------- the first start


def _admins(services: Services, team_id: str) -> list[str]:
    """Owners first, then admins (users.list, a few pages at most)."""
    client = services.client_for(team_id)
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
    ws_id = services.workspace_id(team_id)
    with services.Session.begin() as s:
        if not reps_repo.claim_greeting(s, ws_id, services.now()):
            return 0
        empty = reps_repo.roster_size(s, ws_id) == 0
        ws = s.get(Workspace, ws_id)
        assert ws is not None
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
        out = post_dm(services, team_id, user_id, text=text, blocks=blocks)
        told += out.status == "sent"
        if out.status != "sent":
            log.warning("first-start message to %s: %s", user_id, out.error)
    if not told and people:
        with services.Session.begin() as s:
            reps_repo.release_greeting(s, ws_id)  # nobody heard it: the next start tries again
    log.info("first start: %d manager(s) told", told, extra={"team_id": team_id})
    return told


JOBS = (("welcomes", send_welcomes),)


def register(app: App, services: Services, router: Router) -> None:
    """Nothing to listen to: `/rolesplit add` owes the welcomes; this module sends them."""
