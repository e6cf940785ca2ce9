"""Clicks on hand-off messages: checklist ticks, answers to questions, Retry."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from slack_bolt import Ack, BoltContext, Respond
from slack_sdk import WebClient

from bot.handoff.assign import pick_account_manager
from bot.handoff.owners import pick_rep
from bot.handoff.space import refresh_intro, retry_space
from bot.slack.context import Request, request_of
from storage import accounts_repo as q


def on_toggle(ack: Ack, body: dict[str, Any], context: BoltContext, client: WebClient) -> None:
    """Tick or untick a checklist item (stored before the ack); the value carries the intent,
    so replays do nothing."""
    req = request_of(context)
    changed = _toggle(req, body["actions"][0].get("value") or "")
    ack()
    if changed is not None:
        refresh_intro(req.services, client, changed)


def _toggle(req: Request, raw: str) -> int | None:
    """Store the tick; the hand-off's id when it changed anything."""
    services, ws = req.services, req.workspace
    try:
        handoff_id_s, key, intent = raw.split(":")
        handoff_id = int(handoff_id_s)
    except ValueError:
        return None
    if ws is None:
        return None
    with services.Session.begin() as s:
        handoff = q.load_handoff(s, handoff_id)
        if handoff is None or handoff.account.workspace_id != ws.id:
            return None
        changed = q.set_item(s, handoff_id, key, intent == "tick", req.user_id, services.now())
    return handoff_id if changed else None


def _picked_id(body: dict[str, Any]) -> tuple[int, str] | None:
    action = body["actions"][0]
    try:
        target = int(str(action.get("block_id", "")).split(":")[1])
    except (IndexError, ValueError):
        return None
    user = action.get("selected_user")
    return (target, str(user)) if user else None


def _answer_pick(
    body: dict[str, Any],
    context: BoltContext,
    client: WebClient,
    pick: Callable[[Request, WebClient, int, str], str],
) -> None:
    """Apply a person picked in a question's menu and reply where they clicked (else by DM)."""
    picked = _picked_id(body)
    if picked is None:
        return
    req = request_of(context)
    text = pick(req, client, picked[0], picked[1])
    channel = (body.get("container") or {}).get("channel_id") or req.user_id
    client.chat_postMessage(channel=channel, text=text)


def on_pick_am(ack: Ack, body: dict[str, Any], context: BoltContext, client: WebClient) -> None:
    """Someone asked chose the account manager for a waiting hand-off."""
    ack()
    _answer_pick(body, context, client, pick_account_manager)


def on_pick_rep(ack: Ack, body: dict[str, Any], context: BoltContext, client: WebClient) -> None:
    """Someone asked named the sales rep (and so mapped the CRM owner)."""
    ack()
    _answer_pick(body, context, client, pick_rep)


def on_retry(
    ack: Ack, body: dict[str, Any], context: BoltContext, client: WebClient, respond: Respond
) -> None:
    """Retry a hand-off whose space Slack refused (from `/rolesplit handoffs`)."""
    ack()
    try:
        handoff_id = int(body["actions"][0].get("value") or "")
    except ValueError:
        return
    req = request_of(context)
    text = (
        retry_space(req.services, req.team_id, handoff_id, req.user_id)
        if req.is_manager(client)
        else "Only managers can retry a hand-off."
    )
    respond(response_type="ephemeral", replace_original=False, text=text)
