"""The hand-off space: a private channel (or a thread), its people and the introduction — once;
and DMs to the people who can act when something needs them."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from typing import Any

from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

from bot.handoff import texts
from bot.handoff import views as views
from bot.handoff.rules import channel_slug, numbered
from bot.handoff.schedule import SKIPPED, skip_overdue
from bot.services import Services
from bot.slack import outbound
from bot.slack.client import NoTokenError
from bot.timecalc import zone
from storage import accounts_repo as q
from storage import repo
from storage.models import Handoff, Workspace

log = logging.getLogger(__name__)
NO_CHANNELS = {"restricted_action", "missing_scope", "not_allowed_token_type"}
MAX_NAME_TRIES = 20


@dataclass(frozen=True)
class SpaceOutcome:
    """How setting the space up went: open (with a link), failed (why), or busy elsewhere."""

    status: str  # open | failed | busy
    link: str | None = None
    error: str | None = None
    message: str = ""  # for the person who started it


def workspace_of(services: Services, team_id: str) -> int:
    """The workspace's row id for work outside a request (created on first sight)."""
    with services.read() as s:
        ws = repo.get_workspace(s, team_id)
        if ws is not None:
            return ws.id
    with services.Session.begin() as s:
        return repo.ensure_workspace(s, team_id).id


def post_dms(
    services: Services, team_id: str, users: list[str], **message: Any
) -> list[dict[str, str]]:
    """DM each person (once) through the outbound sender; (user, channel, ts) of those sent."""
    sent = []
    for user in dict.fromkeys(users):
        out = outbound.post(services, team_id, user, **message)
        if out.status == "sent":
            sent.append({"user": user, "channel": out.channel, "ts": out.ts})
        else:
            log.warning("could not DM %s: %s", user, out.error, extra={"team_id": team_id})
    return sent


def tell(services: Services, team_id: str, users: list[str], text: str) -> None:
    """A plain DM to each person; a refusal by Slack is logged, never raised."""
    post_dms(services, team_id, users, text=text)


def managers_of(services: Services, team_id: str) -> list[str]:
    """Roster managers and ROLESPLIT_MANAGERS of a workspace."""
    with services.read() as s:
        ws = repo.get_workspace(s, team_id)
        return q.managers(s, ws.id, services.settings.managers) if ws else []


def tell_managers(
    services: Services, team_id: str, text: str, *, besides: str | None = None
) -> None:
    """A plain DM to every manager but `besides` (who is told in place)."""
    tell(services, team_id, [m for m in managers_of(services, team_id) if m != besides], text)


def space_link(services: Services, team_id: str, handoff: Handoff) -> str | None:
    """`<#C…>` for a channel, the thread's permalink in thread mode, None before the space."""
    if not handoff.channel_id or handoff.status not in ("open", "closed"):
        return None
    if handoff.mode != "thread" or not handoff.intro_ts:
        return f"<#{handoff.channel_id}>"
    try:
        resp = services.slack.for_team(team_id).chat_getPermalink(
            channel=handoff.channel_id, message_ts=handoff.intro_ts
        )
    except (SlackApiError, NoTokenError):
        return f"<#{handoff.channel_id}>"
    return f"<{resp['permalink']}|the hand-off thread in <#{handoff.channel_id}>>"


def setup_space(services: Services, handoff_id: int, declarer: str | None = None) -> SpaceOutcome:
    """Create the channel (or thread), invite people and post the introduction — once.

    A refusal by Slack leaves the hand-off failed (retryable, never shown as started); the
    declarer gets the reason in the outcome, the managers by DM.
    """
    now = services.now()
    with services.Session.begin() as s:
        if not q.claim_setup(s, handoff_id, now):
            return SpaceOutcome("busy")
        handoff = q.load_handoff(s, handoff_id)
        assert handoff is not None
        ws = s.get(Workspace, handoff.account.workspace_id)
        assert ws is not None
        cfg = services.config(ws)
        skip_overdue(s, handoff, cfg, now)
        team_id, acct, channel = ws.team_id, handoff.account, handoff.channel_id
        invitees = [
            u
            for u in (acct.sales_rep_id, acct.account_manager_id, *q.optin_managers(s, ws.id))
            if u
        ]
    mode, problems = cfg.handoff_mode, []
    base = channel_slug(acct.name)
    if mode == "channel" and channel is None:
        try:
            client = services.slack.for_team(team_id)
        except NoTokenError:
            refusal = texts.space_refusal(outbound.NO_TOKEN, None, base, False, None)
            return _failed(
                services, team_id, handoff_id, acct.name, outbound.NO_TOKEN, refusal, declarer
            )
        channel, error, needed = create_channel(client, base, private=not cfg.handoff_public)
        if channel is None and error in NO_CHANNELS and cfg.handoff_channel:
            mode = "thread"
            problems.append(
                f"I may not create channels here (`{error}`), so the hand-off is "
                f"a thread in <#{cfg.handoff_channel}> instead."
            )
        elif channel is None:
            refusal = texts.space_refusal(
                str(error), needed, base, not cfg.handoff_public, cfg.handoff_channel
            )
            return _failed(services, team_id, handoff_id, acct.name, str(error), refusal, declarer)
        else:
            _finish(services, handoff_id, channel=channel)  # a retry reuses it
            problems += _invite(client, channel, list(dict.fromkeys(invitees)))
    if mode == "thread":
        channel = cfg.handoff_channel
    out = outbound.post(
        services,
        team_id,
        channel or "",
        text=f"Hand-off: {acct.name}",
        blocks=intro(services, handoff_id),
    )
    if out.status != "sent":
        refusal = texts.space_refusal(out.error, out.needed or None, base, False, channel)
        return _failed(services, team_id, handoff_id, acct.name, out.error, refusal, declarer)
    _finish(
        services,
        handoff_id,
        status="open",
        mode=mode,
        channel=out.channel,
        intro_ts=out.ts,
        thread_ts=out.ts if mode == "thread" else None,
        error=None,
    )
    if problems:
        tell_managers(services, team_id, f"Hand-off *{acct.name}*: " + " ".join(problems))
    with services.read() as s:
        handoff = s.get(Handoff, handoff_id)
        assert handoff is not None
    return SpaceOutcome("open", link=space_link(services, team_id, handoff))


