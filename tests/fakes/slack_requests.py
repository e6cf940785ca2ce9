"""Requests built and signed exactly as Slack sends them to an app's Request URL."""

from __future__ import annotations

import hashlib
import hmac
import http.client
import itertools
import json
import time
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlencode, urlparse

_ids = itertools.count(1)


@dataclass
class Response:
    """An HTTP answer from the app."""

    status: int
    headers: dict[str, str]
    text: str
    elapsed_ms: float = 0.0

    def json(self) -> Any:
        """The body as JSON (an empty body is None)."""
        return json.loads(self.text) if self.text else None


def input_value(value: str | None) -> dict[str, Any]:
    """State of a plain_text_input."""
    return {"type": "plain_text_input", "value": value}


def datepicker_value(day: str | None) -> dict[str, Any]:
    """State of a datepicker (YYYY-MM-DD)."""
    return {"type": "datepicker", "selected_date": day}


def users_select_value(user: str | None) -> dict[str, Any]:
    """State of a users_select."""
    return {"type": "users_select", "selected_user": user}


def static_select_value(value: str | None) -> dict[str, Any]:
    """State of a static_select."""
    option = {"text": {"type": "plain_text", "text": value}, "value": value} if value else None
    return {"type": "static_select", "selected_option": option}


def checkboxes_value(values: list[str]) -> dict[str, Any]:
    """State of checkboxes."""
    return {
        "type": "checkboxes",
        "selected_options": [
            {"text": {"type": "plain_text", "text": v}, "value": v} for v in values
        ],
    }


