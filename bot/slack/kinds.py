"""The one classifier of Slack requests: what a request is, for its log line and for the listener
pool (which listeners answer in the request's own thread)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class Kind:
    """A request's type (`command`, `event`, `block_actions`, …) and what it names."""

    type: str
    name: str | None = None  # the command, event type, action id or callback id
    sub: str = ""  # a command's first word (the /rolesplit subcommand)

    @property
    def label(self) -> str:
        """For the request's log line: `command:/rolesplit`, `event:message`, …"""
        return self.type if self.name is None else f"{self.type}:{self.name}"

    @property
    def key(self) -> tuple[str, str]:
        """What a listener is marked by: (type, callback or action id, or `/cmd sub`)."""
        name = self.name or ""
        return self.type, f"{name} {self.sub}" if self.type == "command" else name


def classify(body: Mapping[str, Any]) -> Kind:
    """What a Slack request is, from its parsed body."""
    kind = str(body.get("type") or "")
    if body.get("command"):
        sub = str(body.get("text") or "").strip().partition(" ")[0].lower()
        return Kind("command", str(body["command"]), sub)
    if kind == "event_callback":
        return Kind("event", str((body.get("event") or {}).get("type", "")))
    if kind == "block_actions":
        actions = body.get("actions") or [{}]
        return Kind(kind, str(actions[0].get("action_id", "")))
    if kind in ("view_submission", "view_closed"):
        return Kind(kind, str((body.get("view") or {}).get("callback_id", "")))
    if kind in ("shortcut", "message_action"):
        return Kind(kind, str(body.get("callback_id", "")))
    return Kind(kind)
