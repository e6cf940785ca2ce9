"""rolesplit: a Slack app for the hunting/farming time study and the account hand-off.

`create_app` is the only place an App is built: it wires the plumbing (bot/slack/) and then
registers every feature package explicitly, in one readable list.

A feature package's public surface — what the app and other features may use — is what its
`__init__` names in `__all__`; the modules inside are the feature's own.
"""

from __future__ import annotations

import logging
from typing import Any

from slack_bolt import App, BoltContext, BoltResponse

from bot import handoff, home, reports, study, timelog, workspace
from bot.config import Settings
from bot.services import Services
from bot.slack.app import RolesplitApp, Wiring
from bot.slack.pool import ListenerPool
from bot.slack.router import COMMAND

log = logging.getLogger("bot")


def create_app(
    settings: Settings,
    services: Services | None = None,
    *,
    token_verification: bool = True,
    **app_kwargs: Any,
) -> App:
    """Build the Bolt App with every feature registered (the only place an App is built)."""
    services = services or Services.from_settings(settings)
    pool = ListenerPool(listeners=16, after_ack=1)
    kwargs: dict[str, Any] = {
        "signing_secret": settings.slack_signing_secret or "",
        # the client carries the token (Bolt takes it from there; passing both only warns)
        "client": services.slack.client(settings.slack_bot_token),
        "logger": logging.getLogger("slack_bolt"),
        "ignoring_self_events_enabled": True,
        "url_verification_enabled": True,
        # listeners run here (Bolt's default of 5 is too few); the work they hand on after
        # their ack runs on a narrower second lane, so a burst never queues the next acks
        "listener_executor": pool,
    }
    if settings.oauth:
        kwargs.update(workspace.oauth_kwargs(services))
    else:
        kwargs["token_verification_enabled"] = token_verification
    kwargs.update(app_kwargs)
    wiring = Wiring(services, pool=pool if kwargs["listener_executor"] is pool else None)
    app = RolesplitApp(wiring, **kwargs)
    # Bolt tries listeners in registration order, building each matcher's arguments: the one
    # slash command listener first spares every command ~20 matcher calls (it looks its
    # subcommands up at call time, so the features can register them after)
    app.command(COMMAND)(wiring.router.on_command)
    workspace.register(app, wiring)
    timelog.register(app, wiring)
    reports.register(app, wiring)
    home.register(app, wiring)
    handoff.register(app, wiring)
    study.register(app, wiring)
    wiring.hooks.day_logged.append(home.refresh_after_log)
    wiring.hooks.members_added.append(handoff.farmers_joined)
    wiring.hooks.member_changed.append(home.refresh_after_log)
    app.error(on_error)
    return app


def on_error(error: Exception, body: dict[str, Any], context: BoltContext) -> BoltResponse | None:
    """The one listener error handler: a log line naming the workspace."""
    # clicks and form submissions carry the team at body.team.id: the context has it always
    team_id = context.team_id or (body or {}).get("team_id") or ""
    log.exception("listener failed", exc_info=error, extra={"team_id": team_id, "outcome": "error"})
    return None
