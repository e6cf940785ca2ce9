"""Feature: install, uninstall and reinstall — every prompt, rollup and nudge stops at once when
the app is removed; the data stays until erased; installing again resumes."""

from __future__ import annotations

import logging
from typing import Any

from slack_bolt import App, BoltContext
from slack_bolt.listener.builtins import TokenRevocationListeners
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

from bot.services import Services
from bot.slack.app import Wiring
from bot.slack.context import request_of
from storage import repo

log = logging.getLogger(__name__)

WELCOME = (
    "👋 rolesplit is installed in *{team}*, and you're its first manager.\n"
    "• Add your reps: `/rolesplit add @dana @sam as hunter` (or farmer, hybrid)\n"
    "• Choose the prompt time, rollup channel and hand-off mode: `/rolesplit settings`\n"
    "• Every working evening each rep gets a short DM asking how the day split; "
    "`/rolesplit report` shows the numbers. `/rolesplit help` lists everything."
)
WELCOME_BACK = (
    "rolesplit is back in *{team}*: evening prompts, rollups and hand-off nudges resume, "
    "and everything logged before is still here."
)


def set_installed(services: Services, team_id: str, installed: bool) -> None:
    """Mark a workspace (un)installed; scheduled work only runs for installed ones."""
    with services.Session.begin() as s:
        ws = repo.ensure_workspace(s, team_id)
        ws.installed = installed
        ws.uninstalled_at = None if installed else services.now()
    log.info(
        "workspace %s",
        "installed" if installed else "uninstalled",
        extra={"team_id": team_id, "outcome": "installed" if installed else "uninstalled"},
    )


def record_install(
    services: Services,
    team_id: str,
    team_name: str | None,
    installer: str,
    client: WebClient,
) -> bool:
    """An OAuth install (or reinstall) completed: the workspace is installed again, and the
    installing user is a manager unless already on the roster; True for a first install."""
    try:
        services.user_cache.drop((team_id, installer))
        info = services.user_info(client, team_id, installer) or {}
    except SlackApiError as err:
        log.warning(
            "users.info for the installer failed: %s",
            err.response.get("error"),
            extra={"team_id": team_id},
        )
        info = {}
    with services.Session.begin() as s:
        first = repo.get_workspace(s, team_id) is None
        ws = repo.ensure_workspace(s, team_id, team_name)
        was_installed = ws.installed and not first
        ws.installed, ws.uninstalled_at = True, None
        if team_name:
            ws.name = team_name[:200]
        member = repo.get_member(s, ws.id, installer)
        if member is None or not member.active:
            # a reinstall keeps the roles managers chose; a newcomer installer manages
            repo.upsert_member(
                s,
                ws.id,
                installer,
                "manager",
                tz=info.get("tz"),
                display_name=info.get("real_name") or info.get("name"),
                now=services.now(),
            )
    log.info(
        "workspace installed by OAuth",
        extra={"team_id": team_id, "outcome": "installed" if first else "reinstalled"},
    )
    if first or not was_installed:
        text = (WELCOME if first else WELCOME_BACK).format(team=team_name or "your workspace")
        try:
            client.chat_postMessage(channel=installer, text=text)
        except SlackApiError as err:
            log.warning(
                "could not welcome the installer: %s",
                err.response.get("error"),
                extra={"team_id": team_id},
            )
    return first


# Bolt runs only the first listener that matches an event, so these do both jobs: they stop the
# workspace's work and, in OAuth mode, delete the stored installation (Bolt's built-in handling),
# so no request or scheduled job can use its tokens until the workspace installs the app again.


def on_uninstalled(context: BoltContext) -> None:
    """app_uninstalled: the workspace's prompts, rollups and nudges stop."""
    services = request_of(context).services
    if not context.team_id:
        return
    set_installed(services, context.team_id, False)
    if services.installation_store is not None:
        TokenRevocationListeners(services.installation_store).handle_app_uninstalled_events(context)


def on_revoked(event: dict[str, Any], context: BoltContext) -> None:
    """tokens_revoked: when the bot token is among them, as if uninstalled."""
    services = request_of(context).services
    if not context.team_id:
        return
    if (event.get("tokens") or {}).get("bot"):
        set_installed(services, context.team_id, False)
    if services.installation_store is not None:
        TokenRevocationListeners(services.installation_store).handle_tokens_revoked_events(
            event, context
        )


def register(app: App, wiring: Wiring) -> None:
    """app_uninstalled and tokens_revoked."""
    app.event("app_uninstalled")(on_uninstalled)
    app.event("tokens_revoked")(on_revoked)
