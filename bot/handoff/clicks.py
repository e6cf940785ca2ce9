"""Clicks on hand-off messages: checklist ticks, answers to questions, Retry."""

from __future__ import annotations

from typing import Any

from slack_bolt import Ack, Respond
from slack_sdk import WebClient

from bot.handoff.assign import pick_account_manager
from bot.handoff.owners import pick_rep
from bot.handoff.space import refresh_intro, retry_space
from bot.services import Services
from bot.slack.router import is_manager
from storage import accounts_repo as q
from storage import repo
from storage.models import Workspace


def on_toggle(ack: Ack, body: dict[str, Any], client: WebClient, services: Services) -> None:
    """Tick or untick a checklist item; the value carries the intent, so replays do nothing."""
    ack()
    raw = body["actions"][0].get("value") or ""
    try:
        handoff_id_s, key, intent = raw.split(":")
        handoff_id = int(handoff_id_s)
    except ValueError:
        return
    with services.Session.begin() as s:
        ws = repo.get_workspace(s, body["team"]["id"])
        handoff = q.load_handoff(s, handoff_id)
        if ws is None or handoff is None or handoff.account.workspace_id != ws.id:
            return
        changed = q.set_item(
            s, handoff_id, key, intent == "tick", body["user"]["id"], services.now()
        )
    if changed:
        refresh_intro(services, client, handoff_id)


def _picked_id(body: dict[str, Any]) -> tuple[int, str] | None:
    action = body["actions"][0]
    try:
        target = int(str(action.get("block_id", "")).split(":")[1])
    except (IndexError, ValueError):
        return None
    user = action.get("selected_user")
    return (target, str(user)) if user else None


def _reply(client: WebClient, body: dict[str, Any], text: str) -> None:
    channel = (body.get("container") or {}).get("channel_id") or body["user"]["id"]
    client.chat_postMessage(channel=channel, text=text)


def on_pick_am(ack: Ack, body: dict[str, Any], client: WebClient, services: Services) -> None:
    """Someone asked chose the account manager for a waiting hand-off."""
    ack()
    picked = _picked_id(body)
    if picked is not None:
        text = pick_account_manager(
            services, body["team"]["id"], picked[0], picked[1], body["user"]["id"]
        )
        _reply(client, body, text)


def on_pick_rep(ack: Ack, body: dict[str, Any], client: WebClient, services: Services) -> None:
    """Someone asked named the sales rep (and so mapped the CRM owner)."""
    ack()
    picked = _picked_id(body)
    if picked is not None:
        text = pick_rep(services, body["team"]["id"], picked[0], picked[1], body["user"]["id"])
        _reply(client, body, text)


def on_retry(ack: Ack, body: dict[str, Any], respond: Respond, services: Services) -> None:
    """Retry a hand-off whose space Slack refused (from `/rolesplit handoffs`)."""
    ack()
    try:
        handoff_id = int(body["actions"][0].get("value") or "")
    except ValueError:
        return
    team_id, user_id = body["team"]["id"], body["user"]["id"]
    with services.read() as s:
        ws = s.get(Workspace, services.workspace_id(team_id))
        assert ws is not None
        allowed = is_manager(services, s, ws, user_id, services.client_for(team_id))
    text = (
        retry_space(services, team_id, handoff_id, user_id)
        if allowed
        else "Only managers can retry a hand-off."
    )
    respond(response_type="ephemeral", replace_original=False, text=text)
