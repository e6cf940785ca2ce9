"""The reports' one storage read: everything the computation of a period needs (9 queries at most).

Session first, never commit. Plain data out (dates, Decimals, strings): the numbers are computed
in bot.reports from these rows, so every surface reads them the same way.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from decimal import Decimal

from sqlalchemy import ColumnElement, Integer, Select, case, cast, func, or_, select
from sqlalchemy.orm import Session

from storage.away_repo import away_days
from storage.models import REP_ROLES, Account, Category, DayLog, Member, TimeEntry

ONE_DAY = timedelta(days=1)


@dataclass(frozen=True)
class MemberRow:
    """One member as the reports need them."""

    member_id: int
    user_id: str
    name: str | None
    role: str
    tz: str
    work_days: str | None  # their own work days ("mon,tue"), None: the workspace's
    created_at: datetime
    active: bool
    # earliest and latest day answered (hours or a day off) up to `last`; read only for members
    # who joined on or after the day before `first`, or who left the roster (else None)
    first_answered: date | None
    last_answered: date | None


@dataclass(frozen=True)
class CategoryRow:
    """A category (retired ones too: history stays readable)."""

    id: int
    key: str
    label: str
    kind: str
    aliases: tuple[str, ...]
    active: bool


@dataclass
class Wins:
    """New-business credit per sales rep, and accounts per account manager."""

    won: dict[str, tuple[int, Decimal]] = field(default_factory=dict)  # rep -> (count, value)
    managed: dict[str, tuple[int, Decimal]] = field(default_factory=dict)  # AM -> (count, value)


@dataclass
class ReportRows:
    """The raw rows of one period (and, for the trend, the days before it since `since`)."""

    first: date
    last: date
    since: date  # day hours, logged days and days off are read from here (≤ first)
    members: list[MemberRow]
    categories: list[CategoryRow]
    # member -> each day answered with hours -> (hunting, farming, other) hours that day
    day_hours: dict[int, dict[date, tuple[Decimal, Decimal, Decimal]]]
    days_off: dict[int, set[date]]  # days answered with "Day off"
    category_hours: dict[int, dict[int, Decimal]]  # member -> category id -> hours, first…upto
    away: dict[int, dict[date, str]]  # member -> date -> why
    wins: Wins


def report_rows(
    session: Session,
    workspace_id: int,
    first: date,
    last: date,
    upto: date,
    user_ids: Iterable[str] | None = None,
    since: date | None = None,
    *,
    holiday: Callable[[date], str | None] | None = None,
) -> ReportRows:
    """Active reps and anyone with hours from `since` (default `first`) to `last`: their hours
    per day and kind, answered days, away days, hours per category (first…upto) and wins."""
    since = min(since or first, first)
    ids = list(user_ids) if user_ids is not None else None
    with_hours = select(TimeEntry.member_id).where(
        TimeEntry.work_date >= since, TimeEntry.work_date <= last
    )
    stmt = select(Member).where(
        Member.workspace_id == workspace_id,
        or_(Member.active.is_(True) & Member.role.in_(REP_ROLES), Member.id.in_(with_hours)),
    )
    if ids is not None:
        stmt = stmt.where(Member.user_id.in_(ids))
    members = list(session.scalars(stmt.order_by(Member.user_id)))
    categories = workspace_categories(session, workspace_id)
    rows = ReportRows(first, last, since, [], categories, {}, {}, {}, {}, Wins())
    rows.wins = period_wins(session, workspace_id, first, last)
    if not members:
        return rows
    member_ids = [m.id for m in members]
    in_ws = Member.workspace_id == workspace_id
    # the first and last answered days matter only for reps who joined during the period
    # (days logged before joining count from the first) and reps who left the roster
    special = [m.id for m in members if not m.active or m.created_at.date() >= first - ONE_DAY]
    answered: dict[int, tuple[date, date]] = {}
    if special:
        span = session.execute(
            select(DayLog.member_id, func.min(DayLog.work_date), func.max(DayLog.work_date))
            .where(DayLog.member_id.in_(special), DayLog.work_date <= last)
            .group_by(DayLog.member_id)
        )
        answered = {mid: (lo, hi) for mid, lo, hi in span}
    rows.members = [
        MemberRow(
            m.id,
            m.user_id,
            m.display_name,
            m.role,
            m.tz,
            m.work_days,
            m.created_at,
            m.active,
            *answered.get(m.id, (None, None)),
        )
        for m in members
    ]
    wanted = set(member_ids)
    kind_of = {c.id: c.kind for c in categories}
    day_hours: dict[int, dict[date, tuple[Decimal, Decimal, Decimal]]] = defaultdict(dict)
    off: dict[int, set[date]] = defaultdict(set)
    as_hours = _Hours()
    for mid, day, status, hunting, farming, other in session.connection().execute(
        _answered_days(workspace_id, since, last)
    ):
        if mid not in wanted:
            continue
        if status == "day_off":
            off[mid].add(day)
        else:
            day_hours[mid][day] = (as_hours[hunting], as_hours[farming], as_hours[other])
    rows.day_hours, rows.days_off = dict(day_hours), dict(off)
    by_category: dict[int, dict[int, Decimal]] = defaultdict(dict)
    if upto >= first:
        for mid, cid, hours in session.execute(
            select(TimeEntry.member_id, TimeEntry.category_id, func.sum(TimeEntry.hours))
            .join(Member, Member.id == TimeEntry.member_id)
            .where(in_ws, TimeEntry.work_date >= first, TimeEntry.work_date <= min(last, upto))
            .group_by(TimeEntry.member_id, TimeEntry.category_id)
        ):
            if mid in wanted and cid in kind_of:
                by_category[mid][cid] = Decimal(hours)
    rows.category_hours = dict(by_category)
    rows.away = away_days(session, member_ids, since, last, holiday=holiday)
    return rows


class _Hours(dict[int, Decimal]):
    """Hundredths of an hour to Decimal hours, each distinct value converted once."""

    def __missing__(self, cents: int) -> Decimal:
        value = self[cents] = Decimal(int(cents)).scaleb(-2)
        return value


def _cents(column: ColumnElement[Decimal]) -> ColumnElement[int]:
    """The sum of a column of hours in hundredths of an hour (an integer on every backend)."""
    return cast(func.round(func.coalesce(func.sum(column), 0) * 100), Integer)


def _answered_days(
    workspace_id: int, first: date, last: date
) -> Select[int, date, str, int, int, int]:
    """Every answered day in a range: member, date, status and its hours by kind (hundredths) —
    one row per day, grouped in SQL (unknown kinds count as other)."""
    kind = Category.kind
    hours = TimeEntry.hours
    return (
        select(
            DayLog.member_id,
            DayLog.work_date,
            DayLog.status,
            _cents(case((kind == "hunting", hours), else_=None)),
            _cents(case((kind == "farming", hours), else_=None)),
            _cents(case((kind.in_(("hunting", "farming")), None), else_=hours)),
        )
        .select_from(DayLog)
        .join(Member, Member.id == DayLog.member_id)
        .outerjoin(TimeEntry, TimeEntry.day_id == DayLog.id)
        .outerjoin(Category, Category.id == TimeEntry.category_id)
        .where(
            Member.workspace_id == workspace_id,
            DayLog.work_date >= first,
            DayLog.work_date <= last,
        )
        .group_by(DayLog.id, DayLog.member_id, DayLog.work_date, DayLog.status)
    )


def workspace_categories(session: Session, workspace_id: int) -> list[CategoryRow]:
    """All categories (retired ones too: history stays readable), in display order."""
    return [
        CategoryRow(c.id, c.key, c.label, c.kind, tuple(c.aliases or ()), c.active)
        for c in session.scalars(
            select(Category)
            .where(Category.workspace_id == workspace_id)
            .order_by(Category.position, Category.id)
        )
    ]


def roster_began(session: Session, workspace_id: int) -> datetime | None:
    """When the first rep joined the roster (those who left since included); None: nobody yet."""
    return session.scalar(
        select(func.min(Member.created_at)).where(
            Member.workspace_id == workspace_id, Member.role.in_(REP_ROLES)
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
