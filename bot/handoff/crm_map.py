"""`/rolesplit crm map …` and `rolesplit crm import FILE.csv`: the owner map."""

from __future__ import annotations

import sys
from pathlib import Path

from slack_sdk.errors import SlackApiError
from sqlalchemy import select

from bot.config import ConfigError
from bot.handoff import texts
from bot.handoff.owners import (
    MAP_USAGE,
    import_owners,
    owner_mapped,
    parse_map_args,
    parse_owner_csv,
)
from bot.handoff.texts import shown
from bot.services import Services
from bot.slack.client import NoTokenError
from bot.slack.router import Command
from storage import crm_repo as cr
from storage import repo
from storage.models import Workspace

MAX_LISTED = 60


def handle_crm(cmd: Command) -> None:
    """`/rolesplit crm map` (the list) and `/rolesplit crm map CRM OWNER_ID @user`."""
    words = cmd.args.split()
    if not words or words[0].lower() != "map":
        cmd.ack(response_type="ephemeral", text=f"Usage: `/rolesplit {MAP_USAGE}`")
        return
    if len(words) == 1:
        cmd.ack(
            response_type="ephemeral", text=map_listing(cmd.services, cmd.request.workspace_id())
        )
        return
    parsed = parse_map_args(cmd.args, cmd.mentions)
    if isinstance(parsed, str):
        cmd.ack(response_type="ephemeral", text=parsed)
        return
    crm, owner, user = parsed
    ws_id = cmd.request.workspace_id()
    with cmd.services.Session.begin() as s:
        before = cr.map_owner(s, ws_id, crm, owner, user, cmd.user_id, cmd.services.now())
    was = f" (was <@{before}>)" if before and before != user else ""
    cmd.ack(
        response_type="ephemeral",
        text=f"Mapped {texts.crm_name(crm)} owner `{shown(owner)}` to <@{user}>{was}.",
    )
    results = owner_mapped(cmd.services, cmd.team_id, crm, owner, user, cmd.user_id)
    if results:
        cmd.respond(
            response_type="ephemeral",
            replace_original=False,
            text=" ".join(r.text for r in results),
        )


def map_listing(services: Services, workspace_id: int) -> str:
    """The owner map, by CRM."""
    with services.read() as s:
        rows = [(m.crm, m.owner_key, m.slack_user) for m in cr.owner_map(s, workspace_id)]
    if not rows:
        return (
            "No CRM owners are mapped yet. Map one with `/rolesplit crm map hubspot 12345 @dana`, "
            "or load a file with `rolesplit crm import owners.csv`."
        )
    lines = [f"*CRM owners* — {len(rows)} mapped"]
    lines += [
        f"• {texts.crm_name(crm)} `{shown(owner)}` → <@{user}>"
        for crm, owner, user in rows[:MAX_LISTED]
    ]
    if len(rows) > MAX_LISTED:
        lines.append(f"…and {len(rows) - MAX_LISTED} more.")
    return "\n".join(lines)


def import_file(services: Services, team_id: str, path: Path) -> tuple[int, list[str]]:
    """`rolesplit crm import FILE.csv`: (rows stored, problems); nothing is stored on a problem."""
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise ConfigError(f"{path}: cannot read it as a UTF-8 CSV file ({exc})") from None
    rows, errors = parse_owner_csv(text)
    if errors:
        return 0, errors
    if not rows:
        return 0, ["the file has a header but no rows"]

    def lookup(email: str) -> str | None:
        try:
            resp = services.slack.for_team(team_id).users_lookupByEmail(email=email)
        except SlackApiError as err:
            if err.response.get("error") == "users_not_found":
                return None
            error = err.response.get("error")
            raise ConfigError(f"Slack refused users.lookupByEmail: {error}") from None
        except NoTokenError:
            raise ConfigError("no bot token for the workspace: install the app first") from None
        return str(resp["user"]["id"])

    errors = import_owners(services, team_id, rows, lookup)
    return (0 if errors else len(rows)), errors


def cli_team(services: Services, team: str | None) -> str:
    """--team, the only installed workspace, or (single-workspace mode) the token's own."""
    with services.read() as s:
        teams = list(s.scalars(select(Workspace.team_id).where(Workspace.installed.is_(True))))
    if team:
        if team not in teams:
            raise ConfigError(f"--team: {team} is not installed (installed: {', '.join(teams)})")
        return team
    if len(teams) == 1:
        return teams[0]
    if not teams and services.settings.slack_bot_token and not services.settings.oauth:
        auth = services.slack.client(services.settings.slack_bot_token).auth_test()
        with services.Session.begin() as s:
            repo.ensure_workspace(s, str(auth["team_id"]), auth.get("team"))
        return str(auth["team_id"])
    known = ", ".join(teams) or "none yet"
    raise ConfigError(f"--team: name one of the installed workspaces ({known})")


def import_owner_csv(services: Services, file: str, team: str | None) -> int:
    """The console command: print what was loaded, or every problem (and load nothing)."""
    team_id = cli_team(services, team)
    stored, problems = import_file(services, team_id, Path(file))
    if problems:
        print(f"rolesplit: {file}: nothing imported —", file=sys.stderr)
        for line in problems:
            print(f"  {line}", file=sys.stderr)
        return 1
    print(f"Imported {stored} CRM owner mapping{'s' if stored != 1 else ''} into {team_id}.")
    return 0
