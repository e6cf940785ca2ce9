"""Time studies: the study row, its DMs (claimed once), fit answers, and the numbers it needs.

Session first, never commit: the caller owns the transaction. Every claim is one atomic
statement (an INSERT guarded by a unique key, or an UPDATE guarded by the row's state), so any
number of processes may run the same pass at once.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any, NamedTuple

from sqlalchemy import ColumnElement, and_, delete, select, update
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.orm import Session

from storage.db import insert_ignore, won
from storage.models import (
    REP_ROLES,
    FitAnswer,
    Member,
    Study,
    StudyMessage,
    Workspace,
)

# ---------------------------------------------------------------- the study


def open_study(session: Session, workspace_id: int) -> Study | None:
    """The workspace's open study, if any."""
    return session.scalar(
        select(Study).where(Study.workspace_id == workspace_id, Study.status == "open")
    )


def latest_study(session: Session, workspace_id: int) -> Study | None:
    """The open study, else the most recent one."""
    return open_study(session, workspace_id) or session.scalar(
        select(Study)
        .where(Study.workspace_id == workspace_id)
        .order_by(Study.created_at.desc(), Study.id.desc())
        .limit(1)
    )


def create_study(
    session: Session,
    workspace_id: int,
    started_by: str,
    starts_on: date,
    ends_on: date,
    weeks: int,
    now: datetime,
) -> Study | None:
    """Open a study; None when one is already open (the partial unique index decides)."""
    dialect = session.get_bind().dialect.name
    ins = pg_insert if dialect == "postgresql" else sqlite_insert
    stmt = (
        ins(Study)
        .values(
            workspace_id=workspace_id,
            started_by=started_by,
            starts_on=starts_on,
            ends_on=ends_on,
            weeks=weeks,
            status="open",
            created_at=now,
        )
        .on_conflict_do_nothing(index_elements=["workspace_id"], index_where=Study.status == "open")
        .returning(Study.id)
    )
    study_id = session.execute(stmt).scalar()
    return None if study_id is None else session.get(Study, study_id)


_OPEN = Study.status == "open"
_CLOSED = Study.status != "open"
_UNCLAIMED = Study.result_claimed_at.is_(None)


def _update_if(session: Session, study_id: int, *where: ColumnElement[bool], **values: Any) -> bool:
    """Update one study when it is in the given state; True when it was (this caller won)."""
    stmt = update(Study).where(Study.id == study_id, *where).values(**values)
    return won(session, stmt.returning(Study.id))


def stop_study(session: Session, study_id: int, last_day: date, now: datetime) -> bool:
    """End an open study early: its last day becomes `last_day`; False if it was not open."""
    return _update_if(session, study_id, _OPEN, status="stopped", ended_at=now, ends_on=last_day)


def claim_end(session: Session, study_id: int, now: datetime) -> bool:
    """End a study that ran its course and claim its result, in one guarded statement."""
    fields = {"status": "ended", "ended_at": now, "result_claimed_at": now}
    return _update_if(session, study_id, _OPEN, _UNCLAIMED, **fields)


def claim_result(session: Session, study_id: int, now: datetime) -> bool:
    """Claim the result of an ended or stopped study; True for exactly one caller."""
    return _update_if(session, study_id, _CLOSED, _UNCLAIMED, result_claimed_at=now)


def release_result(session: Session, study_id: int) -> None:
    """Give a claimed result back (Slack was unreachable): a later pass sends it."""
    session.execute(
        update(Study)
        .where(Study.id == study_id, Study.result_sent_at.is_(None))
        .values(result_claimed_at=None),
        execution_options={"synchronize_session": False},
    )


def record_result(session: Session, study_id: int, sent_at: datetime) -> None:
    """The result reached at least one place."""
    session.execute(
        update(Study).where(Study.id == study_id).values(result_sent_at=sent_at),
        execution_options={"synchronize_session": False},
    )


def open_studies(session: Session) -> list[tuple[Study, Workspace]]:
    """Open studies of installed workspaces."""
    rows = session.execute(
        select(Study, Workspace)
        .join(Workspace, Workspace.id == Study.workspace_id)
        .where(Study.status == "open", Workspace.installed.is_(True))
        .order_by(Study.id)
    )
    return [(study, ws) for study, ws in rows]


