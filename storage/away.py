"""Away days per member: the days a rep was not expected to answer (session first, no commit).

Covers pauses (`/rolesplit pause`). A pause is stored only by its last day (`paused_until`, kept
after it has passed); its first day is the day after the rep's last prompt or answer on or before
that last day (no prompt is sent while paused), or the day they joined when there is none. Days
in the requested range that fall in that stretch are away, weekends included (the reports keep
only the rep's work days).
"""

from __future__ import annotations

from collections.abc import Collection
from datetime import date, timedelta

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from storage.models import DayLog, Member, Prompt


def _short_day(day: date) -> str:
    return day.strftime("%a %-d %b")


def away_days(
    session: Session, member_ids: Collection[int], first: date, last: date
) -> dict[int, dict[date, str]]:
    """Away dates with their reason, per member id, for the dates from `first` to `last`."""
    if not member_ids or last < first:
        return {}
    paused: dict[int, tuple[date, date]] = {
        mid: (until, created.date())
        for mid, until, created in session.execute(
            select(Member.id, Member.paused_until, Member.created_at).where(
                Member.id.in_(list(member_ids)),
                Member.paused_until.is_not(None),
                Member.paused_until >= first,
            )
        )
        if until is not None
    }
    if not paused:
        return {}
    before: dict[int, date] = {}
    for column, member_col in (
        (Prompt.local_date, Prompt.member_id),
        (DayLog.work_date, DayLog.member_id),
    ):
        rows = session.execute(
            select(member_col, func.max(column))
            .join(Member, Member.id == member_col)
            .where(Member.id.in_(list(paused)), column <= Member.paused_until)
            .group_by(member_col)
        )
        for mid, day in rows:
            if day is not None and (mid not in before or day > before[mid]):
                before[mid] = day
    out: dict[int, dict[date, str]] = {}
    for mid, (until, joined) in paused.items():
        start = max(first, before[mid] + timedelta(days=1) if mid in before else joined)
        end = min(last, until)
        if end < start:
            continue
        reason = f"paused through {_short_day(until)}"
        out[mid] = {start + timedelta(days=i): reason for i in range((end - start).days + 1)}
    return out
