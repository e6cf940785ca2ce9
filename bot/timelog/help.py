"""The DM's help: `help`, `hi` or `?` typed to the bot answers with what can be typed there and
the day's buttons (Log hours, Same as yesterday, Day off)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from slack_sdk import WebClient

from bot.slack.context import Request
from bot.timelog import views
from bot.timelog.names import CategoryRef
from storage import repo


def reply(
    req: Request,
    client: WebClient,
    channel: str,
    key: str,
    categories: Sequence[CategoryRef],
    today: date,
) -> bool:
    """Answer a request for help once per message (Slack retries claim the same key)."""
    with req.services.Session.begin() as s:
        first = repo.claim_key(s, key, req.services.now())
    if first:
        text, blocks = views.dm_help(categories, today)
        client.chat_postMessage(channel=channel, text=text, blocks=blocks)
    return first
