"""Feature: the roster — add, remove, list — and keeping members' time zones current."""

from __future__ import annotations

import logging
import re
from collections.abc import Sequence
from typing import Any

from slack_bolt import App, BoltContext
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

from bot.config import format_work_days, parse_work_days
from bot.services import Services
from bot.slack.app import Wiring
from bot.slack.blocks import fmt_time
from bot.slack.context import request_of
from bot.slack.router import COMMAND, Command
from bot.workspace import welcome
from bot.workspace.welcome_views import days_text
from storage import repo
from storage.models import ROLES, Member

log = logging.getLogger(__name__)

ADD_USAGE = "add @user [@user …] as hunter|farmer|hybrid|manager"
REMOVE_USAGE = "remove @user [@user …]"
ROSTER_USAGE = "roster — who is on it, their zones and prompt times"
ROLE_TITLES = {
    "manager": "Managers",
    "hunter": "Hunters (new business)",
    "farmer": "Farmers (account managers)",
    "hybrid": "Full-desk (hunt and farm)",
}

ADD_RE = re.compile(r"\bas\s+([a-z]+)\s*$", re.IGNORECASE)


def parse_add(args: str, mentions: list[str]) -> tuple[list[str], str] | str:
    """(user ids, role) from `@a @b as role`, or the reason it cannot be read."""
    match = ADD_RE.search(args)
    if not mentions:
        return "Mention at least one person, e.g. `/rolesplit add @dana @sam as hunter`."
    if not match:
        return "Say which role, e.g. `/rolesplit add @dana as farmer`."
    role = match.group(1).lower()
    if role not in ROLES:
        return f"`{role}` is not a role. Use hunter, farmer, hybrid or manager."
    return mentions, role


def refresh_user(
    services: Services, client: WebClient, team_id: str, user_id: str
) -> dict[str, Any] | None:
    """users.info for a person being added (fresh, not cached: their zone may just have moved)."""
    services.user_cache.drop((team_id, user_id))
    return services.user_info(client, team_id, user_id)


def handle_add(cmd: Command) -> None:
    """`/rolesplit add @a @b as role`."""
    parsed = parse_add(cmd.args, cmd.mentions)
    if isinstance(parsed, str):
        cmd.ack(response_type="ephemeral", text=f"{parsed}\nUsage: `/rolesplit {ADD_USAGE}`")
        return
    user_ids, role = parsed
    cmd.ack()
    services, now = cmd.services, cmd.services.now()
    infos: dict[str, dict[str, Any]] = {}
    problems: list[str] = []
    for uid in user_ids:
        try:
            info = refresh_user(services, cmd.client, cmd.team_id, uid)
        except SlackApiError as err:
            problems.append(f"<@{uid}>: Slack said `{err.response.get('error')}`")
            continue
        if info is None or info.get("deleted"):
            problems.append(f"<@{uid}> is not an active member of this workspace")
        elif info.get("is_bot") or uid == "USLACKBOT":
            problems.append(f"<@{uid}> is a bot")
        else:
            infos[uid] = info
    added: list[str] = []
    changed: list[str] = []
    owed: list[int] = []
    with services.Session.begin() as session:
        ws = repo.ensure_workspace(session, cmd.team_id)
        before = {
            uid: (m.active, m.is_rep)
            for uid, m in repo.members_by_user_ids(session, ws.id, list(infos)).items()
        }
        for uid, info in infos.items():
            member, new = repo.upsert_member(
                session,
                ws.id,
                uid,
                role,
                tz=info.get("tz") or "UTC",
                display_name=info.get("real_name") or info.get("name"),
                now=now,
            )
            (added if new else changed).append(uid)
            welcome.note_added(session, member, before.get(uid))
            session.flush()
            if member.welcome_due:
                owed.append(member.id)
    lines = []
    if added:
        lines.append(f"Added {_people(added)} as *{role}*.")
    if changed:
        lines.append(f"{_people(changed)} now {'is' if len(changed) == 1 else 'are'} *{role}*.")
    if problems:
        lines.append("Not added: " + "; ".join(problems) + ".")
    if role != "manager" and (added or changed):
        lines.append(
            "They'll get the evening prompt at their local time on work days"
            + (" — and a short welcome now." if owed else ".")
        )
    cmd.respond(response_type="ephemeral", text="\n".join(lines), replace_original=False)
    cmd.request.hooks.fire_members_added(services, cmd.team_id, added + changed, role)
    if owed:
        welcome.send_welcomes(services, now, owed, {m: cmd.user_id for m in owed})


