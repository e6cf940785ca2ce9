"""How the simulated Slack talks to the app: signed POSTs to its Request URL."""

from __future__ import annotations

import hashlib
import hmac
import http.client
import json
import time
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlencode, urlparse

from bot.demo.model import Message, View
from bot.demo.state import Raw, view_state
from bot.demo.workspace import Workspace

SLACKBOT = "USLACKBOT"


@dataclass
class Outcome:
    """What the page is told: done, or what went wrong; inline errors of a modal."""

    ok: bool = True
    note: str = ""
    errors: dict[str, str] = field(default_factory=dict)


def answered(status: int) -> Outcome:
    """A 200 is done; anything else is shown to the person."""
    return Outcome(status == 200, "" if status == 200 else f"The app answered HTTP {status}.")


def sign(secret: str, timestamp: str, body: str) -> str:
    """Slack's v0 signature of a request body."""
    base = f"v0:{timestamp}:{body}".encode()
    return "v0=" + hmac.new(secret.encode(), base, hashlib.sha256).hexdigest()


class Transport:
    """Signed requests to the app, and the parts every Slack payload shares."""

    def __init__(self, ws: Workspace, app_url: str, secret: str, base: str) -> None:
        self.ws, self.app_url, self.secret, self.base = ws, app_url, secret, base
        self._events = 0

    # ------------------------------------------------------------------ transport
    def post(self, body: str, content_type: str) -> tuple[int, str]:
        """POST a signed body to /slack/events; (status, body text)."""
        stamp = str(int(time.time()))  # Slack signs with the real time, not the demo's
        headers = {
            "Content-Type": content_type,
            "X-Slack-Request-Timestamp": stamp,
            "X-Slack-Signature": sign(self.secret, stamp, body),
        }
        url = urlparse(self.app_url)
        conn = http.client.HTTPConnection(url.hostname or "127.0.0.1", url.port, timeout=60)
        try:
            conn.request("POST", "/slack/events", body=body.encode(), headers=headers)
            resp = conn.getresponse()
            return resp.status, resp.read().decode("utf-8", "replace")
        finally:
            conn.close()

    def _interaction(self, payload: dict[str, Any]) -> tuple[int, str]:
        body = urlencode({"payload": json.dumps(payload)})
        return self.post(body, "application/x-www-form-urlencoded")

    def _user(self, user_id: str) -> dict[str, Any]:
        user = self.ws.users[user_id]
        return {"id": user.id, "username": user.name, "name": user.name, "team_id": self.team}

    @property
    def team(self) -> str:
        """The workspace's team id."""
        return self.ws.team_id

    def _envelope(self, kind: str, user_id: str) -> dict[str, Any]:
        return {
            "type": kind,
            "team": {"id": self.team, "domain": "demo"},
            "user": self._user(user_id),
            "api_app_id": self.ws.app_id,
            "token": "demo-verification-token",
            "trigger_id": self.ws.new_trigger(user_id),
            "is_enterprise_install": False,
            "enterprise": None,
        }

    def _slackbot(self, user_id: str, channel: str, text: str) -> None:
        self.ws.post(
            Message(channel, self.ws.next_ts(), SLACKBOT, text, only_for=user_id),
        )

    def _keep_state(self, view: View, form: dict[str, dict[str, Raw]]) -> None:
        with self.ws.lock:
            view.state = view_state(view.spec.get("blocks") or [], form)
