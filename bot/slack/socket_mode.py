"""Socket Mode with the HTTP edge's rules: clean text, a shape check, back-pressure, a drain.

Slack's envelopes arrive over one authenticated WebSocket, so there is no signature to check;
the payload is still checked and cleaned like an HTTP body before Bolt sees it. A request the
app does not take (malformed, too busy, shutting down) is not acknowledged, so Slack sends
an event again later (to this process after a reconnect, or to another one).
"""

from __future__ import annotations

import logging
import threading
import time
from typing import Any

from slack_bolt import App
from slack_bolt.adapter.socket_mode import SocketModeHandler
from slack_sdk.socket_mode.request import SocketModeRequest

from bot.slack.app import pool_of
from bot.slack.inbound import BadInput, clean
from bot.slack.shape import check_shape

log = logging.getLogger("bot.socket_mode")


class DrainingSocketModeHandler(SocketModeHandler):
    """Bolt's Socket Mode handler that can stop taking requests and finish those in flight."""

    def __init__(self, app: App, app_token: str) -> None:
        super().__init__(app, app_token)
        self.pool = pool_of(app)
        self.draining = False
        self._inflight = 0
        self._cond = threading.Condition()

    def connect(self) -> None:
        """Open the WebSocket (apps.connections.open first: a refused token raises here)."""
        self.client.connect()

    def close(self) -> None:
        """Close the WebSocket and the client's threads."""
        self.client.close()

    def handle(self, client: Any, req: SocketModeRequest) -> None:
        """Check and clean the payload, wait for room, then let Bolt answer it."""
        with self._cond:
            if self.draining:
                return  # not acknowledged: Slack sends it again
            self._inflight += 1
        try:
            try:
                req.payload = clean(req.payload)
                check_shape(req.payload)
            except BadInput as exc:
                log.warning("refused a Socket Mode request: %s", exc, extra={"reason": str(exc)})
                return
            if self.pool is not None and not self.pool.admit():
                log.warning("busy: left a Socket Mode request for Slack to send again")
                return
            super().handle(client, req)
        finally:
            with self._cond:
                self._inflight -= 1
                self._cond.notify_all()

    def drain(self, timeout: float = 10.0) -> None:
        """Stop taking requests, let those in flight answer, close, then finish post-ack work."""
        deadline = time.monotonic() + timeout
        with self._cond:
            self.draining = True
            while self._inflight and deadline > time.monotonic():
                self._cond.wait(deadline - time.monotonic())
        self.close()
        if self.pool is not None:
            self.pool.shutdown(wait=True)
