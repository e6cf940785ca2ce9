"""The hand-off flow shared by every trigger: one account, one space, one introduction."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from typing import Any

from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError
from sqlalchemy.orm import Session

from bot.handoff import views as views
from bot.handoff.rules import (
    Candidate,
    account_key,
    channel_slug,
    choose_account_manager,
    nudge_schedule,
    numbered,
)
from bot.services import Services
from bot.slack import outbound
from bot.timecalc import local_datetime, zone
from storage import accounts_repo as q
from storage import repo
from storage.db import insert_ignore
from storage.models import Account, ChecklistItem, Handoff, Nudge, Workspace

log = logging.getLogger(__name__)
NUDGE_AT = time(9, 0)  # nudges go out at 09:00 in the workspace's time zone
NO_CHANNELS = {"restricted_action", "missing_scope", "not_allowed_token_type"}
MAX_NAME_TRIES = 20


@dataclass
class WinInput:
    """A won account as any trigger reports it."""

    account: str
    sales_rep: str | None
    account_manager: str | None = None
    value: Decimal | None = None
    won_at: date | None = None
    notes: str | None = None
    crm_id: str | None = None
    source: str = "command"


def declare_win(services: Services, team_id: str, win: WinInput) -> tuple[int, str]:
    """Record the win once per account: (hand-off id, created|exists|needs_account_manager)."""
    now = services.now()
    with services.Session.begin() as s:
        ws = repo.ensure_workspace(s, team_id)
        cfg = services.config(ws)
        key = account_key(win.account, win.crm_id)
        won = win.won_at or now.astimezone(zone(cfg.timezone)).date()
        transfer_on = won + timedelta(days=cfg.transfer_days)
        fresh = insert_ignore(
            s,
            Account,
            {
                "workspace_id": ws.id,
                "key": key,
                "name": win.account.strip()[:200],
                "crm_id": win.crm_id,
                "value": win.value,
                "won_at": won,
                "notes": win.notes,
                "sales_rep_id": win.sales_rep,
                "account_manager_id": None,
                "owner_id": win.sales_rep,
                "transfer_on": transfer_on,
                "status": "needs_account_manager",
                "source": win.source,
                "created_at": now,
            },
            ["workspace_id", "key"],
        )
        account = q.get_account(s, ws.id, key)
        assert account is not None
        if not fresh:
            existing = s.query(Handoff).filter_by(account_id=account.id).one_or_none()
            return (existing.id if existing else 0), "exists"
        am = win.account_manager or _pick_farmer(s, ws.id, exclude=win.sales_rep)
        handoff = Handoff(
            account_id=account.id, mode=cfg.handoff_mode, status="pending", created_at=now
        )
        s.add(handoff)
        s.flush()
        for pos, (item_key, label) in enumerate(cfg.checklist):
            s.add(ChecklistItem(handoff_id=handoff.id, key=item_key, label=label, position=pos))
        tz = zone(cfg.timezone)
        for kind, day in nudge_schedule(won, transfer_on, cfg.nudge_days):
            s.add(
                Nudge(
                    handoff_id=handoff.id,
                    kind=kind,
                    due_at=local_datetime(day, NUDGE_AT, tz),
                    attempts=0,
                )
            )
        handoff_id = handoff.id
        if am:
            _assign(s, ws.id, account, am, now)
        managers = q.managers(s, ws.id, services.settings.managers)
    if am:
        setup_space(services, handoff_id)
        return handoff_id, "created"
    ask_managers(
        services, team_id, handoff_id, win.account, managers, "no farmer is free to take it."
    )
    return handoff_id, "needs_account_manager"


def _pick_farmer(s: Session, workspace_id: int, exclude: str | None) -> str | None:
    counts = q.open_counts(s, workspace_id)
    return choose_account_manager(
        [
            Candidate(
                m.user_id,
                counts.get(m.user_id, 0),
                m.last_assigned_at.toordinal() if m.last_assigned_at else None,
            )
            for m in q.farmers(s, workspace_id)
            if m.user_id != exclude
        ]
    )


def _assign(s: Session, workspace_id: int, account: Account, am: str, now: datetime) -> None:
    account.account_manager_id, account.status = am, "open"
    member = repo.get_member(s, workspace_id, am)
    if member is not None:
        member.last_assigned_at = now


def assign_later(services: Services, team_id: str, handoff_id: int, am: str) -> bool:
    """A manager picked the account manager: complete the hand-off once."""
    with services.Session.begin() as s:
        handoff = q.load_handoff(s, handoff_id)
        ws = repo.get_workspace(s, team_id)
        if handoff is None or ws is None or handoff.account.workspace_id != ws.id:
            return False
        if handoff.account.status != "needs_account_manager":
            return False
        _assign(s, ws.id, handoff.account, am, services.now())
    setup_space(services, handoff_id)
    return True


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
    try:
        resp = client.chat_postMessage(
            channel=channel or "", text=f"Hand-off: {acct.name}", blocks=blocks
        )
    except SlackApiError as err:
        _finish(services, handoff_id, status="failed", error=str(err.response.get("error")))
        tell_managers(
            services,
            team_id,
            f"⚠️ The *{acct.name}* introduction could not be posted: `{err.response.get('error')}`.",
        )
        return
    _finish(
        services,
        handoff_id,
        status="open",
        mode=mode,
        channel=resp["channel"],
        intro_ts=resp["ts"],
        thread_ts=resp["ts"] if mode == "thread" else None,
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
