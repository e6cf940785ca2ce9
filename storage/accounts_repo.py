"""Accounts, hand-offs, checklist items and nudges (session first, never commit)."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import func, or_, select, update
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.orm import Session, selectinload

from storage.db import skip_locked
from storage.models import Account, ChecklistItem, Handoff, Member, Nudge, Workspace

NOT_CLOSED = ("incomplete", "needs_sales_rep", "needs_account_manager", "open", "transferred")


def get_account(session: Session, workspace_id: int, key: str) -> Account | None:
    """The account with this idempotency key."""
    return session.scalar(
        select(Account).where(Account.workspace_id == workspace_id, Account.key == key)
    )


def open_by_name(session: Session, workspace_id: int, name_key: str) -> Account | None:
    """The account whose hand-off is not closed and whose normalised name is this."""
    return session.scalar(
        select(Account).where(
            Account.workspace_id == workspace_id,
            Account.name_key == name_key,
            Account.status != "closed",
        )
    )


def insert_account(session: Session, values: dict[str, Any]) -> int | None:
    """Insert an account unless its key, or its name among open hand-offs, is taken (→ None).

    ON CONFLICT DO NOTHING without a target covers both unique indexes; on PostgreSQL a
    conflicting insert still in flight elsewhere is waited for, so the check is atomic.
    """
    ins = pg_insert if session.get_bind().dialect.name == "postgresql" else sqlite_insert
    stmt = ins(Account).values(**values).on_conflict_do_nothing().returning(Account.id)
    return session.execute(stmt).scalar()


def accounts_matching(
    session: Session, workspace_id: int, name_key: str, text: str
) -> list[Account]:
    """Hand-offs not closed whose normalised name is `name_key` or whose CRM id is `text`."""
    return list(
        session.scalars(
            select(Account)
            .where(
                Account.workspace_id == workspace_id,
                Account.status != "closed",
                or_(Account.name_key == name_key, Account.crm_id == text.strip()),
            )
            .order_by(Account.id)
        )
    )


def claim_assignment(session: Session, account_id: int, am: str, status: str, waiting: str) -> bool:
    """Set the account manager of a waiting account once; False when it no longer waits."""
    res = session.execute(
        update(Account)
        .where(Account.id == account_id, Account.status == waiting)
        .values(account_manager_id=am, status=status)
    )
    return res.rowcount == 1  # type: ignore[attr-defined,no-any-return]


def waiting_accounts(
    session: Session, status: str, workspace_id: int | None = None
) -> list[Account]:
    """Accounts in one waiting status (oldest first), in installed workspaces."""
    stmt = (
        select(Account)
        .join(Workspace, Workspace.id == Account.workspace_id)
        .where(Account.status == status, Workspace.installed.is_(True))
        .order_by(Account.id)
    )
    if workspace_id is not None:
        stmt = stmt.where(Account.workspace_id == workspace_id)
    return list(session.scalars(stmt))


def stale_setups(session: Session, before: datetime) -> list[int]:
    """Hand-offs ready for their space whose setup nobody started (a crash after the commit)."""
    return list(
        session.scalars(
            select(Handoff.id)
            .join(Account, Account.id == Handoff.account_id)
            .join(Workspace, Workspace.id == Account.workspace_id)
            .where(
                Handoff.status == "pending",
                Handoff.setup_claimed_at.is_(None),
                Handoff.created_at < before,
                Account.status.in_(("open", "transferred")),
                Workspace.installed.is_(True),
            )
        )
    )


def interrupt_stalled_setups(session: Session, before: datetime, why: str) -> int:
    """Setups claimed before `before` and never finished (the process stopped): failed, so
    they show as not started and can be retried; how many."""
    res = session.execute(
        update(Handoff)
        .where(Handoff.status == "setting_up", Handoff.setup_claimed_at < before)
        .values(status="failed", error=why[:300])
    )
    return res.rowcount  # type: ignore[attr-defined,no-any-return]


def reset_failed_setup(session: Session, handoff_id: int) -> bool:
    """Make a failed space setup claimable again (Retry); False unless it had failed."""
    res = session.execute(
        update(Handoff)
        .where(Handoff.id == handoff_id, Handoff.status == "failed")
        .values(status="pending", setup_claimed_at=None)
    )
    return res.rowcount == 1  # type: ignore[attr-defined,no-any-return]


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


def due_nudges(session: Session, now: datetime, limit: int = 200) -> list[tuple[int, int]]:
    """(nudge id, hand-off id) of unclaimed due nudges of open hand-offs, earliest first."""
    rows = session.execute(
        select(Nudge.id, Nudge.handoff_id)
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
    return [(int(nudge_id), int(handoff_id)) for nudge_id, handoff_id in rows]


def claim_nudge(
    session: Session, nudge_id: int, handoff_id: int, now: datetime, gap: timedelta
) -> bool:
    """Take one nudge for sending; False when another process has it, or when the hand-off
    had a nudge claimed within `gap` (one nudge per hand-off per scheduler pass)."""
    paced = session.execute(
        update(Handoff)
        .where(
            Handoff.id == handoff_id,
            or_(Handoff.nudged_at.is_(None), Handoff.nudged_at <= now - gap),
        )
        .values(nudged_at=now)
    )
    if paced.rowcount != 1:  # type: ignore[attr-defined]
        return False
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
                Account.status.in_(NOT_CLOSED),
            )
            .options(
                selectinload(Handoff.account),
                selectinload(Handoff.items),
                selectinload(Handoff.nudges),
            )
            .order_by(Account.won_at.desc(), Account.id.desc())
        )
    )
