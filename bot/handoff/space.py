"""The hand-off space: the channel (or thread) created once, its people invited, the introduction
posted and redrawn; and DMs to the managers when something needs them."""

from __future__ import annotations

import logging
from typing import Any

from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

from bot.handoff import views as views
from bot.handoff.rules import (
    channel_slug,
    numbered,
)
from bot.services import Services
from bot.slack import outbound
from storage import accounts_repo as q
from storage import repo
from storage.models import Handoff, Workspace

log = logging.getLogger(__name__)
NO_CHANNELS = {"restricted_action", "missing_scope", "not_allowed_token_type"}
MAX_NAME_TRIES = 20


def ask_managers(
    services: Services,
    team_id: str,
    handoff_id: int,
    account: str,
    managers: list[str],
    reason: str,
) -> None:
    """DM each manager a user select to choose the account manager."""
    blocks = views.pick_am_blocks(handoff_id, account, reason)
    _dm(services, team_id, managers, text=f"{account} needs an account manager", blocks=blocks)


def tell_managers(services: Services, team_id: str, text: str) -> None:
    """A plain DM to every manager (fallbacks and failures are never silent)."""
    with services.read() as s:
        ws = repo.get_workspace(s, team_id)
        people = q.managers(s, ws.id, services.settings.managers) if ws else []
    _dm(services, team_id, people, text=text)


def _dm(services: Services, team_id: str, people: list[str], **message: Any) -> None:
    for person in people:
        out = outbound.post(services, team_id, person, **message)
        if out.status != "sent":
            log.warning("could not DM %s: %s", person, out.error, extra={"team_id": team_id})


def setup_space(services: Services, handoff_id: int) -> None:
    """Create the channel (or thread), invite people and post the introduction — once."""
    now = services.now()
    with services.Session.begin() as s:
        if not q.claim_setup(s, handoff_id, now):
            return
        handoff = q.load_handoff(s, handoff_id)
        assert handoff is not None
        ws = s.get(Workspace, handoff.account.workspace_id)
        assert ws is not None
        cfg = services.config(ws)
        team_id, acct = ws.team_id, handoff.account
        invitees = [
            u
            for u in (acct.sales_rep_id, acct.account_manager_id, *q.optin_managers(s, ws.id))
            if u
        ]
    client = services.slack.for_team(team_id)
    mode, channel, problems = cfg.handoff_mode, None, []
    if mode == "channel":
        channel, error = _create_channel(client, acct.name)
        if channel is None and error in NO_CHANNELS and cfg.handoff_channel:
            mode = "thread"
            problems.append(
                f"I may not create channels here (`{error}`), so the hand-off is "
                f"a thread in <#{cfg.handoff_channel}> instead."
            )
        elif channel is None:
            _finish(services, handoff_id, status="failed", error=error)
            tell_managers(
                services,
                team_id,
                f"⚠️ I couldn't open a hand-off channel for *{acct.name}*: Slack said "
                f"`{error}`. Give the app the channels:manage scope, or set a hand-off "
                "channel for thread mode in `/rolesplit settings`.",
            )
            return
        else:
            problems += _invite(client, channel, list(dict.fromkeys(invitees)))
    if mode == "thread":
        channel = cfg.handoff_channel
    blocks = _intro(services, handoff_id)
    out = outbound.post(
        services, team_id, channel or "", text=f"Hand-off: {acct.name}", blocks=blocks
    )
    if out.status != "sent":
        _finish(services, handoff_id, status="failed", error=out.error)
        tell_managers(
            services,
            team_id,
            f"⚠️ The *{acct.name}* introduction could not be posted: `{out.error}`.",
        )
        return
    _finish(
        services,
        handoff_id,
        status="open",
        mode=mode,
        channel=out.channel,
        intro_ts=out.ts,
        thread_ts=out.ts if mode == "thread" else None,
    )
    if problems:
        tell_managers(services, team_id, f"Hand-off *{acct.name}*: " + " ".join(problems))


def _create_channel(client: WebClient, account: str) -> tuple[str | None, str | None]:
    base = channel_slug(account)
    for n in range(1, MAX_NAME_TRIES + 1):
        try:
            resp = client.conversations_create(name=numbered(base, n), is_private=False)
            return resp["channel"]["id"], None
        except SlackApiError as err:
            error = str(err.response.get("error"))
            if error != "name_taken":
                return None, error
    return None, "name_taken"


def _invite(client: WebClient, channel: str, users: list[str]) -> list[str]:
    problems = []
    for user in users:
        try:
            client.conversations_invite(channel=channel, users=user)
        except SlackApiError as err:
            error = err.response.get("error")
            if error != "already_in_channel":
                problems.append(f"<@{user}> could not be invited (`{error}`).")
    return problems


def _intro(services: Services, handoff_id: int) -> list[dict[str, object]]:
    with services.Session() as s:
        handoff = q.load_handoff(s, handoff_id)
        assert handoff is not None
        a = handoff.account
        items = [views.Item(i.key, i.label, i.done_by, i.done_at) for i in handoff.items]
        return views.intro_blocks(
            handoff_id,
            a.name,
            a.value,
            a.sales_rep_id,
            a.account_manager_id,
            a.transfer_on,
            items,
            a.notes,
        )


def refresh_intro(services: Services, client: WebClient, handoff_id: int) -> None:
    """Redraw the introduction in place after a checklist change."""
    with services.Session() as s:
        handoff = s.get(Handoff, handoff_id)
        if handoff is None or not handoff.intro_ts or not handoff.channel_id:
            return
        channel, ts, name = handoff.channel_id, handoff.intro_ts, handoff.account.name
    client.chat_update(
        channel=channel, ts=ts, text=f"Hand-off: {name}", blocks=_intro(services, handoff_id)
    )


def _finish(services: Services, handoff_id: int, **fields: object) -> None:
    with services.Session.begin() as s:
        handoff = s.get(Handoff, handoff_id)
        assert handoff is not None
        for key, value in fields.items():
            setattr(handoff, {"channel": "channel_id"}.get(key, key), value)
