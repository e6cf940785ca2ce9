"""The simulated workspace's state, shared by the Web API, the driver and the page.

Every change bumps `version` and wakes the page's long poll.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from bot.demo.model import Channel, Message, Snapshot, StoredFile, User, View

TRIGGER_SECONDS = 30.0  # Slack's trigger ids last 3 s; a demo on a busy laptop gets longer


@dataclass
class Trigger:
    """A trigger_id handed to the app with a click, a command or a submission."""

    user: str
    created: float = field(default_factory=time.monotonic)
    used: bool = False


@dataclass
class ResponseTarget:
    """Where posts to a response_url land."""

    user: str
    channel: str
    message_ts: str | None = None  # the message that was clicked (None for a command)
    ephemeral_ts: str | None = None  # the last ephemeral answer through this url


@dataclass
class PendingUpload:
    """A file between files.getUploadURLExternal and files.completeUploadExternal."""

    name: str
    length: int
    content: bytes | None = None


class Workspace:
    """People, conversations, messages, files, views; ids and timestamps; change signalling."""

    def __init__(
        self,
        team_id: str,
        team_name: str,
        bot: User,
        token: str,
        clock: Callable[[], datetime],
    ) -> None:
        self.team_id, self.team_name, self.bot, self.token = team_id, team_name, bot, token
        self.bot_id, self.app_id = "B0ROLESPLIT", "A0ROLESPLIT"
        self.clock = clock
        self.lock = threading.RLock()
        self._changed = threading.Condition(self.lock)
        self.version = 0
        self.closing = False  # set on shutdown: long polls answer at once
        self.counter = 0
        self.users: dict[str, User] = {bot.id: bot}
        self.channels: dict[str, Channel] = {}
        self.messages: dict[str, list[Message]] = {}
        self._by_ts: dict[tuple[str, str], Message] = {}
        self.files: dict[str, StoredFile] = {}
        self.uploads: dict[str, PendingUpload] = {}
        self.views: dict[str, View] = {}
        self.stacks: dict[str, list[str]] = {}
        self.homes: dict[str, str] = {}
        self.triggers: dict[str, Trigger] = {}
        self.responses: dict[str, ResponseTarget] = {}

    # ------------------------------------------------------------------ change signalling
    def touch(self) -> None:
        """Something changed: wake the page."""
        with self._changed:
            self.version += 1
            self._changed.notify_all()

    def wait(self, seen: int, timeout: float) -> int:
        """Block (bounded) until the version moves past `seen`; the current version."""
        deadline = time.monotonic() + timeout
        with self._changed:
            while self.version <= seen and not self.closing:
                left = deadline - time.monotonic()
                if left <= 0:
                    break
                self._changed.wait(left)
            return self.version

    # ------------------------------------------------------------------ ids
    def next_id(self, prefix: str) -> str:
        """A fresh Slack-looking id (`V0000012`)."""
        with self.lock:
            self.counter += 1
            return f"{prefix}{self.counter:07d}"

    def next_ts(self) -> str:
        """A message timestamp at the demo clock's instant, unique and increasing."""
        with self.lock:
            self.counter += 1
            return f"{int(self.clock().timestamp())}.{self.counter % 1_000_000:06d}"

    # ------------------------------------------------------------------ people and channels
    def add_user(self, user: User) -> None:
        """A member of the workspace."""
        with self.lock:
            self.users[user.id] = user

    def people(self) -> list[User]:
        """Humans, by name."""
        return sorted(
            (u for u in self.users.values() if not u.is_bot and not u.deleted),
            key=lambda u: u.real_name,
        )

    def add_channel(self, channel: Channel) -> Channel:
        """A conversation (its message list starts empty)."""
        with self.lock:
            self.channels[channel.id] = channel
            self.messages.setdefault(channel.id, [])
        self.touch()
        return channel

    def dm(self, user_id: str) -> Channel:
        """The app's DM with a person, opened on first use."""
        with self.lock:
            cid = "D" + user_id[1:]
            channel = self.channels.get(cid)
            if channel is None:
                channel = Channel(
                    cid,
                    "",
                    "im",
                    int(self.clock().timestamp()),
                    [user_id, self.bot.id],
                    user=user_id,
                )
                self.add_channel(channel)
            return channel

    def visible_channels(self, user_id: str) -> list[Channel]:
        """Channels a person sees in the sidebar: the ones they are in, by name."""
        with self.lock:
            return sorted(
                (c for c in self.channels.values() if c.kind != "im" and user_id in c.members),
                key=lambda c: c.name,
            )

    # ------------------------------------------------------------------ messages
    def post(self, message: Message) -> Message:
        """Add a message at the end of its conversation."""
        with self.lock:
            self.messages.setdefault(message.channel, []).append(message)
            self._by_ts[(message.channel, message.ts)] = message
        self.touch()
        return message

    def post_from_app(self, channel: str, text: str, **details: Any) -> Message:
        """Post as the app's bot user (`details`: blocks, thread_ts, files, only_for)."""
        return self.post(Message(channel, self.next_ts(), self.bot.id, text, **details))

    def message(self, channel: str, ts: str) -> Message | None:
        """A message by conversation and ts."""
        with self.lock:
            return self._by_ts.get((channel, ts))

    def remove(self, message: Message) -> None:
        """Delete a message."""
        with self.lock:
            self.messages[message.channel].remove(message)
            self._by_ts.pop((message.channel, message.ts), None)
        self.touch()

    def history(self, channel: str, viewer: str) -> list[Message]:
        """Top-level messages of a conversation as one person sees them."""
        with self.lock:
            return [
                m
                for m in self.messages.get(channel, [])
                if m.thread_ts in (None, m.ts) and m.only_for in (None, viewer)
            ]

    def replies(self, channel: str, thread_ts: str, viewer: str) -> list[Message]:
        """A thread's replies as one person sees them."""
        with self.lock:
            return [
                m
                for m in self.messages.get(channel, [])
                if m.thread_ts == thread_ts and m.ts != thread_ts and m.only_for in (None, viewer)
            ]

    # ------------------------------------------------------------------ views
    def modal_stack(self, user_id: str) -> list[View]:
        """A person's open modals, bottom first."""
        with self.lock:
            return [self.views[v] for v in self.stacks.get(user_id, []) if v in self.views]

    def top_modal(self, user_id: str) -> View | None:
        """The modal a person sees."""
        stack = self.modal_stack(user_id)
        return stack[-1] if stack else None

    def home(self, user_id: str) -> View | None:
        """The Home tab the app published for a person."""
        with self.lock:
            vid = self.homes.get(user_id)
            return self.views.get(vid) if vid else None

    def close_modal(self, user_id: str, *, all_views: bool = False) -> None:
        """Pop the top modal (or every one)."""
        with self.lock:
            stack = self.stacks.get(user_id, [])
            gone = list(stack) if all_views else stack[-1:]
            for vid in gone:
                stack.remove(vid)
                self.views.pop(vid, None)
        self.touch()

    # ------------------------------------------------------------------ triggers and responses
    def new_trigger(self, user_id: str) -> str:
        """A trigger_id for one interaction of a person."""
        tid = f"{self.next_id('')}.{int(time.time())}.demo"
        with self.lock:
            self.triggers[tid] = Trigger(user_id)
        return tid

    def use_trigger(self, trigger_id: str) -> Trigger | str:
        """The trigger's owner, or Slack's error: `invalid_trigger_id`, `expired_trigger_id`,
        `trigger_exchanged`."""
        with self.lock:
            trigger = self.triggers.get(trigger_id)
            if trigger is None:
                return "invalid_trigger_id"
            if trigger.used:
                return "trigger_exchanged"
            if time.monotonic() - trigger.created > TRIGGER_SECONDS:
                return "expired_trigger_id"
            trigger.used = True
            return trigger

    def new_response_url(self, base: str, target: ResponseTarget) -> str:
        """A response_url on the simulated Slack that posts back into the conversation."""
        rid = self.next_id("R")
        with self.lock:
            self.responses[rid] = target
        return f"{base}/respond/{rid}"

    # ------------------------------------------------------------------ save and restore
    def snapshot(self) -> Snapshot:
        """What to save."""
        with self.lock:
            return Snapshot(
                clock=self.clock().isoformat(),
                counter=self.counter,
                users=list(self.users.values()),
                channels=list(self.channels.values()),
                messages=[m for ms in self.messages.values() for m in ms],
                files=list(self.files.values()),
                homes=[self.views[v] for v in self.homes.values() if v in self.views],
            )

    def restore(self, snap: Snapshot) -> None:
        """Load a saved workspace (the clock is restored by the caller)."""
        with self.lock:
            self.counter = snap.counter
            for u in snap.users:
                self.users[u.id] = u
            for c in snap.channels:
                self.channels[c.id] = c
                self.messages.setdefault(c.id, [])
            for m in snap.messages:
                self.messages.setdefault(m.channel, []).append(m)
                self._by_ts[(m.channel, m.ts)] = m
            self.files = {f.id: f for f in snap.files}
            for v in snap.homes:
                self.views[v.id] = v
                self.homes[v.user] = v.id
        self.touch()

    def describe(self) -> dict[str, Any]:
        """Counts, for the page's footer and the tests."""
        with self.lock:
            return {
                "users": len(self.people()),
                "channels": len(self.channels),
                "messages": sum(len(v) for v in self.messages.values()),
                "files": len(self.files),
            }
