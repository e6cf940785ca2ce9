"""Pure time rules of the evening log: local dates, due prompts, reminders, edit window, pause.

Every instant is an aware UTC datetime; every date is the member's local date in their IANA zone
(Slack's `tz`), so daylight-saving changes and odd offsets move nothing.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

# Never two prompts closer than this, whatever the dates say: a member who flies west after
# tonight's prompt would otherwise be asked again for "today" a few hours later.
MIN_PROMPT_GAP = timedelta(hours=12)
DEFAULT_PAUSE_DAYS = 7
MAX_PAUSE_DAYS = 365
WEEKDAY_NAMES = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")


def zone(name: str | None) -> ZoneInfo:
    """The IANA zone, falling back to UTC for an unknown or empty name."""
    try:
        return ZoneInfo(name or "UTC")
    except (ZoneInfoNotFoundError, ValueError):
        return ZoneInfo("UTC")


def local_datetime(day: date, at: time, tz: ZoneInfo) -> datetime:
    """The UTC instant of a local wall-clock time; a time skipped by spring-forward moves on."""
    # fold=0: a skipped time (02:30 on the night clocks jump) lands after the gap (03:30
    # EDT); an ambiguous fall-back time is its first occurrence — never an hour early or twice.
    return datetime.combine(day, at, tzinfo=tz).astimezone(UTC)


def local_midnight_after(day: date, tz: ZoneInfo) -> datetime:
    """The UTC instant the member's local day ends."""
    return local_datetime(day + timedelta(days=1), time(0, 0), tz)


def local_today(now: datetime, tz_name: str | None) -> date:
    """The member's local date at `now`."""
    return now.astimezone(zone(tz_name)).date()


def week_start(day: date) -> date:
    """The Monday of the day's week."""
    return day - timedelta(days=day.weekday())


def week_range(day: date) -> tuple[date, date]:
    """Monday of the day's week, and the day itself (the week so far)."""
    return week_start(day), day


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
    """The prompt due at `now`, if any: work day, not paused, inside the window, before midnight."""
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


def reminder_at(
    sent_at: datetime, local_date: date, tz_name: str | None, after_minutes: int
) -> datetime | None:
    """When the one reminder is due, or None when that would be after local midnight."""
    at = sent_at + timedelta(minutes=after_minutes)
    return at if at < local_midnight_after(local_date, zone(tz_name)) else None


def next_prompt(
    now: datetime,
    tz_name: str | None,
    prompt_at: time,
    work_days: tuple[int, ...],
    paused_until: date | None = None,
) -> datetime | None:
    """The next instant a prompt time comes round (today's if still ahead), skipping the pause."""
    tz = zone(tz_name)
    day = now.astimezone(tz).date()
    for _ in range(MAX_PAUSE_DAYS + 8):
        if day.weekday() in work_days and (paused_until is None or day > paused_until):
            at = local_datetime(day, prompt_at, tz)
            if at >= now:
                return at
        day += timedelta(days=1)
    return None


def check_log_date(work_date: date | None, today: date, edit_window_days: int) -> str | None:
    """Why a date cannot be logged (missing, in the future, older than the window), or None."""
    if work_date is None:
        return "Pick the day these hours are for."
    if work_date > today:
        return (
            f"{work_date:%a %-d %b} hasn't happened yet where you are — "
            "pick today or an earlier day."
        )
    oldest = today - timedelta(days=edit_window_days)
    if work_date < oldest:
        return (
            f"Days older than {edit_window_days} days can't be changed any more "
            f"(the oldest you can log is {oldest:%a %-d %b})."
        )
    return None


def parse_day(text: str, today: date) -> date | None:
    """`` / `today` / `yesterday` / `YYYY-MM-DD` / a weekday name (its latest, today included)."""
    word = text.strip().lower()
    if word in ("", "today"):
        return today
    if word == "yesterday":
        return today - timedelta(days=1)
    if re.fullmatch(r"\d{4}-\d{2}-\d{2}", word):
        try:
            return date.fromisoformat(word)
        except ValueError:
            return None
    for number, name in enumerate(WEEKDAY_NAMES):
        if len(word) >= 3 and name.startswith(word):
            return today - timedelta(days=(today.weekday() - number) % 7)
    return None


_PAUSE_DAYS = re.compile(r"^(\d{1,4})\s*(d|days?|w|wks?|weeks?)?$", re.IGNORECASE)
_PAUSE_UNTIL = re.compile(r"^(?:until|till|to|through)\s+(\S+)$", re.IGNORECASE)


def parse_pause(args: str, today: date) -> date | str:
    """The last paused day (inclusive) for `[N days|N weeks|until YYYY-MM-DD]`, or the problem."""
    text = " ".join(args.split())
    if not text:
        return today + timedelta(days=DEFAULT_PAUSE_DAYS - 1)
    until = _PAUSE_UNTIL.match(text)
    if until:
        day = parse_day(until.group(1), today) if "-" in until.group(1) else None
        if day is None:
            return f"“{until.group(1)}” isn't a date like {today + timedelta(days=7):%Y-%m-%d}."
        if day < today:
            return f"{day:%a %-d %b} has already passed — pick today or a later day."
        if day > today + timedelta(days=MAX_PAUSE_DAYS):
            return f"A pause can last at most {MAX_PAUSE_DAYS} days."
        return day
    count = _PAUSE_DAYS.match(text)
    if count is None:
        return f"I couldn't read “{text}”."
    days = int(count.group(1)) * (7 if (count.group(2) or "d").lower().startswith("w") else 1)
    if not 1 <= days <= MAX_PAUSE_DAYS:
        return f"Pause for 1 to {MAX_PAUSE_DAYS} days."
    return today + timedelta(days=days - 1)
