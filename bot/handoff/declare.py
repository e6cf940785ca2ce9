"""Declaring a win, whatever the trigger (command, modal, webhook): one account, once, with its
checklist and nudge schedule; an account manager picked, or asked of the managers."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from decimal import Decimal

from sqlalchemy.orm import Session

from bot.handoff.rules import (
    Candidate,
    account_key,
    choose_account_manager,
    nudge_schedule,
)
from bot.handoff.space import ask_managers, setup_space
from bot.services import Services
from bot.timecalc import local_datetime, zone
from storage import accounts_repo as q
from storage import repo
from storage.db import insert_ignore
from storage.models import Account, ChecklistItem, Handoff, Nudge

NUDGE_AT = time(9, 0)  # nudges go out at 09:00 in the workspace's time zone


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
