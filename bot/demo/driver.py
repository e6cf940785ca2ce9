"""The Slack side of every visitor action: the request Slack would send to the app's Request URL,
signed with the signing secret, and what Slack does with the answer."""

from __future__ import annotations

import json
import re
import time
from typing import Any
from urllib.parse import urlencode

from bot.demo.modals import ModalActions
from bot.demo.model import Message, User
from bot.demo.state import Raw, action, find, view_state
from bot.demo.transport import Outcome, answered
from bot.demo.workspace import ResponseTarget

MENTION = re.compile(r"(?<![\w<])([@#])([a-z0-9][a-z0-9._-]*)", re.IGNORECASE)


class Driver(ModalActions):
    """Sends the app what Slack would, as the person using the page."""

    # ------------------------------------------------------------------ typing
    def escape(self, text: str) -> str:
        """What Slack makes of typed text: &, <, > escaped; @name and #channel as mentions."""
        text = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
        handles: dict[str, User] = {}
        for u in self.ws.people():
            handles.setdefault(u.name.lower(), u)
            handles.setdefault(u.first_name.lower(), u)
        channels = {c.name: c for c in self.ws.channels.values() if c.kind != "im"}

        def mention(m: re.Match[str]) -> str:
            word = m.group(2).rstrip(".")
            rest = m.group(2)[len(word) :]
            if m.group(1) == "@" and word.lower() in handles:
                u = handles[word.lower()]
                return f"<@{u.id}|{u.name}>{rest}"
            if m.group(1) == "#" and word.lower() in channels:
                return f"<#{channels[word.lower()].id}|{word.lower()}>{rest}"
            return m.group(0)

        return MENTION.sub(mention, text)

    def type_text(self, user_id: str, channel_id: str, text: str) -> Outcome:
        """The message box: a slash command, or a message (a DM to the app is an event)."""
        text = text.strip()
        if not text:
            return Outcome(False, "Type a message or a command first.")
        if text.startswith("/"):
            return self.command(user_id, channel_id, text)
        channel = self.ws.channels.get(channel_id)
        if channel is None:
            return Outcome(False, "That conversation is gone.")
        msg = self.ws.post(Message(channel_id, self.ws.next_ts(), user_id, self.escape(text)))
        if channel.kind != "im":
            return Outcome()
        self._events += 1
        event = {
            "type": "message",
            "channel": channel_id,
            "user": user_id,
            "text": msg.text,
            "ts": msg.ts,
            "event_ts": msg.ts,
            "channel_type": "im",
        }
        return self.event(event)

    def command(self, user_id: str, channel_id: str, typed: str) -> Outcome:
        """A slash command; the app's answer (the ack body) is shown to the person."""
        name, _, args = typed.partition(" ")
        if name != "/rolesplit":
            self._slackbot(
                user_id,
                channel_id,
                f"`{name}` is not a valid command in this demo workspace — try `/rolesplit help`.",
            )
            return Outcome()
        channel = self.ws.channels.get(channel_id)
        target = ResponseTarget(user_id, channel_id)
        body = urlencode(
            {
                "token": "demo-verification-token",
                "team_id": self.team,
                "team_domain": "demo",
                "channel_id": channel_id,
                "channel_name": "directmessage"
                if channel and channel.kind == "im"
                else (channel.name if channel else ""),
                "user_id": user_id,
                "user_name": self.ws.users[user_id].name,
                "command": name,
                "text": self.escape(args.strip()),
                "api_app_id": self.ws.app_id,
                "is_enterprise_install": "false",
                "response_url": self.ws.new_response_url(self.base, target),
                "trigger_id": self.ws.new_trigger(user_id),
            }
        )
        status, answer = self.post(body, "application/x-www-form-urlencoded")
        if status != 200:
            self._slackbot(user_id, channel_id, f"{name} failed with the error `http_{status}`.")
            return Outcome(False, f"The app answered HTTP {status}.")
        self._show_ack(target, answer)
        return Outcome()

    def _show_ack(self, target: ResponseTarget, answer: str) -> None:
        """A command's ack body: JSON with text/blocks, or plain text, or nothing."""
        if not answer.strip():
            return
        try:
            data = json.loads(answer)
        except ValueError:
            data = {"text": answer}
        if not isinstance(data, dict) or not (data.get("text") or data.get("blocks")):
            return
        public = data.get("response_type") == "in_channel"
        msg = self.ws.post_from_app(
            target.channel,
            str(data.get("text") or ""),
            blocks=list(data.get("blocks") or []),
            only_for=None if public else target.user,
        )
        if not public:
            target.ephemeral_ts = msg.ts

    # ------------------------------------------------------------------ events
    def event(self, event: dict[str, Any]) -> Outcome:
        """An Events API delivery."""
        self._events += 1
        envelope = {
            "token": "demo-verification-token",
            "team_id": self.team,
            "api_app_id": self.ws.app_id,
            "event": event,
            "type": "event_callback",
            "event_id": f"Ev{int(time.time())}{self._events:06d}",
            "event_time": int(time.time()),
            "authorizations": [
                {
                    "enterprise_id": None,
                    "team_id": self.team,
                    "user_id": self.ws.bot.id,
                    "is_bot": True,
                    "is_enterprise_install": False,
                }
            ],
            "is_ext_shared_channel": False,
        }
        status, _ = self.post(json.dumps(envelope), "application/json")
        return answered(status)

    def open_home(self, user_id: str) -> Outcome:
        """The person opens the app's Home tab."""
        return self.event(
            {
                "type": "app_home_opened",
                "user": user_id,
                "channel": self.ws.dm(user_id).id,
                "tab": "home",
                "event_ts": f"{time.time():.6f}",
            }
        )

    # ------------------------------------------------------------------ clicks
    def click(
        self, user_id: str, channel_id: str, ts: str, block_id: str, action_id: str, raw: Raw
    ) -> Outcome:
        """A button, select, picker or menu in a message."""
        msg = self.ws.message(channel_id, ts)
        el = find(msg.blocks, block_id, action_id) if msg else None
        if msg is None or el is None:
            return Outcome(False, "That message has changed; try again.")
        payload = self._envelope("block_actions", user_id)
        ephemeral = msg.only_for is not None
        target = ResponseTarget(user_id, channel_id, message_ts=ts)
        payload.update(
            container={
                "type": "message",
                "message_ts": ts,
                "channel_id": channel_id,
                "is_ephemeral": ephemeral,
            },
            channel={"id": channel_id, "name": self.ws.channels[channel_id].name},
            state={"values": view_state(msg.blocks, {block_id: {action_id: raw}})},
            response_url=self.ws.new_response_url(self.base, target),
            actions=[action(el, block_id, raw, f"{time.time():.6f}")],
        )
        if not ephemeral:
            payload["message"] = msg.slack()
        status, _ = self._interaction(payload)
        return answered(status)
