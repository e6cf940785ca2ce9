"""Simulated Web API: conversations.* and chat.*."""

from __future__ import annotations

import re
from typing import Any

from bot.demo.api_base import Answer, ApiBase, decode, error
from bot.demo.model import Channel
from bot.demo.state import with_ids

CHANNEL_NAME = re.compile(r"^[a-z0-9_-]{1,80}$")


class ChatMethods(ApiBase):
    """Conversations and messages."""

    def m_conversations_open(self, a: dict[str, Any]) -> Answer:
        """conversations.open (a DM with one person)."""
        users = [u.strip() for u in str(a.get("users") or "").split(",") if u.strip()]
        if len(users) != 1 or users[0] not in self.ws.users:
            return error("user_not_found")
        return {"ok": True, "channel": {"id": self.ws.dm(users[0]).id}}

    def m_conversations_create(self, a: dict[str, Any]) -> Answer:
        """conversations.create (name rules and `name_taken` as Slack has them)."""
        name = str(a["name"])
        if len(name) > 80:
            return error("invalid_name_maxlength")
        if not CHANNEL_NAME.match(name):
            return error("invalid_name_specials")
        with self.ws.lock:
            if any(c.name == name for c in self.ws.channels.values()):
                return error("name_taken")
            private = str(a.get("is_private")).lower() in ("true", "1")
            channel = Channel(
                self.ws.next_id("C"),
                name,
                "private" if private else "public",
                int(self.ws.clock().timestamp()),
                [self.ws.bot.id],
            )
            self.ws.add_channel(channel)
        return {"ok": True, "channel": self.channel_json(channel)}

    def m_conversations_invite(self, a: dict[str, Any]) -> Answer:
        """conversations.invite (one error stops the call, as in Slack)."""
        channel = self.ws.channels.get(str(a["channel"]))
        if channel is None or channel.kind == "im":
            return error("channel_not_found")
        with self.ws.lock:
            for uid in (u.strip() for u in str(a["users"]).split(",") if u.strip()):
                if uid == self.ws.bot.id:
                    return error("cant_invite_self")
                user = self.ws.users.get(uid)
                if user is None:
                    return error("user_not_found")
                if user.deleted:
                    return error("user_is_inactive")
                if uid in channel.members:
                    return error("already_in_channel")
                channel.members.append(uid)
        self.ws.touch()
        return {"ok": True, "channel": self.channel_json(channel)}

    def m_conversations_join(self, a: dict[str, Any]) -> Answer:
        """conversations.join (public channels)."""
        channel = self.ws.channels.get(str(a["channel"]))
        if channel is None or channel.kind != "public":
            return error("channel_not_found" if channel is None else "method_not_supported")
        if self.ws.bot.id not in channel.members:
            channel.members.append(self.ws.bot.id)
        return {"ok": True, "channel": self.channel_json(channel)}

    def m_conversations_info(self, a: dict[str, Any]) -> Answer:
        """conversations.info."""
        channel = self._channel(str(a["channel"]))
        return (
            {"ok": True, "channel": self.channel_json(channel)}
            if channel
            else error("channel_not_found")
        )

    def m_conversations_members(self, a: dict[str, Any]) -> Answer:
        """conversations.members (one page)."""
        channel = self._channel(str(a["channel"]))
        if channel is None:
            return error("channel_not_found")
        return {"ok": True, "members": list(channel.members), "response_metadata": {}}

    def m_conversations_history(self, a: dict[str, Any]) -> Answer:
        """conversations.history (newest first, no ephemerals)."""
        channel = self._channel(str(a["channel"]))
        if channel is None:
            return error("channel_not_found")
        found = [m.slack() for m in self.ws.history(channel.id, "") if m.only_for is None]
        return {"ok": True, "messages": found[::-1], "has_more": False}

    def m_conversations_replies(self, a: dict[str, Any]) -> Answer:
        """conversations.replies (the parent first)."""
        channel = self._channel(str(a["channel"]))
        parent = self.ws.message(channel.id, str(a["ts"])) if channel else None
        if channel is None or parent is None:
            return error("thread_not_found")
        replies = [m.slack() for m in self.ws.replies(channel.id, parent.ts, "")]
        return {"ok": True, "messages": [parent.slack(), *replies], "has_more": False}

    # ------------------------------------------------------------------ messages
    def _posting(self, a: dict[str, Any]) -> tuple[Channel, list[dict[str, Any]]] | Answer:
        channel = self._channel(str(a["channel"]))
        if channel is None:
            return error("channel_not_found")
        if channel.kind == "private" and self.ws.bot.id not in channel.members:
            return error("not_in_channel")
        blocks = decode(a.get("blocks")) or []
        if not isinstance(blocks, list) or len(blocks) > 50:
            return error("invalid_blocks")
        if not blocks and not a.get("text") and not a.get("attachments"):
            return error("no_text")
        return channel, with_ids(blocks)

    def m_chat_postMessage(self, a: dict[str, Any]) -> Answer:
        """chat.postMessage (a user id posts into the app's DM with that person)."""
        checked = self._posting(a)
        if isinstance(checked, dict):
            return checked
        channel, blocks = checked
        thread = str(a.get("thread_ts") or "") or None
        if thread and self.ws.message(channel.id, thread) is None:
            return error("thread_not_found")
        msg = self.ws.post_from_app(
            channel.id, str(a.get("text") or ""), blocks=blocks, thread_ts=thread
        )
        return {"ok": True, "channel": channel.id, "ts": msg.ts, "message": msg.slack()}

    def m_chat_postEphemeral(self, a: dict[str, Any]) -> Answer:
        """chat.postEphemeral: seen by one person in the conversation."""
        checked = self._posting(a)
        if isinstance(checked, dict):
            return checked
        channel, blocks = checked
        user = str(a["user"])
        if user not in channel.members and channel.kind != "public":
            return error("user_not_in_channel")
        msg = self.ws.post_from_app(
            channel.id,
            str(a.get("text") or ""),
            blocks=blocks,
            thread_ts=str(a.get("thread_ts") or "") or None,
            only_for=user,
        )
        return {"ok": True, "message_ts": msg.ts}

    def m_chat_update(self, a: dict[str, Any]) -> Answer:
        """chat.update (the app's own messages only)."""
        channel = self._channel(str(a["channel"]))
        msg = self.ws.message(channel.id, str(a["ts"])) if channel else None
        if channel is None or msg is None:
            return error("message_not_found")
        if msg.user != self.ws.bot.id:
            return error("cant_update_message")
        blocks = decode(a.get("blocks"))
        with self.ws.lock:
            if a.get("text") is not None:
                msg.text = str(a["text"])
            if blocks is not None:
                msg.blocks = with_ids(list(blocks))
        self.ws.touch()
        return {"ok": True, "channel": channel.id, "ts": msg.ts, "text": msg.text}

    def m_chat_delete(self, a: dict[str, Any]) -> Answer:
        """chat.delete."""
        channel = self._channel(str(a["channel"]))
        msg = self.ws.message(channel.id, str(a["ts"])) if channel else None
        if channel is None or msg is None:
            return error("message_not_found")
        self.ws.remove(msg)
        return {"ok": True, "channel": channel.id, "ts": msg.ts}

    def m_chat_getPermalink(self, a: dict[str, Any]) -> Answer:
        """chat.getPermalink: a link into the demo page."""
        channel, ts = str(a["channel"]), str(a["message_ts"])
        return {"ok": True, "channel": channel, "permalink": f"{self.base}/#c={channel}&m={ts}"}

    # ------------------------------------------------------------------ response_url
    def respond(self, rid: str, body: dict[str, Any]) -> Answer:
        """A post to a response_url: a new (ephemeral or in-channel) message, or the original
        replaced or deleted."""
        target = self.ws.responses.get(rid)
        if target is None:
            return error("expired_url")
        original_ts = target.message_ts or target.ephemeral_ts
        original = self.ws.message(target.channel, original_ts) if original_ts else None
        if body.get("delete_original") and original is not None:
            self.ws.remove(original)
            return {"ok": True}
        text, blocks = str(body.get("text") or ""), with_ids(list(body.get("blocks") or []))
        if body.get("replace_original") and original is not None:
            with self.ws.lock:
                original.text, original.blocks = text, blocks
            self.ws.touch()
            return {"ok": True}
        if not text and not blocks:
            return error("no_text")
        public = body.get("response_type") == "in_channel"
        msg = self.ws.post_from_app(
            target.channel,
            text,
            blocks=blocks,
            thread_ts=str(body.get("thread_ts") or "") or None,
            only_for=None if public else target.user,
        )
        if not public:
            target.ephemeral_ts = msg.ts
        return {"ok": True}
