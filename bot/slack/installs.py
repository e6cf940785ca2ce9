"""Where bot tokens come from in OAuth mode: installations kept in the app's database, and rotating
tokens refreshed before they expire.

slack_sdk's SQLAlchemy store keeps installations in the tables migration 0003 creates. Work
outside a request gets its token from `fresh_bot_token`, which refreshes a rotating token before
it expires, exactly as Bolt's authorize does for requests.
"""

from __future__ import annotations

import logging
import threading
import time

from slack_sdk import WebClient
from slack_sdk.errors import SlackTokenRotationError
from slack_sdk.oauth.installation_store import Bot, Installation
from slack_sdk.oauth.installation_store.sqlalchemy import SQLAlchemyInstallationStore
from slack_sdk.oauth.token_rotation import TokenRotator
from sqlalchemy import Engine

log = logging.getLogger(__name__)

# Refresh a rotating token when it has less than this left (Bolt's default).
ROTATE_MINUTES_BEFORE_EXPIRY = 120

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
        finder = super().find_bot if self._reader is None else self._reader.find_bot
        return finder(
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
        finder = (
            super().find_installation if self._reader is None else self._reader.find_installation
        )
        return finder(
            enterprise_id=enterprise_id,
            team_id=team_id,
            user_id=user_id,
            is_enterprise_install=is_enterprise_install,
        )


def _expiring(bot: Bot) -> bool:
    expires = bot.bot_token_expires_at
    return expires is not None and expires <= time.time() + ROTATE_MINUTES_BEFORE_EXPIRY * 60


def fresh_bot_token(store: DbInstallationStore, rotator: TokenRotator, team_id: str) -> str | None:
    """The workspace's bot token, refreshed first when it rotates and expires soon; else None."""
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
            refreshed = rotator.perform_bot_token_rotation(
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


def rotator(client_id: str, client_secret: str, client: WebClient) -> TokenRotator:
    """slack_sdk's token rotator, calling SLACK_API_URL through `client`."""
    return TokenRotator(client_id=client_id, client_secret=client_secret, client=client)
