"""The reps' side in storage: welcome claims, the managers' first-start claim, days at a glance.

Session first, never commit. Each claim is one atomic UPDATE whose RETURNING says who won it.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import func, select, update
from sqlalchemy.orm import Session

from storage.models import REP_ROLES, DayLog, Member, Workspace

WELCOME_KINDS = ("first", "again")
_NO_SYNC = {"synchronize_session": False}


def _update_row(
    session: Session, model: type[Member] | type[Workspace], row_id: int, **values: object
) -> None:
    """Set columns of one row by id, leaving the session's loaded objects as they are."""
    session.execute(
        update(model).where(model.id == row_id).values(**values).execution_options(**_NO_SYNC)
    )


# ---------------------------------------------------------------- the welcome DM


def owe_welcome(session: Session, member: Member, kind: str) -> None:
    """Mark a member as owed a welcome (`first`, or `again` after a removal)."""
    if kind not in WELCOME_KINDS:
        raise ValueError(f"unknown welcome {kind!r}")
    member.welcome_due, member.welcome_claimed_at = kind, None


@dataclass(frozen=True)
class WelcomeDue:
    """A rep owed a welcome DM."""

    member_id: int
    user_id: str
    team_id: str


def due_welcomes(
    session: Session, member_ids: list[int] | None = None, limit: int = 500
) -> list[WelcomeDue]:
    """Active reps of installed workspaces owed a welcome and not claimed by anyone."""
    stmt = (
        select(Member.id, Member.user_id, Workspace.team_id)
        .join(Workspace, Workspace.id == Member.workspace_id)
        .where(
            Workspace.installed.is_(True),
            Member.active.is_(True),
            Member.role.in_(REP_ROLES),
            Member.welcome_due.is_not(None),
            Member.welcome_claimed_at.is_(None),
        )
        .order_by(Member.id)
        .limit(limit)
    )
    if member_ids is not None:
        stmt = stmt.where(Member.id.in_(member_ids))
    return [WelcomeDue(*row) for row in session.execute(stmt)]


def claim_welcome(session: Session, member_id: int, lease: datetime) -> str | None:
    """Take one member's welcome for sending: its kind, or None when it is not ours to send."""
    row = session.execute(
        update(Member)
        .where(
            Member.id == member_id,
            Member.welcome_due.is_not(None),
            Member.welcome_claimed_at.is_(None),
        )
        .values(welcome_claimed_at=lease)
        .returning(Member.welcome_due)
        .execution_options(**_NO_SYNC)
    ).first()
    return None if row is None else str(row[0])


def finish_welcome(session: Session, member_id: int, sent_at: datetime | None) -> None:
    """The welcome is settled: sent (at `sent_at`) or given up for good."""
    values: dict[str, object] = {"welcome_due": None, "welcome_claimed_at": None}
    if sent_at is not None:
        values["welcomed_at"] = sent_at
    _update_row(session, Member, member_id, **values)


def release_welcome(session: Session, member_id: int) -> None:
    """Give a claimed welcome back (nothing was sent): a later pass tries again."""
    _update_row(session, Member, member_id, welcome_claimed_at=None)


def expire_welcome_claims(session: Session, older_than: datetime) -> int:
    """Claims whose sender vanished are settled unsent-or-sent: never a second welcome."""
    ids = list(
        session.scalars(
            update(Member)
            .where(Member.welcome_claimed_at < older_than, Member.welcome_due.is_not(None))
            .values(welcome_due=None, welcome_claimed_at=None)
            .returning(Member.id)
            .execution_options(**_NO_SYNC)
        )
    )
    return len(ids)


# ---------------------------------------------------------------- the first start


def claim_greeting(session: Session, workspace_id: int, now: datetime) -> bool:
    """Take the workspace's one first-start message; False when it was taken before."""
    row = session.execute(
        update(Workspace)
        .where(Workspace.id == workspace_id, Workspace.greeted_at.is_(None))
        .values(greeted_at=now)
        .returning(Workspace.id)
        .execution_options(**_NO_SYNC)
    ).first()
    return row is not None


def release_greeting(session: Session, workspace_id: int) -> None:
    """Nobody got the first-start message: the next start tries again."""
    _update_row(session, Workspace, workspace_id, greeted_at=None)


def roster_size(session: Session, workspace_id: int) -> int:
    """How many people are on the roster (active)."""
    return int(
        session.scalar(
            select(func.count())
            .select_from(Member)
            .where(Member.workspace_id == workspace_id, Member.active.is_(True))
        )
        or 0
    )


# ---------------------------------------------------------------- a rep's days


def day_statuses(session: Session, member_id: int, first: date, last: date) -> dict[date, str]:
    """`logged` or `day_off` per answered date in a range (inclusive)."""
    rows = session.execute(
        select(DayLog.work_date, DayLog.status).where(
            DayLog.member_id == member_id, DayLog.work_date >= first, DayLog.work_date <= last
        )
    )
    return {day: status for day, status in rows}
