"""What every group of simulated Web API methods shares: answers, arguments, lookups."""

from __future__ import annotations

import json
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from bot.demo.model import Channel, User
from bot.demo.workspace import Workspace

Answer = dict[str, Any]


def decode(value: Any) -> Any:
    """Arguments that arrive JSON-encoded in form posts (blocks, view, files)."""
    if isinstance(value, str):
        try:
            return json.loads(value)
        except ValueError:
            return None
    return value


def error(code: str) -> Answer:
    """Slack's `ok: false` answer."""
    return {"ok": False, "error": code}


class ApiBase:
    """One workspace, and the server's base URL (for upload and response URLs)."""

    def __init__(self, ws: Workspace, base: str) -> None:
        self.ws, self.base = ws, base

    def _channel(self, ref: str) -> Channel | None:
        """A channel id, or a user id meaning the app's DM with that person."""
        if ref.startswith(("U", "W")) and ref in self.ws.users:
            return self.ws.dm(ref)
        return self.ws.channels.get(ref)

    def channel_json(self, c: Channel) -> dict[str, Any]:
        """A conversation object."""
        return {
            "id": c.id,
            "name": c.name,
            "is_channel": c.kind == "public",
            "is_group": c.kind == "private",
            "is_im": c.kind == "im",
            "is_private": c.is_private,
            "created": c.created,
            "is_member": self.ws.bot.id in c.members,
            "user": c.user,
            "topic": {"value": c.topic},
            "num_members": len(c.members),
        }

    def user_json(self, user: User) -> dict[str, Any]:
        """users.info's `user` object."""
        offset = ZoneInfo(user.tz).utcoffset(self.ws.clock().replace(tzinfo=None))
        return {
            "id": user.id,
            "team_id": self.ws.team_id,
            "name": user.name,
            "real_name": user.real_name,
            "deleted": user.deleted,
            "tz": user.tz,
            "tz_label": datetime.now(ZoneInfo(user.tz)).tzname(),
            "tz_offset": int(offset.total_seconds()) if offset else 0,
            "is_admin": user.is_admin,
            "is_owner": user.is_owner,
            "is_bot": user.is_bot,
            "profile": {
                "real_name": user.real_name,
                "display_name": user.name,
                "email": user.email or None,
                "title": user.title,
                "status_text": user.status_text,
                "status_emoji": user.status_emoji,
            },
        }
