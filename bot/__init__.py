"""rolesplit: a Slack app for the hunting/farming time study and the account hand-off."""

from __future__ import annotations

import logging
from concurrent.futures import ThreadPoolExecutor
from typing import Any

from slack_bolt import App, BoltResponse
from slack_sdk import WebClient

from bot import commands, features
from bot.config import Settings
from bot.services import Services, retry_handlers

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
    client = WebClient(
        token=settings.slack_bot_token,
        base_url=settings.slack_api_url,
        timeout=15,
        retry_handlers=retry_handlers(),
    )
    kwargs: dict[str, Any] = {
        "signing_secret": settings.slack_signing_secret or "",
        "client": client,
        "logger": logging.getLogger("slack_bolt"),
        "ignoring_self_events_enabled": True,
        "url_verification_enabled": True,
        # post-ack work (Web API calls, reports) runs here; Bolt's default of 5 is too few
        "listener_executor": ThreadPoolExecutor(max_workers=16, thread_name_prefix="listener"),
    }
    if settings.oauth:
        from bot.oauth import oauth_kwargs

        kwargs.update(oauth_kwargs(settings, services))
    else:
        # the client carries the token (Bolt takes it from there; passing both only warns)
        kwargs["token_verification_enabled"] = token_verification
    kwargs.update(app_kwargs)
    app = App(**kwargs)
    app._rolesplit_services = services  # type: ignore[attr-defined]

    router = commands.Router()
    for module in features.load():
        module.register(app, services, router)
    commands.register(app, services, router)
    app._rolesplit_router = router  # type: ignore[attr-defined]

    @app.error
    def on_error(error: Exception, body: dict[str, Any]) -> BoltResponse | None:
        log.exception(
            "listener failed",
            exc_info=error,
            extra={"team_id": (body or {}).get("team_id") or "", "outcome": "error"},
        )
        return None

    return app


def services_of(app: App) -> Services:
    """The Services an app was built with."""
    return app._rolesplit_services  # type: ignore[attr-defined, no-any-return]
