"""What the simulated workspace holds: people, conversations, messages, files and views."""

from __future__ import annotations

import base64
import json
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

FORMAT = 1  # of the saved JSON file


@dataclass
class User:
    """A workspace member as users.info describes them."""

    id: str
    name: str
    real_name: str
    tz: str
    email: str = ""
    title: str = ""
    color: str = "#4a154b"
    is_admin: bool = False
    is_owner: bool = False
    is_bot: bool = False
    deleted: bool = False
    status_text: str = ""
    status_emoji: str = ""

    @property
    def first_name(self) -> str:
        """The first word of the real name."""
        return self.real_name.split()[0] if self.real_name else self.name

    @property
    def initials(self) -> str:
        """Two letters for the avatar."""
        parts = self.real_name.split() or [self.name]
        return "".join(p[0] for p in parts[:2]).upper()


@dataclass
class Channel:
    """A conversation: a DM with the app (`im`), or a public or private channel."""

    id: str
    name: str
    kind: str  # im | public | private
    created: int
    members: list[str] = field(default_factory=list)
    user: str | None = None  # the person of a DM
    topic: str = ""

    @property
    def is_private(self) -> bool:
        """Private channels and DMs are seen by their members only."""
        return self.kind != "public"


@dataclass
class Message:
    """A message (a reply when thread_ts is set; ephemeral when only_for is set)."""

    channel: str
    ts: str
    user: str
    text: str = ""
    blocks: list[dict[str, Any]] = field(default_factory=list)
    thread_ts: str | None = None
    files: list[str] = field(default_factory=list)
    only_for: str | None = None
    edited: bool = False

    def slack(self) -> dict[str, Any]:
        """The message as Slack sends it in payloads and API answers."""
        out: dict[str, Any] = {"type": "message", "user": self.user, "text": self.text}
        out["ts"] = self.ts
        if self.blocks:
            out["blocks"] = self.blocks
        if self.thread_ts:
            out["thread_ts"] = self.thread_ts
        if self.files:
            out["files"] = [{"id": f} for f in self.files]
        return out


@dataclass
class StoredFile:
    """An uploaded file: its bytes are kept and served to the page."""

    id: str
    name: str
    title: str
    mimetype: str
    content: bytes
    user: str
    created: int

    @property
    def is_image(self) -> bool:
        """Images are shown inline."""
        return self.mimetype.startswith("image/")


@dataclass
class View:
    """A modal or a Home tab, with what the person has typed (state) and inline errors."""

    id: str
    user: str
    type: str
    spec: dict[str, Any]
    hash: str
    root_id: str
    previous_id: str | None = None
    state: dict[str, dict[str, dict[str, Any]]] = field(default_factory=dict)
    errors: dict[str, str] = field(default_factory=dict)
    rev: int = 0

    def slack(self, team_id: str, app_id: str, bot_id: str) -> dict[str, Any]:
        """The view as Slack sends it (views.* answers, block_actions, view_submission)."""
        out = dict(self.spec)
        out.update(
            id=self.id,
            team_id=team_id,
            type=self.type,
            hash=self.hash,
            app_id=app_id,
            bot_id=bot_id,
            root_view_id=self.root_id,
            previous_view_id=self.previous_id,
            private_metadata=self.spec.get("private_metadata", ""),
            callback_id=self.spec.get("callback_id", ""),
            external_id=self.spec.get("external_id", ""),
            state={"values": self.state},
        )
        return out

    @property
    def key(self) -> str:
        """Changes whenever the page must draw the view again."""
        return f"{self.id}:{self.hash}:{self.rev}"


@dataclass
class Snapshot:
    """Everything worth keeping across a restart (modals and triggers are not)."""

    clock: str
    counter: int
    users: list[User]
    channels: list[Channel]
    messages: list[Message]
    files: list[StoredFile]
    homes: list[View]


def save(snapshot: Snapshot, path: Path) -> None:
    """Write the snapshot as JSON (file bytes in base64), atomically."""
    data = asdict(snapshot)
    data["format"] = FORMAT
    for f in data["files"]:
        f["content"] = base64.b64encode(f["content"]).decode()
    tmp = path.with_suffix(path.suffix + ".tmp")
    tmp.write_text(json.dumps(data))
    tmp.replace(path)


def load(path: Path) -> Snapshot | None:
    """The saved snapshot, or None when missing, unreadable or from another format."""
    try:
        data = json.loads(path.read_text())
        if data.get("format") != FORMAT:
            return None
        for f in data["files"]:
            f["content"] = base64.b64decode(f["content"])
        return Snapshot(
            clock=str(data["clock"]),
            counter=int(data["counter"]),
            users=[User(**u) for u in data["users"]],
            channels=[Channel(**c) for c in data["channels"]],
            messages=[Message(**m) for m in data["messages"]],
            files=[StoredFile(**f) for f in data["files"]],
            homes=[View(**v) for v in data["homes"]],
        )
    except (OSError, ValueError, KeyError, TypeError):
        return None