def _failed(
    services: Services,
    team_id: str,
    handoff_id: int,
    account: str,
    error: str,
    refusal: texts.Refusal,
    declarer: str | None,
) -> SpaceOutcome:
    _finish(services, handoff_id, status="failed", error=error[:300])
    log.warning("hand-off space refused: %s", error, extra={"team_id": team_id})
    tell_managers(services, team_id, texts.refused_for_managers(account, refusal), besides=declarer)
    return SpaceOutcome("failed", error=error, message=texts.refused_for_declarer(account, refusal))


def create_channel(
    client: WebClient, base: str, *, private: bool
) -> tuple[str | None, str | None, str | None]:
    """(channel id, None, None), or (None, Slack's error, the scope Slack says is needed)."""
    for n in range(1, MAX_NAME_TRIES + 1):
        try:
            resp = client.conversations_create(name=numbered(base, n), is_private=private)
            return resp["channel"]["id"], None, None
        except SlackApiError as err:
            error = str(err.response.get("error"))
            if error != "name_taken":
                return None, error, err.response.get("needed")
    return None, "name_taken", None


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


def intro(services: Services, handoff_id: int) -> list[dict[str, object]]:
    """The introduction's blocks as the hand-off stands now."""
    with services.read() as s:
        handoff = q.load_handoff(s, handoff_id)
        assert handoff is not None
        a = handoff.account
        ws = s.get(Workspace, a.workspace_id)
        assert ws is not None
        cfg = services.config(ws)
        tz = cfg.timezone
        items = [views.Item(i.key, i.label, i.done_by, i.done_at) for i in handoff.items]
        skipped = [
            (n.kind, n.due_at.astimezone(zone(tz)).date())
            for n in handoff.nudges
            if n.error == SKIPPED
        ]
        return views.intro_blocks(
            handoff_id,
            a.name,
            None if cfg.hide_deal_value else a.value,
            a.sales_rep_id,
            a.account_manager_id,
            a.transfer_on,
            items,
            a.notes,
            skipped=skipped,
            transferred=any(k == "transfer" for k, _ in skipped),
        )


def refresh_intro(services: Services, client: WebClient, handoff_id: int) -> None:
    """Redraw the introduction in place after a checklist change."""
    with services.read() as s:
        handoff = s.get(Handoff, handoff_id)
        if handoff is None or not handoff.intro_ts or not handoff.channel_id:
            return
        channel, ts, name = handoff.channel_id, handoff.intro_ts, handoff.account.name
    client.chat_update(
        channel=channel, ts=ts, text=f"Hand-off: {name}", blocks=intro(services, handoff_id)
    )


def retry_space(services: Services, team_id: str, handoff_id: int, user_id: str) -> str:
    """Retry a refused space from `/rolesplit handoffs`; what to tell the person who clicked."""
    with services.Session.begin() as s:
        handoff = q.load_handoff(s, handoff_id)
        ws = repo.get_workspace(s, team_id)
        if handoff is None or ws is None or handoff.account.workspace_id != ws.id:
            return "I can't find that hand-off any more."
        name, status = handoff.account.name, handoff.status
        if not q.reset_failed_setup(s, handoff_id):
            return f"*{name}* isn't waiting for a retry (it is {status})."
    outcome = setup_space(services, handoff_id, declarer=user_id)
    if outcome.status == "open":
        return f"🤝 Hand-off started for *{name}*: {outcome.link}."
    if outcome.status == "failed":
        return outcome.message
    return f"The *{name}* hand-off is being set up already."


def _finish(services: Services, handoff_id: int, **fields: object) -> None:
    with services.Session.begin() as s:
        handoff = s.get(Handoff, handoff_id)
        assert handoff is not None
        for key, value in fields.items():
            setattr(handoff, {"channel": "channel_id"}.get(key, key), value)
