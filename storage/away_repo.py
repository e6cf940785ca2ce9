"""Away periods: paused, marked away by a manager, or a Slack status — and the days they cover.

Session first, never commit. A period is inclusive (`first_day` … `last_day`, the rep's local
dates); ending one early shortens it, so the days already away stay recorded for the reports.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from storage.db import insert_ignore
from storage.models import AwayPeriod, DayLog

PAUSED, AWAY, STATUS = "paused", "away", "status"
KINDS = (PAUSED, AWAY, STATUS)
# which reason a day shows when several apply (the order of calendar.work_day_kind)
_RANK = {PAUSED: 0, AWAY: 1, "holiday": 2, STATUS: 3}
MAX_REASON = 200


@dataclass(frozen=True)
class Current:
    """A period that covers a day: its kind, last day and reason."""

    kind: str
    last_day: date
    reason: str | None
    set_by: str | None


def covering(session: Session, member_id: int, kind: str, day: date) -> AwayPeriod | None:
    """The member's period of one kind that covers a day (the latest started), if any."""
    return session.scalar(
        select(AwayPeriod)
        .where(
            AwayPeriod.member_id == member_id,
            AwayPeriod.kind == kind,
            AwayPeriod.first_day <= day,
            AwayPeriod.last_day >= day,
        )
        .order_by(AwayPeriod.first_day.desc())
        .limit(1)
    )


def set_period(
    session: Session,
    member_id: int,
    kind: str,
    today: date,
    until: date,
    *,
    now: datetime,
    set_by: str | None,
    reason: str | None = None,
) -> None:
    """Away from today through `until`: the period covering today moves its end, else one starts.

    `set_by` is who set it: None when it is the member themself.
    """
    if kind not in KINDS or until < today:
        raise ValueError(f"bad away period {kind!r} {today}…{until}")
    text = (reason or "").strip()[:MAX_REASON] or None
    current = covering(session, member_id, kind, today)
    if current is None:
        key = {"member_id": member_id, "kind": kind, "first_day": today}
        row = {**key, "last_day": until, "reason": text, "set_by": set_by, "created_at": now}
        if insert_ignore(session, AwayPeriod, row, list(key)):
            return
        current = covering(session, member_id, kind, today)  # another request started it
        if current is None:  # pragma: no cover - a row starting today always covers today
            return
    current.last_day, current.reason, current.set_by = until, text, set_by
    session.flush()


def end_period(session: Session, member_id: int, kind: str, today: date) -> bool:
    """Back today: periods of a kind still running end yesterday (or go, if they start today)."""
    rows = list(
        session.scalars(
            select(AwayPeriod).where(
                AwayPeriod.member_id == member_id,
                AwayPeriod.kind == kind,
                AwayPeriod.last_day >= today,
            )
        )
    )
    for row in rows:
        if row.first_day >= today:
            session.execute(delete(AwayPeriod).where(AwayPeriod.id == row.id))
        else:
            row.last_day = today - timedelta(days=1)
    session.flush()
    return bool(rows)


def record_status(
    session: Session, member_id: int, day: date, reason: str, *, now: datetime
) -> bool:
    """A day skipped for a Slack status that says away; False when it was already recorded."""
    return insert_ignore(
        session,
        AwayPeriod,
        {
            "member_id": member_id,
            "kind": STATUS,
            "first_day": day,
            "last_day": day,
            "reason": reason[:MAX_REASON],
            "set_by": None,
            "created_at": now,
        },
        ["member_id", "kind", "first_day"],
    )


def current(
    session: Session, member_ids: Iterable[int], today: date, kinds: Iterable[str] = (PAUSED, AWAY)
) -> dict[int, list[Current]]:
    """Periods covering today (or later) per member, soonest-ending first."""
    ids = list(member_ids)
    if not ids:
        return {}
    rows = session.scalars(
        select(AwayPeriod)
        .where(
            AwayPeriod.member_id.in_(ids),
            AwayPeriod.kind.in_(list(kinds)),
            AwayPeriod.first_day <= today,
            AwayPeriod.last_day >= today,
        )
        .order_by(AwayPeriod.last_day)
    )
    out: dict[int, list[Current]] = {}
    for r in rows:
        out.setdefault(r.member_id, []).append(Current(r.kind, r.last_day, r.reason, r.set_by))
    return out


def away_on(
    session: Session, days: Iterable[date], kind: str = AWAY
) -> dict[tuple[int, date], str]:
    """(member id, day) → reason for every period of a kind covering one of the days."""
    wanted = sorted(set(days))
    if not wanted:
        return {}
    rows = session.execute(
        select(
            AwayPeriod.member_id, AwayPeriod.first_day, AwayPeriod.last_day, AwayPeriod.reason
        ).where(
            AwayPeriod.kind == kind,
            AwayPeriod.first_day <= wanted[-1],
            AwayPeriod.last_day >= wanted[0],
        )
    )
    out: dict[tuple[int, date], str] = {}
    for member_id, first, last, reason in rows:
        for day in wanted:
            if first <= day <= last:
                out[(member_id, day)] = _reason(kind, last, reason)
    return out


def _reason(kind: str, last: date, reason: str | None) -> str:
    """`away through Fri 4 Dec: conference`, `paused through …`, or a status's own words."""
    if kind == STATUS:
        return reason or "Slack status"
    head = f"{'paused' if kind == PAUSED else 'away'} through {last:%a %-d %b}"
    return f"{head}: {reason}" if reason else head


def away_days(
    session: Session,
    member_ids: Iterable[int],
    first: date,
    last: date,
    *,
    holiday: Callable[[date], str | None] | None = None,
) -> dict[int, dict[date, str]]:
    """Which days each member was away, and why, between two dates (inclusive).

    Paused ranges, manager-set away ranges, public holidays (`holiday(day)` gives a day's
    holiday name, or None) and days skipped for a Slack status. A day the member logged hours
    for is a worked day, never away. Every member asked for has an entry (maybe empty).
    """
    ids = list(dict.fromkeys(member_ids))
    out: dict[int, dict[date, str]] = {m: {} for m in ids}
    if not ids or last < first:
        return out
    ranks: dict[tuple[int, date], int] = {}

    def put(member_id: int, day: date, kind: str, why: str) -> None:
        key = (member_id, day)
        if key not in ranks or _RANK[kind] < ranks[key]:
            ranks[key] = _RANK[kind]
            out[member_id][day] = why

    periods = session.execute(
        select(
            AwayPeriod.member_id,
            AwayPeriod.kind,
            AwayPeriod.first_day,
            AwayPeriod.last_day,
            AwayPeriod.reason,
        ).where(
            AwayPeriod.member_id.in_(ids),
            AwayPeriod.first_day <= last,
            AwayPeriod.last_day >= first,
        )
    )
    for member_id, kind, start, end, reason in periods:
        day = max(start, first)
        while day <= min(end, last):
            put(member_id, day, kind, _reason(kind, end, reason))
            day += timedelta(days=1)
    if holiday is not None:
        day = first
        while day <= last:
            name = holiday(day)
            if name:
                for member_id in ids:
                    put(member_id, day, "holiday", f"public holiday: {name}")
            day += timedelta(days=1)
    worked = session.execute(
        select(DayLog.member_id, DayLog.work_date).where(
            DayLog.member_id.in_(ids),
            DayLog.work_date >= first,
            DayLog.work_date <= last,
            DayLog.status == "logged",
        )
    )
    for member_id, day in worked:
        out[member_id].pop(day, None)
    return out