@dataclass
class SlackRequests:
    """Signed commands, interactions and events for an app served at app_url."""

    app_url: str
    signing_secret: str
    team_id: str = "T0001"
    fake: Any = None
    path: str = "/slack/events"
    api_app_id: str = "A0001"
    bot_user_id: str = "UBOT"
    _conn: dict[str, Any] = field(default_factory=dict)

    # ------------------------------------------------------------------ signing and sending
    def sign(self, body: str, timestamp: int | None = None) -> dict[str, str]:
        """Slack's v0 signature headers for a body."""
        ts = str(int(time.time()) if timestamp is None else timestamp)
        base = f"v0:{ts}:{body}".encode()
        sig = "v0=" + hmac.new(self.signing_secret.encode(), base, hashlib.sha256).hexdigest()
        return {"X-Slack-Request-Timestamp": ts, "X-Slack-Signature": sig}

    def send(
        self,
        body: str,
        content_type: str,
        headers: dict[str, str] | None = None,
        *,
        unsigned: bool = False,
        stale: bool = False,
        wrong: bool = False,
    ) -> Response:
        """POST to the app: signed unless told to be unsigned, stale or wrongly signed."""
        hdrs = {"Content-Type": content_type}
        if not unsigned:
            signed = self.sign(body, int(time.time()) - 360 if stale else None)
            if wrong:
                signed["X-Slack-Signature"] = "v0=" + "0" * 64
            hdrs.update(signed)
        hdrs.update(headers or {})
        url = urlparse(self.app_url)
        conn = http.client.HTTPConnection(url.hostname or "127.0.0.1", url.port, timeout=10)
        started = time.perf_counter()
        try:
            conn.request("POST", self.path, body=body.encode(), headers=hdrs)
            resp = conn.getresponse()
            text = resp.read().decode()
            return Response(
                resp.status,
                {k.lower(): v for k, v in resp.getheaders()},
                text,
                (time.perf_counter() - started) * 1000,
            )
        finally:
            conn.close()

    def _response_url(self, response_url: str | None) -> str:
        if response_url:
            return response_url
        return self.fake.response_url() if self.fake is not None else "http://127.0.0.1:9/r"

    # ------------------------------------------------------------------ slash commands
    def command_body(
        self,
        text: str,
        user_id: str = "U1",
        command: str = "/rolesplit",
        channel_id: str = "D1",
        trigger_id: str | None = None,
        response_url: str | None = None,
        team_id: str | None = None,
    ) -> str:
        """The form body of a slash command."""
        return urlencode(
            {
                "token": "legacy-verification-token",
                "team_id": team_id or self.team_id,
                "team_domain": "acme",
                "channel_id": channel_id,
                "channel_name": "directmessage",
                "user_id": user_id,
                "user_name": user_id.lower(),
                "command": command,
                "text": text,
                "api_app_id": self.api_app_id,
                "is_enterprise_install": "false",
                "response_url": self._response_url(response_url),
                "trigger_id": trigger_id or f"{next(_ids)}.1.trigger",
            }
        )

    def command(
        self, text: str, user_id: str = "U1", team_id: str | None = None, **kwargs: Any
    ) -> Response:
        """Send `/rolesplit <text>` as a user."""
        flags = {k: kwargs.pop(k) for k in ("unsigned", "stale", "wrong") if k in kwargs}
        body = self.command_body(text, user_id=user_id, team_id=team_id, **kwargs)
        return self.send(body, "application/x-www-form-urlencoded", **flags)

    # ------------------------------------------------------------------ interactivity
    def _interaction(self, payload: dict[str, Any], **flags: Any) -> Response:
        return self.send(
            urlencode({"payload": json.dumps(payload)}),
            "application/x-www-form-urlencoded",
            **flags,
        )

    def _user(self, user_id: str, team_id: str | None) -> dict[str, Any]:
        return {
            "id": user_id,
            "username": user_id.lower(),
            "name": user_id.lower(),
            "team_id": team_id or self.team_id,
        }

    def block_action(
        self,
        action_id: str,
        value: str | None = None,
        user_id: str = "U1",
        block_id: str | None = None,
        message: dict[str, Any] | None = None,
        channel_id: str | None = None,
        view: dict[str, Any] | None = None,
        selected_user: str | None = None,
        action_type: str = "button",
        response_url: str | None = None,
        team_id: str | None = None,
        selected_option: str | None = None,
        **flags: Any,
    ) -> Response:
        """A block_actions payload (a button click or a select)."""
        action: dict[str, Any] = {
            "action_id": action_id,
            "block_id": block_id or "b1",
            "type": action_type,
            "action_ts": f"{time.time():.6f}",
        }
        if value is not None:
            action["value"] = value
            action["text"] = {"type": "plain_text", "text": value[:30]}
        if selected_user is not None:
            action["selected_user"] = selected_user
            action["type"] = "users_select"
        if selected_option is not None:
            action["selected_option"] = {
                "text": {"type": "plain_text", "text": selected_option},
                "value": selected_option,
            }
            action["type"] = "static_select"
        payload: dict[str, Any] = {
            "type": "block_actions",
            "team": {"id": team_id or self.team_id, "domain": "acme"},
            "user": self._user(user_id, team_id),
            "api_app_id": self.api_app_id,
            "token": "legacy-verification-token",
            "trigger_id": f"{next(_ids)}.1.trigger",
            "actions": [action],
            "is_enterprise_install": False,
            "enterprise": None,
        }
        if view is not None:
            payload["container"] = {"type": "view", "view_id": view.get("id", "V1")}
            payload["view"] = view
        else:
            channel = channel_id or (message or {}).get("channel") or "D" + user_id
            msg = dict(
                message
                or {
                    "type": "message",
                    "ts": "1700000000.000100",
                    "text": "",
                    "user": self.bot_user_id,
                }
            )
            payload["container"] = {
                "type": "message",
                "message_ts": msg["ts"],
                "channel_id": channel,
                "is_ephemeral": False,
            }
            payload["channel"] = {"id": channel, "name": "directmessage"}
            payload["message"] = msg
            payload["response_url"] = self._response_url(response_url)
        return self._interaction(payload, **flags)

    def view_submission(
        self,
        callback_id: str,
        values: dict[str, dict[str, Any]],
        user_id: str = "U1",
        private_metadata: str = "",
        view_id: str = "V1",
        hash: str = "h1",
        team_id: str | None = None,
        **flags: Any,
    ) -> Response:
        """A view_submission payload with Slack's state.values shape."""
        payload = {
            "type": "view_submission",
            "team": {"id": team_id or self.team_id, "domain": "acme"},
            "user": self._user(user_id, team_id),
            "api_app_id": self.api_app_id,
            "token": "legacy-verification-token",
            "trigger_id": f"{next(_ids)}.1.trigger",
            "view": {
                "id": view_id,
                "team_id": team_id or self.team_id,
                "type": "modal",
                "callback_id": callback_id,
                "private_metadata": private_metadata,
                "state": {"values": values},
                "hash": hash,
                "app_id": self.api_app_id,
                "blocks": [],
                "title": {"type": "plain_text", "text": "rolesplit"},
            },
            "response_urls": [],
            "is_enterprise_install": False,
            "enterprise": None,
        }
        return self._interaction(payload, **flags)

    # ------------------------------------------------------------------ events
    def event(
        self,
        event: dict[str, Any],
        event_id: str | None = None,
        retry_num: int | None = None,
        retry_reason: str = "http_timeout",
        team_id: str | None = None,
        **flags: Any,
    ) -> Response:
        """An Events API event_callback envelope (with Slack's retry headers if asked)."""
        envelope = {
            "token": "legacy-verification-token",
            "team_id": team_id or self.team_id,
            "api_app_id": self.api_app_id,
            "event": event,
            "type": "event_callback",
            "event_id": event_id or f"Ev{next(_ids):08d}",
            "event_time": int(time.time()),
            "authorizations": [
                {
                    "enterprise_id": None,
                    "team_id": team_id or self.team_id,
                    "user_id": self.bot_user_id,
                    "is_bot": True,
                    "is_enterprise_install": False,
                }
            ],
            "is_ext_shared_channel": False,
        }
        headers = {}
        if retry_num is not None:
            headers = {"X-Slack-Retry-Num": str(retry_num), "X-Slack-Retry-Reason": retry_reason}
        return self.send(json.dumps(envelope), "application/json", headers, **flags)

    def message_im(
        self,
        text: str,
        user_id: str = "U1",
        channel: str | None = None,
        ts: str | None = None,
        **kwargs: Any,
    ) -> Response:
        """A DM from a person to the app (message.im)."""
        ts = ts or f"{time.time():.6f}"
        return self.event(
            {
                "type": "message",
                "channel": channel or "D" + user_id,
                "user": user_id,
                "text": text,
                "ts": ts,
                "event_ts": ts,
                "channel_type": "im",
            },
            **kwargs,
        )

    def app_home_opened(self, user_id: str = "U1", **kwargs: Any) -> Response:
        """A person opens the app's Home tab."""
        return self.event(
            {
                "type": "app_home_opened",
                "user": user_id,
                "channel": "D" + user_id,
                "tab": "home",
                "event_ts": f"{time.time():.6f}",
            },
            **kwargs,
        )

    def app_uninstalled(self, **kwargs: Any) -> Response:
        """The app was removed from the workspace."""
        return self.event({"type": "app_uninstalled", "event_ts": f"{time.time():.6f}"}, **kwargs)

    def tokens_revoked(self, bot_ids: list[str] | None = None, **kwargs: Any) -> Response:
        """Tokens were revoked."""
        return self.event(
            {
                "type": "tokens_revoked",
                "tokens": {"oauth": [], "bot": bot_ids or [self.bot_user_id]},
                "event_ts": f"{time.time():.6f}",
            },
            **kwargs,
        )

    def url_verification(self, challenge: str) -> Response:
        """Slack's Request URL check."""
        return self.send(
            json.dumps({"token": "t", "challenge": challenge, "type": "url_verification"}),
            "application/json",
        )
