"""The rep's week on the Home tab: one row per day with its split and an Edit button, and the
Pause / Resume and `me` buttons (pure builders), and the one read that feeds them."""

from __future__ import annotations

from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from sqlalchemy.orm import Session

from bot import timelog
from bot.calendar import calendar_for, is_holiday
from bot.slack.blocks import button, context, section, truncate
from bot.split import Split, split
from bot.workspace import HOME_ME, HOME_PAUSE, HOME_RESUME, away_note
from storage import away_repo, reps_repo

WEEK_ACTIONS = "home_week_actions"


@dataclass(frozen=True)
class DayRow:
    """One day of the week so far, as the Home shows it."""

    day: date
    status: str | None  # logged | day_off | None (no answer)
    split: Split
    away: str | None  # why the rep was away (a holiday, a pause, a status), or None
    work_day: bool


def day_rows(
    monday: date,
    today: date,
    statuses: Mapping[date, str],
    splits: Mapping[date, Split],
    away: Mapping[date, str],
    work_days: Collection[int],
) -> list[DayRow]:
    """Monday to today; days off the schedule only when something was logged for them."""
    rows = []
    day = monday
    while day <= today:
        work = day.weekday() in work_days
        if work or day in statuses:
            rows.append(
                DayRow(day, statuses.get(day), splits.get(day, Split()), away.get(day), work)
            )
        day += timedelta(days=1)
    return rows


def _row_text(row: DayRow, today: date) -> str:
    label = f"*{timelog.day_label(row.day)}*" + (" (today)" if row.day == today else "")
    if row.status == "logged":
        return f"{label} · {timelog.split_line(row.split)}"
    if row.status == "day_off":
        return f"{label} · 🌴 day off"
    if row.away:
        return f"{label} · 🌴 away — {truncate(row.away, 120)}"
    if row.day == today:
        return f"{label} · not logged yet"
    return f"{label} · ⚠️ not logged"


def _row(row: DayRow, today: date) -> dict[str, Any]:
    block = section(_row_text(row, today))
    answered = row.status is not None
    style = "primary" if not answered and not row.away and row.day == today else None
    block["accessory"] = button(
        "Edit" if answered else "Log", timelog.OPEN_MODAL, row.day.isoformat(), style=style
    )
    return block


def week_blocks(
    rows: Sequence[DayRow], today: date, week: Split, paused_until: date | None
) -> list[dict[str, Any]]:
    """The week so far: a total line, a row per day with Edit/Log, then Pause/Resume and me."""
    blocks: list[dict[str, Any]] = [section(f"*Your week so far:* {timelog.split_line(week)}")]
    blocks += [_row(r, today) for r in rows]
    if not rows:
        blocks.append(context("No work days yet this week."))
    pause = (
        button("Resume", HOME_RESUME, "resume", style="primary")
        if paused_until is not None and paused_until >= today
        else button("Pause", HOME_PAUSE, "pause")
    )
    elements = [pause, button("Your schedule", HOME_ME, "me")]
    if not any(r.day == today for r in rows):  # today is off the schedule: logging still works
        elements.insert(0, button("Log hours", timelog.OPEN_MODAL, today.isoformat()))
    blocks.append({"type": "actions", "block_id": WEEK_ACTIONS, "elements": elements})
    return blocks


def rows_of(
    session: Session,
    member_id: int,
    holidays: str | None,
    monday: date,
    today: date,
    hours_by_day: Mapping[date, Mapping[str, Decimal]],
    work_days: Collection[int],
) -> list[DayRow]:
    """The week's rows from the database (answers, away days) and the hours already read."""
    splits = {d: split(h) for d, h in hours_by_day.items() if monday <= d <= today}
    cal = calendar_for(holidays)
    away = away_repo.away_days(
        session, [member_id], monday, today, holiday=lambda d: is_holiday(cal, d)
    )[member_id]
    statuses = reps_repo.day_statuses(session, member_id, monday, today)
    return day_rows(monday, today, statuses, splits, away, work_days)


def marked_away_note(session: Session, member_id: int, today: date) -> str | None:
    """`A manager marked you away through Fri 4 Dec.` while it lasts, else None."""
    current = away_repo.current(session, [member_id], today, kinds=(away_repo.AWAY,))
    periods = [(p.kind, p.last_day, p.reason) for p in current.get(member_id, [])]
    return away_note(periods) if periods else None
