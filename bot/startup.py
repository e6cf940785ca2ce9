"""Start-up: every mistake is one line naming the variable to check (no traceback, no secret).

Log lines written while starting are held back until the app is ready: when start-up fails,
the one line saying why is all an operator sees, not the libraries' own errors before it.
"""

from __future__ import annotations

import logging
import signal
from collections.abc import Callable, Iterator
from contextlib import contextmanager, suppress
from types import FrameType

from slack_sdk.errors import SlackApiError, SlackClientError
from sqlalchemy.engine import make_url

from bot.config import ConfigError, Settings

log = logging.getLogger("bot.cli")


class HeldLogs(logging.Handler):
    """Holds the log records of start-up: `replay()` writes them, `discard()` forgets them."""

    def __init__(self) -> None:
        super().__init__(logging.NOTSET)
        self.records: list[logging.LogRecord] = []
        self.root = logging.getLogger()
        self.handlers = list(self.root.handlers)
        self.active = True
        for handler in self.handlers:
            self.root.removeHandler(handler)
        self.root.addHandler(self)

    def emit(self, record: logging.LogRecord) -> None:
        """Keep the record for later."""
        self.records.append(record)

    def replay(self) -> None:
        """Put the handlers back and write what was held (start-up worked, or a bug hit)."""
        if self.active:
            self._restore()
            for record in self.records:
                for handler in self.handlers:
                    if record.levelno >= handler.level:
                        handler.handle(record)
        self.records.clear()

    def discard(self) -> None:
        """Put the handlers back and forget what was held (the one-line error says it all)."""
        if self.active:
            self._restore()
        self.records.clear()

    def _restore(self) -> None:
        self.active = False
        self.root.removeHandler(self)
        for handler in self.handlers:
            self.root.addHandler(handler)


@contextmanager
def held_logs() -> Iterator[HeldLogs]:
    """Hold start-up logs: dropped when start-up fails with a ConfigError, else written."""
    held = HeldLogs()
    try:
        yield held
    except ConfigError:
        held.discard()
        raise
    finally:
        held.replay()


def database_problem(settings: Settings, exc: Exception) -> ConfigError:
    """One line naming DATABASE_URL and the database's own first line (never the password)."""
    line = (str(getattr(exc, "orig", None) or exc).strip().splitlines() or ["no detail"])[0]
    password = None
    with suppress(ValueError):  # a URL that does not parse was refused by Settings already
        password = make_url(settings.database_url).password
    if password:
        line = line.replace(str(password), "***")
    return ConfigError(f"DATABASE_URL: cannot reach the database ({line})")


SLACK_FIX = {
    "SLACK_BOT_TOKEN": "copy the Bot User OAuth Token (xoxb-…) from your Slack app's OAuth & "
    "Permissions page, or reinstall the app to the workspace",
    "SLACK_APP_TOKEN": "create an app-level token with connections:write (Basic Information → "
    "App-Level Tokens) and turn Socket Mode on",
}


@contextmanager
def slack_startup(settings: Settings, variable: str) -> Iterator[None]:
    """Turn Slack's answers at start-up into one line naming the variable to check."""
    url = settings.slack_api_url
    try:
        yield
    except SlackApiError as err:
        data = err.response.data if isinstance(err.response.data, dict) else {}
        code = data.get("error")
        if not code:
            raise ConfigError(
                f"SLACK_API_URL: {url} did not answer like Slack's Web API "
                f"(HTTP {err.response.status_code}): check the address"
            ) from None
        raise ConfigError(
            f"{variable} was refused by Slack ({code}): {SLACK_FIX[variable]}"
        ) from None
    except (OSError, SlackClientError) as exc:
        reason = getattr(exc, "reason", exc)
        detail = getattr(reason, "strerror", None) or str(reason) or type(exc).__name__
        raise ConfigError(
            f"SLACK_API_URL: cannot reach Slack at {url} ({detail}): check the address, "
            "the network and any proxy"
        ) from None


def on_signals(action: Callable[[], None]) -> None:
    """SIGTERM and SIGINT start a drain (`action`) instead of killing the process."""

    def handler(signum: int, _frame: FrameType | None) -> None:
        log.info("signal %d: draining in-flight requests, then stopping", signum)
        action()

    signal.signal(signal.SIGTERM, handler)
    signal.signal(signal.SIGINT, handler)
