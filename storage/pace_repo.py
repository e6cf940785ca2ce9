"""The sending pace shared by every process: one row per (Web API method, workspace).

Session first, never commit: the caller reserves its slot in the transaction of its claim.
"""

from __future__ import annotations

from sqlalchemy import case, update
from sqlalchemy.orm import Session

from storage.db import insert_ignore
from storage.models import SendPace


def reserve_slot(session: Session, key: str, now_us: int, interval_us: int) -> int:
    """Reserve the next sending slot of a shared pace (µs since the epoch); returns its start."""
    stmt = (
        update(SendPace)
        .where(SendPace.key == key)
        .values(
            next_at_us=case((SendPace.next_at_us < now_us, now_us), else_=SendPace.next_at_us)
            + interval_us
        )
        .returning(SendPace.next_at_us)
        .execution_options(synchronize_session=False)
    )
    after = session.execute(stmt).scalar()
    if after is None:
        insert_ignore(session, SendPace, {"key": key, "next_at_us": 0}, ["key"])
        after = session.execute(stmt).scalar_one()
    return int(after) - interval_us
