"""The evening prompts' storage: who may be due, and the claims of prompts, retries, reminders
and time-zone checks.

Session first, never commit: the caller owns the transaction. Every claim is one atomic
statement whose RETURNING says whether this caller won it.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from sqlalchemy import and_, bindparam, exists, select, update
from sqlalchemy.orm import Session

from storage.db import insert_ignore, won
from storage.models import ANSWERED, REP_ROLES, DayLog, Member, Prompt, Workspace

_NO_SYNC = {"synchronize_session": False}
_PROMPT_FOR = select(Prompt).where(
    Prompt.member_id == bindparam("member_id"), Prompt.local_date == bindparam("local_date")
)


# ---------------------------------------------------------------- who may be due


@dataclass(frozen=True)
class Candidate:
    """An active rep of an installed workspace, with what decides when they are prompted."""

    member_id: int
    user_id: str
    workspace_id: int
    tz: str
    prompt_time: str | None
    work_days: str | None
    paused_until: date | None


def prompt_candidates(session: Session) -> list[Candidate]:
    """Every active rep of every installed workspace (plain rows: cheap for 10,000s)."""
    rows = session.execute(
        select(
            Member.id,
            Member.user_id,
            Member.workspace_id,
            Member.tz,
            Member.prompt_time,
            Member.work_days,
            Member.paused_until,
        )
        .join(Workspace, Workspace.id == Member.workspace_id)
        .where(
            Workspace.installed.is_(True),
            Member.active.is_(True),
            Member.role.in_(REP_ROLES),
        )
    )
    return [Candidate(*row) for row in rows]


def installed_workspaces(session: Session) -> dict[int, Workspace]:
    """Installed workspaces by row id."""
    return {w.id: w for w in session.scalars(select(Workspace).where(Workspace.installed))}


def handled(session: Session, dates: Iterable[date]) -> set[tuple[int, date]]:
    """(member id, date) pairs that already have a prompt or an answer on one of the dates."""
    wanted = sorted(set(dates))
    if not wanted:
        return set()
    found: set[tuple[int, date]] = set()
    for member_col, date_col in (
        (Prompt.member_id, Prompt.local_date),
        (DayLog.member_id, DayLog.work_date),
    ):
        found.update(
            (m, d)
            for m, d in session.execute(select(member_col, date_col).where(date_col.in_(wanted)))
        )
    return found


def prompted_since(session: Session, since: datetime) -> set[int]:
    """Members with a prompt claimed at or after an instant (the minimum gap between prompts)."""
    return set(session.scalars(select(Prompt.member_id).where(Prompt.claimed_at >= since)))


# ---------------------------------------------------------------- prompt claims


def claim_prompt(
    session: Session, member_id: int, local_date: date, due_at: datetime, lease: datetime
) -> int | None:
    """Insert the (member, local date) prompt as claimed; its id, or None if already there."""
    won = insert_ignore(
        session,
        Prompt,
        {
            "member_id": member_id,
            "local_date": local_date,
            "due_at": due_at,
            "claimed_at": lease,
            "status": "claimed",
            "attempts": 1,
        },
        ["member_id", "local_date"],
    )
    if not won:
        return None
    return session.scalar(
        select(Prompt.id).where(Prompt.member_id == member_id, Prompt.local_date == local_date)
    )


@dataclass(frozen=True)
class Retry:
    """A prompt whose last send failed transiently (status 'retry')."""

    prompt_id: int
    member_id: int
    local_date: date
    due_at: datetime
    attempts: int


def retries(session: Session, limit: int = 10_000) -> list[Retry]:
    """Prompts waiting for another try."""
    rows = session.execute(
        select(Prompt.id, Prompt.member_id, Prompt.local_date, Prompt.due_at, Prompt.attempts)
        .where(Prompt.status == "retry")
        .limit(limit)
    )
    return [Retry(*row) for row in rows]


def claim_retry(
    session: Session, prompt_id: int, seen_attempts: int, lease: datetime
) -> int | None:
    """Take a 'retry' prompt for this pass; our attempt number, or None if someone else did."""
    row = session.execute(
        update(Prompt)
        .where(Prompt.id == prompt_id, Prompt.status == "retry", Prompt.attempts == seen_attempts)
        .values(status="claimed", claimed_at=lease, attempts=Prompt.attempts + 1)
        .returning(Prompt.attempts)
        .execution_options(**_NO_SYNC)
    ).first()
    return None if row is None else int(row[0])


def skip_retries(session: Session, prompt_ids: Iterable[int], reason: str) -> None:
    """Give up on 'retry' prompts (their window passed): skipped, never sent late."""
    ids = list(prompt_ids)
    if ids:
        session.execute(
            update(Prompt)
            .where(Prompt.id.in_(ids), Prompt.status == "retry")
            .values(status="skipped", error=reason[:200])
            .execution_options(**_NO_SYNC)
        )


def skip_stale_retries(session: Session, due_before: datetime) -> None:
    """'retry' prompts due before an instant (a day ago: every window has closed) are skipped."""
    session.execute(
        update(Prompt)
        .where(Prompt.status == "retry", Prompt.due_at < due_before)
        .values(status="skipped", error="window passed before a retry worked")
        .execution_options(**_NO_SYNC)
    )


INTERRUPTED = "interrupted: the sender stopped while sending; may have been sent"


def mark_sending(session: Session, prompt_id: int, attempt: int) -> bool:
    """A claimed prompt goes on the wire (claimed → sending); False when it is no longer ours."""
    return won(
        session,
        update(Prompt)
        .where(Prompt.id == prompt_id, Prompt.attempts == attempt, Prompt.status == "claimed")
        .values(status="sending")
        .returning(Prompt.id),
    )


def expire_interrupted(session: Session, older_than: datetime) -> list[tuple[str, str, date]]:
    """Claims whose sender vanished (crash, kill), older than an instant.

    One still waiting for its pace slot (`claimed`) was never attempted: it goes back to
    `retry`, to be sent by a later pass. One `sending` may have gone out: failed, never resent.
    Returns (team id, user id, local date) of the latter, for the log.
    """
    session.execute(
        update(Prompt)
        .where(Prompt.status == "claimed", Prompt.claimed_at < older_than)
        .values(status="retry", error="the sender stopped before sending; sent again")
        .execution_options(**_NO_SYNC)
    )
    ids = list(
        session.scalars(
            update(Prompt)
            .where(Prompt.status == "sending", Prompt.claimed_at < older_than)
            .values(status="failed", error=INTERRUPTED)
            .returning(Prompt.id)
            .execution_options(**_NO_SYNC)
        )
    )
    if not ids:
        return []
    rows = session.execute(
        select(Workspace.team_id, Member.user_id, Prompt.local_date)
        .join(Member, Member.id == Prompt.member_id)
        .join(Workspace, Workspace.id == Member.workspace_id)
        .where(Prompt.id.in_(ids))
    )
    return [(team_id, user_id, day) for team_id, user_id, day in rows]


def record_prompt(session: Session, prompt_id: int, attempt: int, **values: Any) -> bool:
    """Store a send's outcome, if the prompt is still ours (same attempt)."""
    return won(
        session,
        update(Prompt)
        .where(Prompt.id == prompt_id, Prompt.attempts == attempt)
        .values(**values)
        .returning(Prompt.id),
    )


