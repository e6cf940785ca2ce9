"""OAuth mode (many workspaces): the install routes and what happens when an install completes.

Bolt runs the flow (`GET /slack/install`, `GET /slack/oauth_redirect`, served by
bot/slack/server.py); slack_sdk's SQLAlchemy stores keep installations and OAuth states in the
tables migration 0003 creates (bot/slack/installs.py). Every Web API call of the flow —
oauth.v2.access, auth.test, token refreshes — goes to SLACK_API_URL.
"""

from __future__ import annotations

import logging
from typing import Any

from slack_bolt import BoltResponse
from slack_bolt.authorization.authorize import InstallationStoreAuthorize
from slack_bolt.oauth.callback_options import CallbackOptions, FailureArgs, SuccessArgs
from slack_bolt.oauth.oauth_settings import OAuthSettings
from slack_sdk.oauth.state_store.sqlalchemy import SQLAlchemyOAuthStateStore
from sqlalchemy.exc import SQLAlchemyError

from bot.services import Services
from bot.slack.installs import ROTATE_MINUTES_BEFORE_EXPIRY
from bot.workspace.lifecycle import record_install

log = logging.getLogger(__name__)

# The bot scopes of manifest.yml (tests/test_oauth.py keeps the two equal); no user scopes.
BOT_SCOPES = (
    "channels:manage",
    "channels:read",
    "chat:write",
    "chat:write.public",
    "commands",
    "files:write",
    "groups:write",
    "im:history",
    "im:write",
    "users:read",
    "users:read.email",
)
STATE_EXPIRATION_SECONDS = 600


def authorization_url(api_url: str) -> str:
    """Slack's authorize page on the same host as SLACK_API_URL (slack.com, GovSlack, …)."""
    base = api_url.rstrip("/")
    base = base.removesuffix("/api")
    return f"{base}/oauth/v2/authorize"


def _on_success(services: Services, args: SuccessArgs) -> BoltResponse:
    """After Bolt stored the installation: the workspace is installed, the installer a manager."""
    inst = args.installation
    if not inst.team_id or not inst.bot_token:
        return args.default.failure(
            FailureArgs(
                request=args.request,
                reason="org-wide installs are not supported: install into a workspace",
                suggested_status_code=400,
                settings=args.settings,
                default=args.default,
            )
        )
    try:
        record_install(
            services,
            inst.team_id,
            inst.team_name,
            inst.user_id,
            services.slack.client(inst.bot_token),
        )
    except SQLAlchemyError as err:
        log.exception("recording the install failed", extra={"team_id": inst.team_id})
        return args.default.failure(
            FailureArgs(
                request=args.request,
                reason="storage_error",
                error=err,
                suggested_status_code=500,
                settings=args.settings,
                default=args.default,
            )
        )
    return args.default.success(args)


def oauth_settings(services: Services) -> OAuthSettings:
    """Bolt's OAuth settings: our scopes, stores in the app's database, calls to SLACK_API_URL."""
    settings = services.settings
    assert settings.slack_client_id and settings.slack_client_secret
    store = services.installation_store
    assert store is not None, "Services builds the store in OAuth mode"
    api = services.slack.client(None)
    result = OAuthSettings(
        client_id=settings.slack_client_id,
        client_secret=settings.slack_client_secret,
        scopes=list(BOT_SCOPES),
        user_scopes=[],
        authorization_url=authorization_url(settings.slack_api_url),
        installation_store=store,
        installation_store_bot_only=True,
        token_rotation_expiration_minutes=ROTATE_MINUTES_BEFORE_EXPIRY,
        state_store=SQLAlchemyOAuthStateStore(
            expiration_seconds=STATE_EXPIRATION_SECONDS, engine=services.engine, logger=log
        ),
        state_expiration_seconds=STATE_EXPIRATION_SECONDS,
        callback_options=CallbackOptions(
            success=lambda args: _on_success(services, args),
            failure=lambda args: args.default.failure(args),
        ),
        logger=logging.getLogger("slack_bolt.oauth"),
    )
    # Bolt's own authorize builds its token rotator on slack.com; ours goes to SLACK_API_URL.
    result.authorize = InstallationStoreAuthorize(
        logger=logging.getLogger("slack_bolt.authorize"),
        installation_store=store,
        client_id=settings.slack_client_id,
        client_secret=settings.slack_client_secret,
        token_rotation_expiration_minutes=ROTATE_MINUTES_BEFORE_EXPIRY,
        bot_only=True,
        # auth.test once per token, not once per request (a rotated token is a new key)
        cache_enabled=True,
        client=api,
    )
    return result


def oauth_kwargs(services: Services) -> dict[str, Any]:
    """App(...) arguments for OAuth mode: the settings, and a client without a fixed token."""
    # Bolt gives each request a client with that workspace's token, made like this one
    return {"oauth_settings": oauth_settings(services), "client": services.slack.client(None)}
