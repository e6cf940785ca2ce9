"""The one Slack client factory, for requests and scheduled work alike.

Every Web API client goes to SLACK_API_URL with the token of the single workspace
(SLACK_BOT_TOKEN) or of the workspace's installation (OAuth mode, refreshed when it rotates),
and with the retry policy of its use. Clients are kept per token, a bounded number of them.
"""

from __future__ import annotations

import threading
from collections import OrderedDict

from slack_sdk import WebClient
from slack_sdk.http_retry import RetryHandler
from slack_sdk.http_retry.builtin_handlers import (
    ConnectionErrorRetryHandler,
    RateLimitErrorRetryHandler,
    ServerErrorRetryHandler,
)

from bot.config import Settings
from bot.slack.installs import DbInstallationStore, fresh_bot_token, rotator

REQUEST_TIMEOUT = 15
SEND_TIMEOUT = 10
MAX_CLIENTS = 256  # one per token and use: a few per workspace that is active


class NoTokenError(Exception):
    """No bot token is known for a workspace (uninstalled, or never installed)."""


def request_retries() -> list[RetryHandler]:
    """429 waits Retry-After and retries; 5xx and dropped connections retry with backoff."""
    return [
        RateLimitErrorRetryHandler(max_retry_count=5),
        ServerErrorRetryHandler(max_retry_count=2),
        ConnectionErrorRetryHandler(),
    ]


def send_retries() -> list[RetryHandler]:
    """Outbound sends retry only a 429: a post repeated after a lost answer could double it."""
    return [RateLimitErrorRetryHandler(max_retry_count=3)]


class SlackClients:
    """Web API clients by token and use (requests, or outbound sends), least recently used out."""

    def __init__(
        self,
        settings: Settings,
        installations: DbInstallationStore | None = None,
        capacity: int = MAX_CLIENTS,
    ) -> None:
        self.settings, self.installations, self.capacity = settings, installations, capacity
        self._clients: OrderedDict[tuple[str, bool], WebClient] = OrderedDict()
        self._lock = threading.Lock()

    def client(self, token: str | None, *, sending: bool = False) -> WebClient:
        """A client for a token (None: the OAuth calls that carry the app's credentials)."""
        key = (token or "", sending)
        with self._lock:
            client = self._clients.get(key)
            if client is not None:
                self._clients.move_to_end(key)
                return client
            client = WebClient(
                token=token,
                base_url=self.settings.slack_api_url,
                timeout=SEND_TIMEOUT if sending else REQUEST_TIMEOUT,
                retry_handlers=send_retries() if sending else request_retries(),
            )
            self._clients[key] = client
            if len(self._clients) > self.capacity:
                self._clients.popitem(last=False)
            return client

    def bot_token(self, team_id: str) -> str:
        """The bot token for a workspace (single-workspace token or the stored installation).

        In OAuth mode a rotating token is refreshed first when it is about to expire, so work
        outside a request (prompts, rollups, nudges) never uses an expired one.
        """
        if self.installations is not None:
            settings = self.settings
            assert settings.slack_client_id and settings.slack_client_secret
            token = fresh_bot_token(
                self.installations,
                rotator(settings.slack_client_id, settings.slack_client_secret, self.client(None)),
                team_id,
            )
            if not token:
                raise NoTokenError(team_id)
            return token
        if not self.settings.slack_bot_token:
            raise NoTokenError(team_id)
        return self.settings.slack_bot_token

    def for_team(self, team_id: str, *, sending: bool = False) -> WebClient:
        """A client authorised for one workspace, for work outside a request."""
        return self.client(self.bot_token(team_id), sending=sending)

    def has_token(self, team_id: str) -> bool:
        """True when a bot token is known for the workspace."""
        try:
            self.bot_token(team_id)
        except NoTokenError:
            return False
        return True
