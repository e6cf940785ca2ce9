"""Accounts, hand-offs, checklist items and nudges (session first, never commit)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import func, select, update
from sqlalchemy.orm import Session, selectinload

from storage.db import skip_locked
from storage.models import Account, ChecklistItem, Handoff, Member, Nudge, Workspace


def get_account(session: Session, workspace_id: int, key: str) -> Account | None:
    """The account with this idempotency key."""
    return session.scalar(
        select(Account).where(Account.workspace_id == workspace_id, Account.key == key)
    )


def farmers(session: Session, workspace_id: int) -> list[Member]:
    """Active farmers of a workspace."""
    return list(
        session.scalars(
            select(Member).where(
                Member.workspace_id == workspace_id,
                Member.active.is_(True),
                Member.role == "farmer",
            )
        )
    )


def open_counts(session: Session, workspace_id: int) -> dict[str, int]:
    """Open hand-offs per account manager."""
    rows = session.execute(
        select(Account.account_manager_id, func.count())
        .where(
            Account.workspace_id == workspace_id,
            Account.status == "open",
            Account.account_manager_id.is_not(None),
        )
        .group_by(Account.account_manager_id)
    )
    return {am: int(n) for am, n in rows if am is not None}


def managers(session: Session, workspace_id: int, extra: tuple[str, ...]) -> list[str]:
    """Manager user ids: ROLESPLIT_MANAGERS plus active roster managers."""
    rows = session.scalars(
        select(Member.user_id).where(
            Member.workspace_id == workspace_id, Member.active.is_(True), Member.role == "manager"
        )
    )
    return list(dict.fromkeys([*extra, *rows]))


def optin_managers(session: Session, workspace_id: int) -> list[str]:
    """Managers who asked to be invited to every hand-off channel."""
    return list(
        session.scalars(
            select(Member.user_id).where(
                Member.workspace_id == workspace_id,
                Member.active.is_(True),
                Member.role == "manager",
                Member.handoff_optin.is_(True),
            )
        )
    )


def load_handoff(session: Session, handoff_id: int) -> Handoff | None:
    """A hand-off with its account, items and nudges."""
    return session.scalar(
        select(Handoff)
        .where(Handoff.id == handoff_id)
        .options(
            selectinload(Handoff.account), selectinload(Handoff.items), selectinload(Handoff.nudges)
        )
    )


def claim_setup(session: Session, handoff_id: int, now: datetime) -> bool:
    """Take the creation of the hand-off space; False when another process has it."""
    res = session.execute(
        update(Handoff)
        .where(Handoff.id == handoff_id, Handoff.setup_claimed_at.is_(None))
        .values(setup_claimed_at=now, status="setting_up")
    )
    return res.rowcount == 1  # type: ignore[attr-defined,no-any-return]


def set_item(
    session: Session, handoff_id: int, key: str, done: bool, user_id: str, now: datetime
) -> bool:
    """Tick or untick one item; False when it already was in that state (a replayed click)."""
    item = session.scalar(
        select(ChecklistItem)
        .where(ChecklistItem.handoff_id == handoff_id, ChecklistItem.key == key)
        .with_for_update()
        # the row may already sit in the session (loaded with its hand-off) from before the
        # lock was granted: read it again, or a second click would see the old state
        .execution_options(populate_existing=True)
    )
    if item is None or bool(item.done_by) == done:
        return False
    item.done_by, item.done_at = (user_id, now) if done else (None, None)
    return True


def due_nudges(session: Session, now: datetime, limit: int = 200) -> list[int]:
    """Unclaimed nudges that are due, of open hand-offs in installed workspaces."""
    return list(
        session.scalars(
            select(Nudge.id)
            .join(Handoff, Handoff.id == Nudge.handoff_id)
            .join(Account, Account.id == Handoff.account_id)
            .join(Workspace, Workspace.id == Account.workspace_id)
            .where(
                Nudge.claimed_at.is_(None),
                Nudge.due_at <= now,
                Handoff.status == "open",
                Account.status.in_(("open", "transferred")),
                Workspace.installed.is_(True),
            )
            .order_by(Nudge.due_at)
            .limit(limit)
            .with_for_update(of=Nudge, **skip_locked(session))
        )
    )


def claim_nudge(session: Session, nudge_id: int, now: datetime) -> bool:
    """Take one nudge for sending; False when another process already did."""
    res = session.execute(
        update(Nudge)
        .where(Nudge.id == nudge_id, Nudge.claimed_at.is_(None))
        .values(claimed_at=now, attempts=Nudge.attempts + 1)
    )
    return res.rowcount == 1  # type: ignore[attr-defined,no-any-return]


def open_handoffs(session: Session, workspace_id: int) -> list[Handoff]:
    """Hand-offs not yet closed, newest first, with items and nudges."""
    return list(
        session.scalars(
            select(Handoff)
            .join(Account, Account.id == Handoff.account_id)
            .where(
                Account.workspace_id == workspace_id,
                Account.status.in_(("open", "transferred", "needs_account_manager")),
            )
            .options(
                selectinload(Handoff.account),
                selectinload(Handoff.items),
                selectinload(Handoff.nudges),
            )
            .order_by(Account.won_at.desc(), Account.id.desc())
        )
    )
