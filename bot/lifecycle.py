"""Feature: uninstall and reinstall — every prompt, rollup and nudge stops at once; data stays."""

from __future__ import annotations

import logging
from typing import Any

from slack_bolt import App

from bot.commands import Router
from bot.services import Services
from storage import repo

log = logging.getLogger(__name__)


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


def register(app: App, services: Services, router: Router) -> None:
    """app_uninstalled and tokens_revoked (of the bot token) stop the workspace's work."""

    @app.event("app_uninstalled")
    def on_uninstalled(context: dict[str, Any]) -> None:
        set_installed(services, context.get("team_id") or "", False)

    @app.event("tokens_revoked")
    def on_revoked(event: dict[str, Any], context: dict[str, Any]) -> None:
        if (event.get("tokens") or {}).get("bot"):
            set_installed(services, context.get("team_id") or "", False)
