"""OAuth mode (many workspaces): install routes, installations in the app's database, fresh tokens.

Bolt runs the flow (`GET /slack/install`, `GET /slack/oauth_redirect`, served by bot/server.py);
slack_sdk's SQLAlchemy stores keep installations and OAuth states in the tables migration 0003
creates. Every Web API call of the flow — oauth.v2.access, auth.test, token refreshes — goes to
SLACK_API_URL. Work outside a request gets its token from `fresh_bot_token`, which refreshes a
rotating token before it expires, exactly as Bolt's authorize does for requests.
"""

from __future__ import annotations

import logging
import threading
import time
from typing import TYPE_CHECKING, Any

from slack_bolt import BoltResponse
from slack_bolt.authorization.authorize import InstallationStoreAuthorize
from slack_bolt.oauth.callback_options import CallbackOptions, FailureArgs, SuccessArgs
from slack_bolt.oauth.oauth_settings import OAuthSettings
from slack_sdk import WebClient
from slack_sdk.errors import SlackTokenRotationError
from slack_sdk.oauth.installation_store import Bot, Installation
from slack_sdk.oauth.installation_store.sqlalchemy import SQLAlchemyInstallationStore
from slack_sdk.oauth.state_store.sqlalchemy import SQLAlchemyOAuthStateStore
from slack_sdk.oauth.token_rotation import TokenRotator
from sqlalchemy import Engine
from sqlalchemy.exc import SQLAlchemyError

from bot.config import Settings

if TYPE_CHECKING:
    from bot.services import Services

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
# Refresh a rotating token when it has less than this left (Bolt's default).
ROTATE_MINUTES_BEFORE_EXPIRY = 120
STATE_EXPIRATION_SECONDS = 600

_rotation_lock = threading.Lock()


class DbInstallationStore(SQLAlchemyInstallationStore):
    """slack_sdk's SQLAlchemy store on the app's engine; lookups on the read-only engine (SQLite).

    On SQLite every write engine transaction begins IMMEDIATE (it takes the write lock), so the
    per-request lookups use the read-only engine, whose deferred transactions never wait.
    """

    def __init__(self, client_id: str, engine: Engine, read_engine: Engine | None = None) -> None:
        super().__init__(client_id=client_id, engine=engine, logger=log)
        self._reader = (
            SQLAlchemyInstallationStore(client_id=client_id, engine=read_engine, logger=log)
            if read_engine is not None
            else None
        )

    def find_bot(
        self,
        *,
        enterprise_id: str | None,
        team_id: str | None,
        is_enterprise_install: bool | None = False,
    ) -> Bot | None:
        """The newest bot installation of a workspace (with a token), if any."""
        if self._reader is not None:
            return self._reader.find_bot(
                enterprise_id=enterprise_id,
                team_id=team_id,
                is_enterprise_install=is_enterprise_install,
            )
        return super().find_bot(
            enterprise_id=enterprise_id,
            team_id=team_id,
            is_enterprise_install=is_enterprise_install,
        )

    def find_installation(
        self,
        *,
        enterprise_id: str | None,
        team_id: str | None,
        user_id: str | None = None,
        is_enterprise_install: bool | None = False,
    ) -> Installation | None:
        """The newest installation of a workspace (or of one user in it), if any."""
        if self._reader is not None:
            return self._reader.find_installation(
                enterprise_id=enterprise_id,
                team_id=team_id,
                user_id=user_id,
                is_enterprise_install=is_enterprise_install,
            )
        return super().find_installation(
            enterprise_id=enterprise_id,
            team_id=team_id,
            user_id=user_id,
            is_enterprise_install=is_enterprise_install,
        )


def authorization_url(api_url: str) -> str:
    """Slack's authorize page on the same host as SLACK_API_URL (slack.com, GovSlack, …)."""
    base = api_url.rstrip("/")
    base = base.removesuffix("/api")
    return f"{base}/oauth/v2/authorize"


def _rotator(services: Services) -> TokenRotator:
    settings = services.settings
    assert settings.slack_client_id and settings.slack_client_secret
    return TokenRotator(
        client_id=settings.slack_client_id,
        client_secret=settings.slack_client_secret,
        client=services.make_client(None),
    )


def _expiring(bot: Bot) -> bool:
    expires = bot.bot_token_expires_at
    return expires is not None and expires <= time.time() + ROTATE_MINUTES_BEFORE_EXPIRY * 60


def fresh_bot_token(services: Services, team_id: str) -> str | None:
    """The workspace's bot token, refreshed first when it rotates and expires soon; else None."""
    store = services.installation_store
    assert store is not None
    bot = store.find_bot(enterprise_id=None, team_id=team_id)
    if bot is None or not bot.bot_token:
        return None
    if bot.bot_refresh_token is None or not _expiring(bot):
        return bot.bot_token
    with _rotation_lock:  # one refresh per process; the others read what it saved
        bot = store.find_bot(enterprise_id=None, team_id=team_id)
        if bot is None or not bot.bot_token:
            return None
        if not _expiring(bot):
            return bot.bot_token
        try:
            refreshed = _rotator(services).perform_bot_token_rotation(
                bot=bot, minutes_before_expiration=ROTATE_MINUTES_BEFORE_EXPIRY
            )
        except SlackTokenRotationError as err:
            log.warning(
                "could not refresh the bot token: Slack said %s",
                err.api_error.response.get("error"),
                extra={"team_id": team_id, "outcome": "token_refresh_failed"},
            )
            return None
        if refreshed is None:
            return bot.bot_token
        store.save_bot(refreshed)
        log.info("bot token refreshed", extra={"team_id": team_id, "outcome": "token_refreshed"})
        return refreshed.bot_token


def _on_success(services: Services, args: SuccessArgs) -> BoltResponse:
    """After Bolt stored the installation: the workspace is installed, the installer a manager."""
    from bot.workspace.lifecycle import record_install

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
            services.make_client(inst.bot_token),
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


def oauth_settings(settings: Settings, services: Services) -> OAuthSettings:
    """Bolt's OAuth settings: our scopes, stores in the app's database, calls to SLACK_API_URL."""
    assert settings.slack_client_id and settings.slack_client_secret
    store = services.installation_store
    assert isinstance(store, SQLAlchemyInstallationStore), "Services builds the store in OAuth mode"
    api = services.make_client(None)
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


def oauth_kwargs(settings: Settings, services: Services) -> dict[str, Any]:
    """App(...) arguments for OAuth mode: the settings, and a client without a fixed token."""
    from bot.services import retry_handlers

    return {
        "oauth_settings": oauth_settings(settings, services),
        # Bolt gives each request a client with that workspace's token; this one has none
        "client": WebClient(
            token=None,
            base_url=settings.slack_api_url,
            timeout=15,
            retry_handlers=retry_handlers(),
        ),
    }
