"""Day logs and prompts: replace a day, read a week, claim prompts and reminders."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import date, datetime, timedelta
from decimal import Decimal

from sqlalchemy import and_, delete, exists, func, select, update
from sqlalchemy.orm import Session

from bot.rules import Split, split
from storage.db import insert_ignore, skip_locked
from storage.models import Category, DayLog, Member, Prompt, TimeEntry, Workspace


def save_day(
    session: Session,
    member: Member,
    work_date: date,
    hours: Mapping[int, Decimal],
    *,
    note: str | None,
    source: str,
    now: datetime,
) -> DayLog:
    """Replace the member's answer for a date with these hours (a correction, not an addition)."""
    day = _lock_day(session, member.id, work_date, now)
    session.execute(delete(TimeEntry).where(TimeEntry.day_id == day.id))
    for category_id, value in sorted(hours.items()):
        if value:
            session.add(
                TimeEntry(
                    day_id=day.id,
                    member_id=member.id,
                    work_date=work_date,
                    category_id=category_id,
                    hours=value,
                )
            )
    day.status, day.source, day.note, day.logged_at = "logged", source, note, now
    day.revision += 1
    session.flush()
    return day


def save_day_off(
    session: Session, member: Member, work_date: date, *, source: str, now: datetime
) -> DayLog:
    """Record a day off: answered, and left out of the shares."""
    day = _lock_day(session, member.id, work_date, now)
    session.execute(delete(TimeEntry).where(TimeEntry.day_id == day.id))
    day.status, day.source, day.note, day.logged_at = "day_off", source, None, now
    day.revision += 1
    session.flush()
    return day


def _lock_day(session: Session, member_id: int, work_date: date, now: datetime) -> DayLog:
    """The day's row, created if needed and locked so concurrent saves run one after another."""
    insert_ignore(
        session,
        DayLog,
        {
            "member_id": member_id,
            "work_date": work_date,
            "status": "logged",
            "source": "new",
            "logged_at": now,
            "revision": 0,
        },
        ["member_id", "work_date"],
    )
    day = session.scalars(
        select(DayLog)
        .where(DayLog.member_id == member_id, DayLog.work_date == work_date)
        .with_for_update()
        .execution_options(populate_existing=True)
    ).one()
    return day


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
    return {cid: hours for cid, hours in rows}


def last_logged_day(session: Session, member_id: int, before: date) -> DayLog | None:
    """The most recent day with hours before a date (for 'Same as yesterday')."""
    return session.scalar(
        select(DayLog)
        .where(
            DayLog.member_id == member_id,
            DayLog.work_date < before,
            DayLog.status == "logged",
            exists().where(TimeEntry.day_id == DayLog.id),
        )
        .order_by(DayLog.work_date.desc())
        .limit(1)
    )


def split_between(session: Session, member_id: int, first: date, last: date) -> Split:
    """The member's hunting/farming/other hours over a date range (inclusive)."""
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
    return split({kind: Decimal(total) for kind, total in rows})


def days_answered(session: Session, member_id: int, first: date, last: date) -> int:
    """How many days in a range have an answer (hours or day off)."""
    return int(
        session.scalar(
            select(func.count())
            .select_from(DayLog)
            .where(
                DayLog.member_id == member_id,
                DayLog.work_date >= first,
                DayLog.work_date <= last,
                DayLog.source != "new",
            )
        )
        or 0
    )


# ---------------------------------------------------------------- prompts and reminders


def prompt_candidates(session: Session) -> list[tuple[Member, Workspace]]:
    """Active reps of installed workspaces (the tick filters who is due)."""
    rows = session.execute(
        select(Member, Workspace)
        .join(Workspace, Workspace.id == Member.workspace_id)
        .where(
            Workspace.installed.is_(True),
            Member.active.is_(True),
            Member.role.in_(("hunter", "farmer", "hybrid")),
        )
    )
    return [(m, w) for m, w in rows]


def answered_or_prompted(
    session: Session, pairs: Iterable[tuple[int, date]]
) -> set[tuple[int, date]]:
    """Which (member id, local date) pairs already have a prompt or an answer."""
    wanted = set(pairs)
    if not wanted:
        return set()
    dates = {d for _, d in wanted}
    found: set[tuple[int, date]] = set()
    for model, col in ((Prompt, Prompt.local_date), (DayLog, DayLog.work_date)):
        rows = session.execute(select(model.member_id, col).where(col.in_(dates)))
        found.update((mid, d) for mid, d in rows if (mid, d) in wanted)
    return found


def claim_prompt(
    session: Session, member_id: int, local_date: date, due_at: datetime, now: datetime
) -> Prompt | None:
    """Insert the (member, date) prompt row; None when another process got there first."""
    won = insert_ignore(
        session,
        Prompt,
        {
            "member_id": member_id,
            "local_date": local_date,
            "due_at": due_at,
            "claimed_at": now,
            "status": "claimed",
            "attempts": 1,
        },
        ["member_id", "local_date"],
    )
    if not won:
        return None
    return session.scalars(
        select(Prompt).where(Prompt.member_id == member_id, Prompt.local_date == local_date)
    ).one()


def claim_retries(session: Session, now: datetime) -> list[Prompt]:
    """Prompts whose last send failed transiently, taken back for this pass (row-claimed)."""
    rows = session.scalars(
        select(Prompt)
        .where(Prompt.status == "retry")
        .with_for_update(**skip_locked(session))
        .limit(500)
    ).all()
    claimed = []
    for p in rows:
        res = session.execute(
            update(Prompt)
            .where(Prompt.id == p.id, Prompt.status == "retry")
            .values(status="claimed", claimed_at=now, attempts=Prompt.attempts + 1)
        )
        if res.rowcount == 1:  # type: ignore[attr-defined]
            claimed.append(p)
    return claimed


def due_reminders(session: Session, now: datetime, limit: int = 500) -> list[Prompt]:
    """Sent prompts whose reminder time has come, unclaimed, for days still unanswered."""
    answered = exists().where(
        and_(
            DayLog.member_id == Prompt.member_id,
            DayLog.work_date == Prompt.local_date,
            DayLog.source != "new",
        )
    )
    return list(
        session.scalars(
            select(Prompt)
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


def claim_reminder(session: Session, prompt_id: int, now: datetime) -> bool:
    """Take a reminder for sending; False when another process already did."""
    res = session.execute(
        update(Prompt)
        .where(Prompt.id == prompt_id, Prompt.reminder_claimed_at.is_(None))
        .values(reminder_claimed_at=now)
    )
    return res.rowcount == 1  # type: ignore[attr-defined,no-any-return]


def prompt_for(session: Session, member_id: int, local_date: date) -> Prompt | None:
    """The prompt sent for a date, if any."""
    return session.scalar(
        select(Prompt).where(Prompt.member_id == member_id, Prompt.local_date == local_date)
    )


def stale_tz_members(session: Session, older_than: datetime, limit: int) -> list[Member]:
    """Members whose time zone was last checked before a given instant."""
    return list(
        session.scalars(
            select(Member)
            .where(
                Member.active.is_(True),
                (Member.tz_checked_at.is_(None)) | (Member.tz_checked_at < older_than),
            )
            .order_by(Member.tz_checked_at.nulls_first())
            .limit(limit)
        )
    )


def week_range(day: date) -> tuple[date, date]:
    """Monday of the day's week, and the day."""
    return day - timedelta(days=day.weekday()), day
