"""Declaring a win, whatever started it: one account, one hand-off; then the space or a question."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from decimal import Decimal

from slack_sdk import WebClient
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from bot.config import WorkspaceConfig
from bot.handoff import texts
from bot.handoff.assign import advance, follow_up
from bot.handoff.rules import declare_refusal, normalise_name, plan_nudges
from bot.handoff.schedule import write_plan
from bot.handoff.space import managers_of, space_link
from bot.services import Services
from bot.slack.context import Request
from bot.timecalc import zone
from storage import accounts_repo as q
from storage import repo
from storage.models import Account, ChecklistItem, Handoff


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
    declared_by: str | None = None  # the Slack user who declared it (None: a webhook)
    crm: str | None = None  # a CRM's own delivery: hubspot | pipedrive | salesforce
    crm_owner: str | None = None  # the CRM owner's key ("id:…"/"email:…") when unmapped
    missing: tuple[str, ...] = ()


@dataclass(frozen=True)
class WinResult:
    """What a declaration did, for the webhook's answer and the declarer's message."""

    handoff_id: int
    status: str  # created | exists | needs_* | incomplete | space_failed
    text: str
    link: str | None = None
    error: str | None = None


@dataclass(frozen=True)
class Recorded:
    """A win written to the database (before any Slack call)."""

    account_id: int
    handoff_id: int
    status: str  # the account's status, or "exists"
    existing_status: str | None = None


def crm_key(crm: str | None, crm_id: str | None) -> str | None:
    """`crm:<id>` for the generic webhook's account id, `crm:<crm>:<deal>` for a CRM's own."""
    if not crm_id or not crm_id.strip():
        return None
    return ("crm:" + (f"{crm}:" if crm else "") + crm_id.strip())[:200]


def record_win(
    s: Session, workspace_id: int, cfg: WorkspaceConfig, win: WinInput, now: datetime
) -> Recorded:
    """Write the win once per account (CRM key for ever, normalised name among open ones)."""
    name = " ".join(win.account.split())[:200]
    name_key = (normalise_name(name)[:190] or None) if "account_name" not in win.missing else None
    key = crm_key(win.crm, win.crm_id)
    existing = _existing(s, workspace_id, key, name_key)
    if existing is not None:
        return _matched(s, existing, win, key, name, name_key, now)
    declared = now.astimezone(zone(cfg.timezone)).date()
    won = win.won_at or declared
    transfer_on = won + timedelta(days=cfg.transfer_days)
    account_id = q.insert_account(
        s,
        {
            "workspace_id": workspace_id,
            "key": key or f"win:{uuid.uuid4().hex}",
            "name": name or f"{texts.crm_name(win.crm)} deal {win.crm_id or '?'}"[:200],
            "name_key": name_key,
            "crm": win.crm,
            "crm_id": win.crm_id.strip()[:200] if win.crm_id else None,
            "crm_owner": win.crm_owner,
            "declared_by": win.declared_by,
            "missing": ",".join(win.missing)[:200] or None,
            "value": win.value,
            "won_at": won,
            "notes": win.notes,
            "sales_rep_id": win.sales_rep,
            "account_manager_id": win.account_manager,
            "owner_id": win.sales_rep,
            "transfer_on": transfer_on,
            "status": "incomplete",
            "source": win.source[:16],
            "created_at": now,
        },
    )
    if account_id is None:  # another trigger recorded the same account a moment ago
        existing = _existing(s, workspace_id, key, name_key)
        assert existing is not None, "a conflicting account must be visible after its commit"
        return _matched(s, existing, win, key, name, name_key, now)
    handoff = Handoff(
        account_id=account_id, mode=cfg.handoff_mode, status="pending", created_at=now
    )
    s.add(handoff)
    s.flush()
    for pos, (item_key, label) in enumerate(cfg.checklist):
        s.add(ChecklistItem(handoff_id=handoff.id, key=item_key, label=label, position=pos))
    plan = plan_nudges(won, declared, transfer_on, cfg.nudge_days, cfg.checkin_days)
    write_plan(s, handoff.id, plan, cfg.timezone, now)
    s.flush()
    account = s.get(Account, account_id)
    assert account is not None
    return Recorded(account_id, handoff.id, advance(s, account, now))


def _existing(
    s: Session, workspace_id: int, key: str | None, name_key: str | None
) -> Account | None:
    return (q.get_account(s, workspace_id, key) if key else None) or (
        q.open_by_name(s, workspace_id, name_key) if name_key else None
    )


def _matched(
    s: Session,
    existing: Account,
    win: WinInput,
    key: str | None,
    name: str,
    name_key: str | None,
    now: datetime,
) -> Recorded:
    handoff_id = s.query(Handoff.id).filter_by(account_id=existing.id).scalar() or 0
    if existing.status == "incomplete" and name_key and key == existing.key:
        # the CRM sent the details it lacked: complete the waiting hand-off, unless the name
        # belongs to another open hand-off by now
        other = q.open_by_name(s, existing.workspace_id, name_key)
        if other is None:
            existing.name, existing.name_key, existing.missing = name, name_key, None
            existing.sales_rep_id = existing.sales_rep_id or win.sales_rep
            existing.owner_id = existing.owner_id or win.sales_rep
            existing.crm_owner = existing.crm_owner or win.crm_owner
            existing.value = existing.value if existing.value is not None else win.value
            return Recorded(existing.id, handoff_id, advance(s, existing, now))
        existing.status, existing.closed_at = "closed", now
        existing.missing = f"same account as #{other.id}"
        return _matched(s, other, win, None, name, name_key, now)
    if key and not existing.key.startswith("crm:"):
        # a CRM id for an account first declared by name: remember it (close by id, re-deliveries)
        try:
            with s.begin_nested():
                existing.key, existing.crm, existing.crm_id = key, win.crm, win.crm_id
        except IntegrityError:
            s.refresh(existing)
    return Recorded(existing.id, handoff_id, "exists", existing.status)


def declare_win(services: Services, team_id: str, win: WinInput) -> WinResult:
    """Record the win once per account, then open its space or ask who can unblock it."""
    now = services.now()
    with services.Session.begin() as s:
        ws = repo.ensure_workspace(s, team_id)
        recorded = record_win(s, ws.id, services.config(ws), win, now)
    return settle(services, team_id, recorded, win.declared_by)


def settle(services: Services, team_id: str, recorded: Recorded, declarer: str | None) -> WinResult:
    """After the commit: the link to an existing space, or the new hand-off's next step."""
    if recorded.status == "exists":
        with services.read() as s:
            handoff = s.get(Handoff, recorded.handoff_id)
            account = s.get(Account, recorded.account_id)
            assert account is not None
        link = space_link(services, team_id, handoff) if handoff else None  # after the read
        text = texts.existing_text(account.name, account.status, link)
        return WinResult(recorded.handoff_id, "exists", text, link)
    result = follow_up(services, team_id, recorded.account_id, declarer)
    return WinResult(recorded.handoff_id, result.status, result.text, result.link, result.error)


def declare_check(req: Request, rep: str | None, client: WebClient) -> str | None:
    """None when the caller may declare this win; else who can, and what to do."""
    member = req.member
    role = member.role if member is not None and member.active else None
    refusal = declare_refusal(req.user_id, rep, req.is_manager(client), role)
    if refusal is None:
        return None
    managers = managers_of(req.services, req.team_id)
    ask = (
        f" Ask {texts.people(managers[:5])} to declare it."
        if managers
        else " Ask a workspace admin to declare it, or to add you to the roster."
    )
    return refusal + ask


def workspace_today(services: Services, team_id: str) -> date:
    """Today in the workspace's time zone (for work outside a request)."""
    with services.read() as s:
        ws = repo.get_workspace(s, team_id)
        tz = services.config(ws).timezone if ws is not None else services.settings.timezone
    return services.now().astimezone(zone(tz)).date()