def prompt_for(session: Session, member_id: int, local_date: date) -> Prompt | None:
    """The prompt of a member's local date, if any."""
    return session.scalar(_PROMPT_FOR, {"member_id": member_id, "local_date": local_date})


# ---------------------------------------------------------------- reminders


def due_reminders(session: Session, now: datetime, limit: int = 1000) -> list[int]:
    """Ids of sent prompts whose reminder time has come, unclaimed, for unanswered days."""
    answered = exists().where(
        and_(
            DayLog.member_id == Prompt.member_id,
            DayLog.work_date == Prompt.local_date,
            DayLog.status.in_(ANSWERED),
        )
    )
    return list(
        session.scalars(
            select(Prompt.id)
            .where(
                Prompt.status == "sent",
                Prompt.reminder_due_at <= now,
                Prompt.reminder_claimed_at.is_(None),
                ~answered,
            )
            .order_by(Prompt.reminder_due_at)
            .limit(limit)
        )
    )


def claim_reminder(session: Session, prompt_id: int, lease: datetime) -> bool:
    """Take one prompt's reminder for sending; False when another process already did."""
    return won(
        session,
        update(Prompt)
        .where(Prompt.id == prompt_id, Prompt.reminder_claimed_at.is_(None))
        .values(reminder_claimed_at=lease)
        .returning(Prompt.id),
    )


def record_reminder(session: Session, prompt_id: int, **values: Any) -> None:
    """Store a reminder's outcome (reminded_at, or the error)."""
    session.execute(
        update(Prompt).where(Prompt.id == prompt_id).values(**values).execution_options(**_NO_SYNC)
    )


def release_reminder(session: Session, prompt_id: int, error: str) -> None:
    """Give a reminder back after a failure that provably sent nothing (tried again later)."""
    session.execute(
        update(Prompt)
        .where(Prompt.id == prompt_id)
        .values(reminder_claimed_at=None, error=error[:200])
        .execution_options(**_NO_SYNC)
    )


# ---------------------------------------------------------------- time zones


def claim_tz_checks(
    session: Session, older_than: datetime, lease: datetime, limit: int
) -> list[tuple[int, str, int]]:
    """Take up to `limit` reps whose Slack time zone was last read before an instant."""
    stale = (Member.tz_checked_at.is_(None)) | (Member.tz_checked_at < older_than)
    rows = session.execute(
        select(Member.id, Member.user_id, Member.workspace_id)
        .join(Workspace, Workspace.id == Member.workspace_id)
        .where(Member.active.is_(True), Member.role.in_(REP_ROLES), Workspace.installed, stale)
        .order_by(Member.tz_checked_at.nulls_first(), Member.id)
        .limit(limit)
    ).all()
    out = []
    for member_id, user_id, ws_id in rows:
        stmt = update(Member).where(Member.id == member_id, stale).values(tz_checked_at=lease)
        if won(session, stmt.returning(Member.id)):
            out.append((member_id, user_id, ws_id))
    return out


def set_tz(session: Session, member_id: int, tz: str) -> bool:
    """Store a member's new Slack time zone; True when it changed."""
    return won(
        session,
        update(Member)
        .where(Member.id == member_id, Member.tz != tz)
        .values(tz=tz)
        .returning(Member.id),
    )
