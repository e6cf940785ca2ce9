"""The reports' one storage read and the away days it carries, on SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from decimal import Decimal

from sqlalchemy.orm import Session

from storage import repo
from storage.models import DayLog, Member, Prompt, TimeEntry
from storage.report_queries import report_rows, roster_began

D = Decimal
MON = date(2026, 11, 16)
EARLY = datetime(2026, 11, 1, tzinfo=UTC)


def member(s: Session, ws_id: int, uid: str, joined: datetime = EARLY, **fields: object) -> Member:
    m, _ = repo.upsert_member(s, ws_id, uid, "hybrid", tz="UTC", now=joined)
    m.created_at = joined
    for k, v in fields.items():
        setattr(m, k, v)
    s.flush()
    return m


def log(s: Session, m: Member, day: date, cats: dict[str, int], **hours: str) -> None:
    entry = DayLog(
        member_id=m.id,
        work_date=day,
        status="logged" if hours else "day_off",
        source="import",
        logged_at=EARLY,
    )
    s.add(entry)
    s.flush()
    for key, h in hours.items():
        s.add(
            TimeEntry(
                day_id=entry.id,
                member_id=m.id,
                work_date=day,
                category_id=cats[key],
                hours=D(h),
            )
        )
    s.flush()


def prompt(s: Session, m: Member, day: date) -> None:
    at = datetime(day.year, day.month, day.day, 17, 30, tzinfo=UTC)
    s.add(Prompt(member_id=m.id, local_date=day, due_at=at, claimed_at=at, status="sent"))
    s.flush()


def test_one_read_gives_hours_per_day_and_kind_days_off_categories_and_who(
    session: Session,
) -> None:
    ws = repo.ensure_workspace(session, "T0001")
    cats = {c.key: c.id for c in repo.categories(session, ws.id)}
    ana = member(session, ws.id, "UANA")
    log(session, ana, MON, cats, prospecting="2", sales_meetings="1.5", account_service="4")
    log(session, ana, MON + timedelta(days=1), cats)  # a day off
    log(session, ana, MON + timedelta(days=2), cats, account_growth="3")
    log(session, ana, MON - timedelta(days=10), cats, prospecting="7")  # before the period
    gone = member(session, ws.id, "UGONE")
    log(session, gone, MON + timedelta(days=1), cats, admin="2")
    gone.active = False
    new = member(session, ws.id, "UNEW", datetime(2026, 11, 17, 9, tzinfo=UTC))
    log(session, new, MON, cats, prospecting="1")  # logged the day before joining
    repo.upsert_member(session, ws.id, "UBOSS", "manager", tz="UTC")
    session.flush()

    rows = report_rows(session, ws.id, MON, MON + timedelta(days=6), MON + timedelta(days=1))
    who = {m.user_id: m for m in rows.members}
    # active reps, and anyone with hours (the rep who left); not the manager without hours
    assert sorted(who) == ["UANA", "UGONE", "UNEW"]
    a = who["UANA"].member_id
    # hours per day by kind, two hunting categories summed; the day before the period is not read
    assert rows.day_hours[a] == {
        MON: (D("3.5"), D("4"), D(0)),
        MON + timedelta(days=2): (D(0), D("3"), D(0)),
    }
    assert rows.days_off[a] == {MON + timedelta(days=1)}
    # hours per category up to `upto` (Tuesday): Wednesday's growth hours are not in it
    key = {c.id: c.key for c in rows.categories}
    assert {key[cid]: h for cid, h in rows.category_hours[a].items()} == {
        "prospecting": D("2"),
        "sales_meetings": D("1.5"),
        "account_service": D("4"),
    }
    # first and last answered days: read for the rep who left and the one who joined late
    assert (who["UGONE"].first_answered, who["UGONE"].last_answered) == (
        MON + timedelta(days=1),
        MON + timedelta(days=1),
    )
    assert who["UNEW"].first_answered == MON
    assert who["UANA"].first_answered is None  # on the roster since before the period
    # the trend's read goes further back for the days, not for the categories
    wide = report_rows(session, ws.id, MON, MON + timedelta(days=6), MON, since=MON - timedelta(10))
    assert MON - timedelta(days=10) in wide.day_hours[a]
    # named people only
    only = report_rows(session, ws.id, MON, MON + timedelta(days=6), MON, user_ids=["UGONE"])
    assert [m.user_id for m in only.members] == ["UGONE"]
    assert roster_began(session, ws.id) == EARLY
