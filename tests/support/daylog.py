"""Day-log seeding and reading back: the roster, logged days, prompts, DMs, the Log hours form."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from sqlalchemy import select

from bot.timelog import views as v
from storage import repo
from storage.models import Category, DayLog, Member, Prompt, TimeEntry
from storage.repo import DEFAULT_CATEGORIES
from tests.fakes import datepicker_value, input_value
from tests.support.app import Running
from tests.support.constants import TEAM_ID


def add_reps(run: Running, *people: tuple[str, str], role: str = "hybrid", **fields: Any) -> None:
    """Put (user id, tz) on the roster directly and in the fake Slack."""
    with run.session() as s:
        ws = repo.ensure_workspace(s, TEAM_ID)
        for user_id, tz in people:
            member, _ = repo.upsert_member(s, ws.id, user_id, role, tz=tz, now=run.clock())
            for key, value in fields.items():
                setattr(member, key, value)
    for user_id, tz in people:
        run.fake.add_user(user_id, tz=tz)


def hours(run: Running, user_id: str, day: date) -> dict[str, Decimal]:
    """Logged hours per category key for one member and date."""
    with run.session() as s:
        rows = s.execute(
            select(Category.key, TimeEntry.hours)
            .join(Category, Category.id == TimeEntry.category_id)
            .join(Member, Member.id == TimeEntry.member_id)
            .where(Member.user_id == user_id, TimeEntry.work_date == day)
        )
        return {k: h for k, h in rows}


def day_status(run: Running, user_id: str, day: date) -> str | None:
    """'logged', 'day_off' or None."""
    with run.session() as s:
        return s.scalar(
            select(DayLog.status)
            .join(Member, Member.id == DayLog.member_id)
            .where(Member.user_id == user_id, DayLog.work_date == day)
        )


def prompts(run: Running) -> list[Prompt]:
    """Every prompt row."""
    with run.session() as s:
        return list(s.scalars(select(Prompt).order_by(Prompt.id)))


def member(run: Running, user_id: str) -> Member:
    """A member row."""
    with run.session() as s:
        return s.scalars(select(Member).where(Member.user_id == user_id)).one()


def dms(run: Running, user_id: str) -> list[Any]:
    """chat.postMessage calls to a member's DM."""
    return [
        c
        for c in run.fake.calls("chat.postMessage")
        if c.args.get("channel") in (user_id, "D" + user_id)
    ]


def write_days(
    run: Running, team_id: str, user_id: str, days: Iterable[date], **hours: str
) -> None:
    """Logged days straight into the database: the same hours per category key on each day."""
    with run.session() as s:
        ws = repo.get_workspace(s, team_id)
        assert ws is not None
        member = repo.get_member(s, ws.id, user_id)
        assert member is not None
        cats = {c.key: c.id for c in repo.categories(s, ws.id)}
        for day in days:
            log = DayLog(
                member_id=member.id,
                work_date=day,
                status="logged",
                source="import",
                logged_at=run.clock(),
            )
            s.add(log)
            s.flush()
            for key, value in hours.items():
                s.add(
                    TimeEntry(
                        day_id=log.id,
                        member_id=member.id,
                        work_date=day,
                        category_id=cats[key],
                        hours=Decimal(value),
                    )
                )


def log_days(
    run: Running, user_id: str, first: date, days: int, *, team_id: str = TEAM_ID, **hours: str
) -> None:
    """Write `days` logged days of the same hours per category key for a member."""
    write_days(run, team_id, user_id, (first + timedelta(days=i) for i in range(days)), **hours)


def number_value(value: str | None) -> dict[str, Any]:
    """State of a number_input (Slack sends the typed number as a string, None when empty)."""
    return {"type": "number_input", "value": value}


def modal_values(day: str | date, **hours: str) -> dict[str, Any]:
    """state.values of the Log hours modal as Slack sends it: every input block, empty ones
    with value None."""
    picked = day.isoformat() if isinstance(day, date) else day
    values: dict[str, Any] = {v.DATE_BLOCK: {v.DATE_ACTION: datepicker_value(picked)}}
    for key, *_ in DEFAULT_CATEGORIES:
        values[v.CATEGORY_BLOCK.format(key)] = {v.HOURS_ACTION: number_value(hours.get(key))}
    values[v.NOTE_BLOCK] = {v.NOTE_ACTION: input_value(None)}
    return values
