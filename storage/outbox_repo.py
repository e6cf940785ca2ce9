"""The outbox: messages stored with the effect that decided them, delivered after it.

Session first, never commit. A row is sent by whoever claims it (pending → sending, one guarded
UPDATE), so a process finishing its own request and a scheduler pass elsewhere never both send.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import asdict, dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import delete, select, update
from sqlalchemy.orm import Session

from storage.models import OutboxMessage

_NO_SYNC = {"synchronize_session": False}
DONE = ("sent", "failed", "interrupted")


@dataclass(frozen=True)
class Call:
    """One Web API call to make: where, which method, its arguments (a file's bytes apart),
    and who hears of it if Slack refuses."""

    team_id: str
    channel: str
    method: str
    body: dict[str, Any]
    content: bytes | None = None
    tell: str | None = None


def add(session: Session, call: Call, now: datetime) -> int:
    """Queue one call (due now) in the caller's transaction; its id."""
    row = OutboxMessage(**asdict(call), status="pending", attempts=0, next_at=now, created_at=now)
    session.add(row)
    session.flush()
    return row.id


def claim(session: Session, outbox_id: int, now: datetime) -> OutboxMessage | None:
    """Take a pending row that is due (pending → sending); None when it is not ours to send."""
    won = session.execute(
        update(OutboxMessage)
        .where(
            OutboxMessage.id == outbox_id,
            OutboxMessage.status == "pending",
            OutboxMessage.next_at <= now,
        )
        .values(status="sending", attempts=OutboxMessage.attempts + 1, next_at=now)
        .returning(OutboxMessage.id)
        .execution_options(**_NO_SYNC)
    ).first()
    return None if won is None else session.get(OutboxMessage, outbox_id, populate_existing=True)


def finish(session: Session, outbox_id: int, status: str, **values: Any) -> None:
    """Store a send's outcome: sent | failed, or pending again (with its next `next_at`)."""
    session.execute(
        update(OutboxMessage)
        .where(OutboxMessage.id == outbox_id, OutboxMessage.status == "sending")
        .values(status=status, **values)
        .execution_options(**_NO_SYNC)
    )


def due(session: Session, now: datetime, limit: int) -> list[int]:
    """Pending rows whose time has come, oldest first."""
    return list(
        session.scalars(
            select(OutboxMessage.id)
            .where(OutboxMessage.status == "pending", OutboxMessage.next_at <= now)
            .order_by(OutboxMessage.next_at, OutboxMessage.id)
            .limit(limit)
        )
    )


def expire_sending(session: Session, older_than: datetime) -> list[tuple[str, str, str]]:
    """Rows left `sending` by a sender that vanished: interrupted (they may have gone out).

    Returns (team id, channel, method) of each, for the log.
    """
    rows = session.execute(
        update(OutboxMessage)
        .where(OutboxMessage.status == "sending", OutboxMessage.next_at < older_than)
        .values(status="interrupted", error="the sender stopped while sending; may have been sent")
        .returning(OutboxMessage.team_id, OutboxMessage.channel, OutboxMessage.method)
        .execution_options(**_NO_SYNC)
    )
    return [(t, c, m) for t, c, m in rows]


def statuses(session: Session, outbox_ids: Iterable[int]) -> dict[int, str]:
    """The status of each row (for tests and the log)."""
    ids = list(outbox_ids)
    rows = session.execute(
        select(OutboxMessage.id, OutboxMessage.status).where(OutboxMessage.id.in_(ids))
    )
    return dict(rows.tuples().all())


def prune(session: Session, before: datetime) -> int:
    """Delete finished rows created before an instant; how many went."""
    result = session.execute(
        delete(OutboxMessage)
        .where(OutboxMessage.status.in_(DONE), OutboxMessage.created_at < before)
        .execution_options(**_NO_SYNC)
    )
    return int(getattr(result, "rowcount", 0) or 0)


def forget(session: Session, team_id: str, user_id: str) -> None:
    """Everything queued to or about one person in a workspace (privacy: forget me)."""
    session.execute(
        delete(OutboxMessage)
        .where(
            OutboxMessage.team_id == team_id,
            (OutboxMessage.channel == user_id) | (OutboxMessage.tell == user_id),
        )
        .execution_options(**_NO_SYNC)
    )
