"""Reading what the app answered in Slack: a command's answer and a message's whole text."""

from __future__ import annotations

import json
from typing import Any

from tests.support.app import Running


def command(run: Running, text: str, user: str = "UBOSS") -> dict[str, Any]:
    """The ephemeral answer to `/rolesplit <text>` (through response_url when it says so)."""
    before = len(run.fake.responses)
    ack: dict[str, Any] = run.slack.command(text, user_id=user).json() or {}
    if "Working on" not in ack.get("text", ""):
        return ack
    answer: dict[str, Any] = run.fake.wait_for_response(before + 1)[-1]
    return answer


def all_text(message: dict[str, Any]) -> str:
    """A message's text and its blocks as JSON, to search in."""
    return str(message.get("text", "")) + json.dumps(
        message.get("blocks") or [], ensure_ascii=False
    )
