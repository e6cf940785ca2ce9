"""rolesplit: a Slack app for the hunting/farming time study and the account hand-off."""

from __future__ import annotations

import logging
from typing import Any

from slack_bolt import App, BoltContext, BoltRequest, BoltResponse
from slack_sdk import WebClient

from bot import features
from bot.config import Settings
from bot.services import Services, retry_handlers
from bot.slack import router as commands
from bot.slack.pool import ListenerPool

log = logging.getLogger("bot")


class RolesplitApp(App):
    """Bolt's App that tells its listener pool while a request is being answered."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.pool: ListenerPool | None = None
        # (request type, callback or action id) of listeners run in the request's thread
        self.inline_acks: set[tuple[str, str]] = set()

    def dispatch(self, req: BoltRequest) -> BoltResponse:
        """Bolt's dispatch, counted so post-ack work yields to the acks in flight."""
        if self.pool is None:
            return super().dispatch(req)
        with self.pool.answering(), self.pool.inline(_ack_key(req.body) in self.inline_acks):
            return super().dispatch(req)


def _ack_key(body: dict[str, Any]) -> tuple[str, str]:
    kind = str(body.get("type") or "")
    if kind == "view_submission":
        return kind, str((body.get("view") or {}).get("callback_id") or "")
    if kind == "block_actions":
        return kind, str(((body.get("actions") or [{}])[0]).get("action_id") or "")
    if body.get("command"):
        sub = str(body.get("text") or "").strip().partition(" ")[0].lower()
        return "command", f"{body['command']} {sub}"
    return "", ""


def create_app(
    settings: Settings,
    services: Services | None = None,
    *,
    token_verification: bool = True,
    **app_kwargs: Any,
) -> App:
    """Build the Bolt App with every feature registered (the only place an App is built)."""
    services = services or Services.from_settings(settings)
    client = WebClient(
        token=settings.slack_bot_token,
        base_url=settings.slack_api_url,
        timeout=15,
        retry_handlers=retry_handlers(),
    )
    pool = ListenerPool(listeners=16, after_ack=1)
    kwargs: dict[str, Any] = {
        "signing_secret": settings.slack_signing_secret or "",
        "client": client,
        "logger": logging.getLogger("slack_bolt"),
        "ignoring_self_events_enabled": True,
        "url_verification_enabled": True,
        # listeners run here (Bolt's default of 5 is too few); the work they hand on after
        # their ack runs on a narrower second lane, so a burst never queues the next acks
        "listener_executor": pool,
    }
    if settings.oauth:
        from bot.workspace.oauth import oauth_kwargs

        kwargs.update(oauth_kwargs(settings, services))
    else:
        # the client carries the token (Bolt takes it from there; passing both only warns)
        kwargs["token_verification_enabled"] = token_verification
    kwargs.update(app_kwargs)
    app = RolesplitApp(**kwargs)
    if kwargs["listener_executor"] is pool:
        app.pool = pool
    app._rolesplit_services = services  # type: ignore[attr-defined]

    router = commands.Router()
    # Bolt tries listeners in registration order, building each matcher's arguments: the one
    # slash command listener first spares every command ~20 matcher calls (it looks its
    # subcommands up at call time, so the features can register them after)
    commands.register(app, services, router)
    for module in features.load():
        module.register(app, services, router)
    app._rolesplit_router = router  # type: ignore[attr-defined]

    @app.error
    def on_error(
        error: Exception, body: dict[str, Any], context: BoltContext
    ) -> BoltResponse | None:
        # clicks and form submissions carry the team at body.team.id: the context has it always
        team_id = context.team_id or (body or {}).get("team_id") or ""
        log.exception(
            "listener failed", exc_info=error, extra={"team_id": team_id, "outcome": "error"}
        )
        return None

    return app


def services_of(app: App) -> Services:
    """The Services an app was built with."""
    return app._rolesplit_services  # type: ignore[attr-defined, no-any-return]
