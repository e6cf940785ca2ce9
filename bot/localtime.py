"""Pure time rules: when a member's evening prompt is due in their own IANA zone."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError


def zone(name: str | None) -> ZoneInfo:
    """The IANA zone, falling back to UTC for an unknown name."""
    try:
        return ZoneInfo(name or "UTC")
    except (ZoneInfoNotFoundError, ValueError):
        return ZoneInfo("UTC")


def local_datetime(day: date, at: time, tz: ZoneInfo) -> datetime:
    """The instant (UTC) of a local wall-clock time; a skipped time moves forward."""
    # fold=0: a time skipped by spring-forward lands after the gap (02:30 → 03:30 EDT), an
    # ambiguous fall-back time is its first occurrence — never an hour early, never twice.
    return datetime.combine(day, at, tzinfo=tz).astimezone(UTC)


def local_midnight_after(day: date, tz: ZoneInfo) -> datetime:
    """The instant (UTC) the member's local day ends."""
    return local_datetime(day + timedelta(days=1), time(0, 0), tz)


def local_today(now: datetime, tz_name: str | None) -> date:
    """The member's local date at `now`."""
    return now.astimezone(zone(tz_name)).date()


@dataclass(frozen=True)
class Due:
    """A prompt that is due: for which local date, since when, and until when."""

    local_date: date
    due_at: datetime
    until: datetime


def due_prompt(
    now: datetime,
    tz_name: str | None,
    prompt_at: time,
    work_days: tuple[int, ...],
    window_minutes: int,
    paused_until: date | None = None,
) -> Due | None:
    """The prompt due at `now`, if any: work day, not paused, in the window, before midnight."""
    tz = zone(tz_name)
    today = now.astimezone(tz).date()
    if today.weekday() not in work_days:
        return None
    if paused_until is not None and today <= paused_until:
        return None
    due_at = local_datetime(today, prompt_at, tz)
    until = min(due_at + timedelta(minutes=window_minutes), local_midnight_after(today, tz))
    if due_at <= now < until:
        return Due(today, due_at, until)
    return None


def week_start(day: date) -> date:
    """The Monday of the day's week."""
    return day - timedelta(days=day.weekday())