def unclaimed_results(session: Session) -> list[tuple[Study, Workspace]]:
    """Ended or stopped studies whose result nobody has claimed (a stop cut short)."""
    rows = session.execute(
        select(Study, Workspace)
        .join(Workspace, Workspace.id == Study.workspace_id)
        .where(
            Study.status != "open",
            Study.result_claimed_at.is_(None),
            Workspace.installed.is_(True),
        )
        .order_by(Study.id)
    )
    return [(study, ws) for study, ws in rows]


# ---------------------------------------------------------------- people and DMs


def active_reps(session: Session, workspace_id: int) -> list[Member]:
    """Reps on the roster now, by user id."""
    return list(
        session.scalars(
            select(Member)
            .where(
                Member.workspace_id == workspace_id,
                Member.active.is_(True),
                Member.role.in_(REP_ROLES),
            )
            .order_by(Member.user_id)
        )
    )


class MessageKey(NamedTuple):
    """A study DM's identity: one per study, member and kind (intro | fit | fit_reminder)."""

    study_id: int
    member_id: int
    kind: str


def _message(key: MessageKey) -> ColumnElement[bool]:
    return and_(
        StudyMessage.study_id == key.study_id,
        StudyMessage.member_id == key.member_id,
        StudyMessage.kind == key.kind,
    )


def claim_message(session: Session, key: MessageKey, now: datetime) -> bool:
    """Claim one study DM; True for exactly one caller ever."""
    values = {**key._asdict(), "claimed_at": now}
    return insert_ignore(session, StudyMessage, values, list(MessageKey._fields))


def record_message(
    session: Session, key: MessageKey, *, sent_at: datetime | None = None, error: str | None = None
) -> None:
    """What became of a claimed DM."""
    session.execute(
        update(StudyMessage)
        .where(_message(key))
        .values(sent_at=sent_at, error=error[:200] if error else None),
        execution_options={"synchronize_session": False},
    )


def release_message(session: Session, key: MessageKey) -> None:
    """Give a claim back after a failure that provably sent nothing (the next pass retries)."""
    session.execute(
        delete(StudyMessage).where(_message(key), StudyMessage.sent_at.is_(None)),
        execution_options={"synchronize_session": False},
    )


def messages(session: Session, study_id: int) -> dict[tuple[int, str], StudyMessage]:
    """Every claimed DM of a study by (member id, kind)."""
    rows = session.scalars(select(StudyMessage).where(StudyMessage.study_id == study_id))
    return {(m.member_id, m.kind): m for m in rows}


# ---------------------------------------------------------------- fit answers


def save_fit(
    session: Session,
    study_id: int,
    member_id: int,
    score: int,
    now: datetime,
    comment: str | None = None,
    *,
    keep_comment: bool = False,
) -> None:
    """Record a rep's answer; answering again replaces it (a click keeps the sentence)."""
    values: dict[str, Any] = {"score": score, "answered_at": now}
    if not keep_comment:
        values["comment"] = comment
    inserted = insert_ignore(
        session,
        FitAnswer,
        {"study_id": study_id, "member_id": member_id, "comment": comment, **values},
        ["study_id", "member_id"],
    )
    if not inserted:
        session.execute(
            update(FitAnswer)
            .where(FitAnswer.study_id == study_id, FitAnswer.member_id == member_id)
            .values(**values),
            execution_options={"synchronize_session": False},
        )


def fit_answers(session: Session, study_id: int) -> dict[int, FitAnswer]:
    """The study's answers by member id."""
    rows = session.scalars(select(FitAnswer).where(FitAnswer.study_id == study_id))
    return {a.member_id: a for a in rows}


def fit_answer(session: Session, study_id: int, member_id: int) -> FitAnswer | None:
    """One rep's answer."""
    return session.scalar(
        select(FitAnswer).where(FitAnswer.study_id == study_id, FitAnswer.member_id == member_id)
    )
