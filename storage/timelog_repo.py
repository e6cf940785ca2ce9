"""The evening log's days: replace a day (locked, so concurrent saves run one after the other),
read it back, and sum a member's hours by kind of work.

Session first, never commit: the caller owns the transaction.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date, datetime
from decimal import Decimal

from sqlalchemy import bindparam, delete, exists, func, insert, select
from sqlalchemy.orm import Session
from sqlalchemy.sql.elements import BindParameter

from storage.db import insert_ignore
from storage.models import ANSWERED, Category, DayLog, TimeEntry

KindHours = dict[str, Decimal]  # hours by kind of work: hunting, farming, other
_NO_SYNC = {"synchronize_session": False}

# Statements of the request path, built once (building and keying a select costs more than
# running it on SQLite); values come in as parameters.
_MEMBER: BindParameter[int] = bindparam("member_id")
_DAY_FOR_UPDATE = (
    select(DayLog)
    .where(DayLog.member_id == _MEMBER, DayLog.work_date == bindparam("work_date"))
    .with_for_update()
    .execution_options(populate_existing=True)
)
_DELETE_ENTRIES = delete(TimeEntry).where(TimeEntry.day_id == bindparam("day_id"))
_SPLITS_BY_DAY = (
    select(TimeEntry.work_date, Category.kind, func.sum(TimeEntry.hours))
    .join(Category, Category.id == TimeEntry.category_id)
    .where(
        TimeEntry.member_id == _MEMBER,
        TimeEntry.work_date >= bindparam("first"),
        TimeEntry.work_date <= bindparam("last"),
    )
    .group_by(TimeEntry.work_date, Category.kind)
)
_DAYS_ANSWERED = (
    select(func.count())
    .select_from(DayLog)
    .where(
        DayLog.member_id == _MEMBER,
        DayLog.work_date >= bindparam("first"),
        DayLog.work_date <= bindparam("last"),
        DayLog.status.in_(ANSWERED),
    )
)
# ---------------------------------------------------------------- days


def save_day(
    session: Session,
    member_id: int,
    work_date: date,
    hours: Mapping[int, Decimal],
    *,
    note: str | None,
    source: str,
    now: datetime,
    day_off: bool = False,
) -> tuple[DayLog, bool]:
    """Replace the member's answer for a date (hours by category id, or a day off).

    Returns the day and whether it replaced an earlier answer. The day row is created if
    needed and locked, so concurrent saves of one date run one after the other.
    """
    created = insert_ignore(
        session,
        DayLog,
        {
            "member_id": member_id,
            "work_date": work_date,
            "status": "day_off" if day_off else "logged",
            "source": source,
            "note": note,
            "logged_at": now,
            "revision": 0,
        },
        ["member_id", "work_date"],
    )
    day = session.scalars(_DAY_FOR_UPDATE, {"member_id": member_id, "work_date": work_date}).one()
    session.execute(_DELETE_ENTRIES, {"day_id": day.id})
    rows = [
        {
            "day_id": day.id,
            "member_id": member_id,
            "work_date": work_date,
            "category_id": category_id,
            "hours": value,
        }
        for category_id, value in sorted(hours.items())
        if value and not day_off
    ]
    if rows:
        session.execute(insert(TimeEntry), rows)
    day.status = "day_off" if day_off else "logged"
    day.source, day.note, day.logged_at = source, None if day_off else note, now
    day.revision += 1
    session.flush()
    return day, not created


def get_day(session: Session, member_id: int, work_date: date) -> DayLog | None:
    """The member's answer for a date, if any."""
    return session.scalar(
        select(DayLog).where(DayLog.member_id == member_id, DayLog.work_date == work_date)
    )


def day_hours(session: Session, member_id: int, work_date: date) -> dict[int, Decimal]:
    """Hours per category id for one date."""
    rows = session.execute(
        select(TimeEntry.category_id, TimeEntry.hours).where(
            TimeEntry.member_id == member_id, TimeEntry.work_date == work_date
        )
    )
    return {cid: Decimal(hours) for cid, hours in rows}


def last_logged_day(session: Session, member_id: int, before: date) -> date | None:
    """The latest date before `before` with hours (days off don't count): 'Same as yesterday'."""
    return session.scalar(
        select(DayLog.work_date)
        .where(
            DayLog.member_id == member_id,
            DayLog.work_date < before,
            DayLog.status == "logged",
            exists().where(TimeEntry.day_id == DayLog.id),
        )
        .order_by(DayLog.work_date.desc())
        .limit(1)
    )


def kind_hours_between(session: Session, member_id: int, first: date, last: date) -> KindHours:
    """The member's hours per kind of work (hunting, farming, other) over a date range."""
    rows = session.execute(
        select(Category.kind, func.sum(TimeEntry.hours))
        .join(Category, Category.id == TimeEntry.category_id)
        .where(
            TimeEntry.member_id == member_id,
            TimeEntry.work_date >= first,
            TimeEntry.work_date <= last,
        )
        .group_by(Category.kind)
    )
    return {kind: Decimal(total) for kind, total in rows}


def kind_hours_by_day(
    session: Session, member_id: int, first: date, last: date
) -> dict[date, KindHours]:
    """The member's hours per kind for each date of a range, in one grouped query."""
    rows = session.execute(_SPLITS_BY_DAY, {"member_id": member_id, "first": first, "last": last})
    by_day: dict[date, KindHours] = {}
    for work_date, kind, total in rows:
        by_day.setdefault(work_date, {})[kind] = Decimal(total)
    return by_day


def days_answered(session: Session, member_id: int, first: date, last: date) -> int:
    """How many days in a range have an answer (hours or a day off)."""
    params = {"member_id": member_id, "first": first, "last": last}
    return int(session.scalar(_DAYS_ANSWERED, params) or 0)