def handle_remove(cmd: Command) -> None:
    """`/rolesplit remove @a` — takes people off the roster; their history stays."""
    if not cmd.mentions:
        cmd.ack(
            response_type="ephemeral", text="Mention who to remove, e.g. `/rolesplit remove @sam`."
        )
        return
    with cmd.services.Session.begin() as session:
        ws = repo.ensure_workspace(session, cmd.team_id)
        found = repo.members_by_user_ids(session, ws.id, cmd.mentions)
        removed = [uid for uid, m in found.items() if m.active]
        for uid in removed:
            repo.deactivate_member(session, found[uid], f"removed by {cmd.user_id}")
    missing = [u for u in cmd.mentions if u not in removed]
    lines = [f"Removed {_people(removed)}; their logged hours stay in reports."] if removed else []
    if missing:
        lines.append(
            f"{_people(missing)} {'was' if len(missing) == 1 else 'were'} not on the roster."
        )
    cmd.ack(response_type="ephemeral", text="\n".join(lines))


def roster_text(
    members: Sequence[Member | repo.RosterLine], default_prompt: str, default_days: str
) -> str:
    """The roster grouped by role, with each member's time zone and prompt time."""
    if not members:
        return (
            "The roster is empty. Add people with "
            "`/rolesplit add @dana @sam as hunter` (or farmer, hybrid, manager)."
        )
    lines = [f"*Roster* — {len(members)} {'person' if len(members) == 1 else 'people'}"]
    for role, title in ROLE_TITLES.items():
        group = [m for m in members if m.role == role]
        if not group:
            continue
        lines.append(f"\n*{title}* ({len(group)})")
        for m in group:
            bits = [m.tz]
            if role != "manager":
                own = " (own)" if m.prompt_time and m.prompt_time != default_prompt else ""
                bits.append(f"prompt {m.prompt_time or default_prompt}{own}")
                if m.work_days and m.work_days != default_days:
                    bits.append(f"{days_text(parse_work_days(m.work_days))} (own)")
                if m.paused_until:
                    bits.append(f"paused until {m.paused_until.isoformat()}")
            lines.append(f"• <@{m.user_id}> — " + " · ".join(bits))
    return "\n".join(lines)


def handle_roster(cmd: Command) -> None:
    """`/rolesplit roster` (read only: one transaction with the manager check)."""
    cfg = cmd.request.settings
    ws = cmd.request.workspace
    with cmd.reading() as session:
        members = repo.roster_lines(session, ws.id) if ws is not None else []
    text = roster_text(members, fmt_time(cfg.prompt_time), format_work_days(cfg.work_days))
    cmd.ack(response_type="ephemeral", text=text)


def _people(user_ids: list[str]) -> str:
    mentions = [f"<@{u}>" for u in user_ids]
    return mentions[0] if len(mentions) == 1 else ", ".join(mentions[:-1]) + " and " + mentions[-1]


def on_user_change(event: dict[str, Any], context: BoltContext) -> None:
    """A person's Slack profile changed: forget the cached profile, follow a new time zone."""
    services = request_of(context).services
    user = event.get("user") or {}
    team_id = context.get("team_id") or user.get("team_id") or ""
    services.user_cache.drop((team_id, user.get("id")))
    tz = user.get("tz")
    if not tz or not user.get("id"):
        return
    with services.Session.begin() as session:
        ws = repo.get_workspace(session, team_id)
        member = repo.get_member(session, ws.id, user["id"]) if ws else None
        if member is not None and member.tz != tz:
            log.info("time zone of %s changed from %s to %s", member.user_id, member.tz, tz)
            member.tz = tz
            member.tz_checked_at = services.now()


def register(app: App, wiring: Wiring) -> None:
    """Roster subcommands and the time-zone refresh on `user_change`."""
    router = wiring.router
    router.add("add", handle_add, ADD_USAGE, manager_only=True, order=10)
    router.add("remove", handle_remove, REMOVE_USAGE, manager_only=True, order=11)
    router.add("roster", handle_roster, ROSTER_USAGE, manager_only=True, order=12, read_only=True)
    # answered entirely in the ack: no need to wait for Bolt's poll
    wiring.acks_inline(commands=[f"{COMMAND} roster", f"{COMMAND} remove"])
    app.event("user_change")(on_user_change)
