"""Aggregation in SQL: the report's hours per rep per category, days answered and wins (four
queries), and the study's days answered and team hours per day."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Any

from sqlalchemy import Select, func, or_, select
from sqlalchemy.orm import InstrumentedAttribute, Session

from storage.models import ANSWERED, REP_ROLES, Account, Category, DayLog, Member, TimeEntry


@dataclass
class MemberHours:
    """One member's raw numbers for a period."""

    member_id: int
    user_id: str
    name: str | None
    role: str
    tz: str
    work_days: str | None
    joined: date
    active: bool
    paused_until: date | None
    hours: dict[int, Decimal] = field(default_factory=dict)  # category id -> hours
    days_logged: int = 0
    days_off: int = 0


@dataclass
class Wins:
    """New-business credit per sales rep, and accounts per account manager."""

    won: dict[str, tuple[int, Decimal]] = field(default_factory=dict)  # rep -> (count, value)
    managed: dict[str, tuple[int, Decimal]] = field(default_factory=dict)  # AM -> (count, value)


def period_hours(
    session: Session,
    workspace_id: int,
    first: date,
    last: date,
    user_ids: Iterable[str] | None = None,
) -> list[MemberHours]:
    """Active reps and anyone with hours in the period, with their hours and answered days."""
    ids = list(user_ids) if user_ids is not None else None
    in_period = select(TimeEntry.member_id).where(
        TimeEntry.work_date >= first, TimeEntry.work_date <= last
    )
    stmt = select(Member).where(
        Member.workspace_id == workspace_id,
        or_(Member.active.is_(True) & Member.role.in_(REP_ROLES), Member.id.in_(in_period)),
    )
    if ids is not None:
        stmt = stmt.where(Member.user_id.in_(ids))
    members = {
        m.id: MemberHours(
            m.id,
            m.user_id,
            m.display_name,
            m.role,
            m.tz,
            m.work_days,
            m.created_at.date(),
            m.active,
            m.paused_until,
        )
        for m in session.scalars(stmt.order_by(Member.user_id))
    }
    if not members:
        return []
    rows = session.execute(
        _team_hours(workspace_id, first, last, TimeEntry.member_id, TimeEntry.category_id)
    )
    for member_id, category_id, hours in rows:
        if member_id in members:
            members[member_id].hours[category_id] = Decimal(hours)
    days = session.execute(
        select(DayLog.member_id, DayLog.status, func.count())
        .join(Member, Member.id == DayLog.member_id)
        .where(
            Member.workspace_id == workspace_id, DayLog.work_date >= first, DayLog.work_date <= last
        )
        .group_by(DayLog.member_id, DayLog.status)
    )
    for member_id, status, count in days:
        if member_id in members:
            if status == "day_off":
                members[member_id].days_off = int(count)
            else:
                members[member_id].days_logged = int(count)
    return list(members.values())


def workspace_categories(session: Session, workspace_id: int) -> list[Category]:
    """All categories (retired ones too: history stays readable), in display order."""
    return list(
        session.scalars(
            select(Category)
            .where(Category.workspace_id == workspace_id)
            .order_by(Category.position, Category.id)
        )
    )


def period_wins(session: Session, workspace_id: int, first: date, last: date) -> Wins:
    """Accounts won per sales rep in the period; accounts held per account manager."""
    wins = Wins()
    won = session.execute(
        select(Account.sales_rep_id, func.count(), func.coalesce(func.sum(Account.value), 0))
        .where(
            Account.workspace_id == workspace_id,
            Account.won_at >= first,
            Account.won_at <= last,
            Account.sales_rep_id.is_not(None),
        )
        .group_by(Account.sales_rep_id)
    )
    wins.won = {rep: (int(n), Decimal(v or 0)) for rep, n, v in won if rep is not None}
    managed = session.execute(
        select(Account.account_manager_id, func.count(), func.coalesce(func.sum(Account.value), 0))
        .where(
            Account.workspace_id == workspace_id,
            Account.won_at <= last,
            Account.status.in_(("open", "transferred")),
            Account.account_manager_id.is_not(None),
        )
        .group_by(Account.account_manager_id)
    )
    wins.managed = {am: (int(n), Decimal(v or 0)) for am, n, v in managed if am is not None}
    return wins


def _team_hours(
    workspace_id: int, first: date, last: date, *by: InstrumentedAttribute[Any]
) -> Select[tuple[Any, ...]]:
    """The workspace's hours over a range (inclusive), summed by the given columns."""
    return (
        select(*by, func.sum(TimeEntry.hours))
        .join(Member, Member.id == TimeEntry.member_id)
        .where(
            Member.workspace_id == workspace_id,
            TimeEntry.work_date >= first,
            TimeEntry.work_date <= last,
        )
        .group_by(*by)
    )


# ---------------------------------------------------------------- the study's numbers


def answered_dates(
    session: Session, workspace_id: int, first: date, last: date
) -> dict[int, set[date]]:
    """Days each member answered (hours or a day off) in a range, by member id."""
    rows = session.execute(
        select(DayLog.member_id, DayLog.work_date)
        .join(Member, Member.id == DayLog.member_id)
        .where(
            Member.workspace_id == workspace_id,
            DayLog.work_date >= first,
            DayLog.work_date <= last,
            DayLog.status.in_(ANSWERED),
        )
    )
    out: dict[int, set[date]] = defaultdict(set)
    for member_id, day in rows:
        out[member_id].add(day)
    return dict(out)


def hours_by_day_and_kind(
    session: Session, workspace_id: int, first: date, last: date
) -> list[tuple[date, str, Decimal]]:
    """The team's hours per date and kind of work (for the week-by-week trend)."""
    rows = session.execute(
        _team_hours(workspace_id, first, last, TimeEntry.work_date, Category.kind).join(
            Category, Category.id == TimeEntry.category_id
        )
    )
    return [(day, kind, Decimal(hours)) for day, kind, hours in rows]
