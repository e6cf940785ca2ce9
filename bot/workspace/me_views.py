"""Block Kit for a rep's own settings beyond the `/rolesplit me` form: pause form, answers."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date, datetime, timedelta
from typing import Any

from bot.slack.blocks import context, form_modal, plain, text_input, truncate
from bot.timecalc import DEFAULT_PAUSE_DAYS, MAX_PAUSE_DAYS
from bot.workspace.welcome_views import (
    MAX_REASON,
    ME_AWAY_ACTION,
    ME_AWAY_BLOCK,
    ME_REASON_ACTION,
    ME_REASON_BLOCK,
    REASON_EXAMPLE,
    days_text,
)

PAUSE_CALLBACK = "pause_submit"
HOME_ME, HOME_PAUSE, HOME_RESUME = "home_me", "home_pause", "home_resume"  # App Home buttons
USAGE = "me — your own prompt time, work days and time away"
NOT_A_REP = (
    "Only reps (hunter, farmer, hybrid) get the evening question, so there's nothing to set "
    "for you here. Ask a manager to add you with `/rolesplit add @you as hunter` if you sell."
)


def pause_modal(today: date, metadata: Mapping[str, Any] | None = None) -> dict[str, Any]:
    """A short form: no evening questions through a day, and why (optional)."""
    return form_modal(
        PAUSE_CALLBACK,
        "Pause",
        [
            {
                "type": "input",
                "block_id": ME_AWAY_BLOCK,
                "label": plain("No evening questions through"),
                "hint": plain("Those days don't count as missed. Resume any time.", 150),
                "element": {
                    "type": "datepicker",
                    "action_id": ME_AWAY_ACTION,
                    "initial_date": (today + timedelta(days=DEFAULT_PAUSE_DAYS - 1)).isoformat(),
                },
            },
            {
                "type": "input",
                "block_id": ME_REASON_BLOCK,
                "optional": True,
                "label": plain("Reason"),
                "element": text_input(ME_REASON_ACTION, MAX_REASON, REASON_EXAMPLE),
            },
        ],
        metadata=metadata or {},
        submit="Pause",
    )


def read_pause(
    values: Mapping[str, Any], today: date
) -> tuple[date | None, str | None, dict[str, str]]:
    """(last paused day, reason, errors by block id) from a submitted pause form."""
    block = values.get(ME_AWAY_BLOCK)
    picked = block.get(ME_AWAY_ACTION) if isinstance(block, Mapping) else None
    raw = picked.get("selected_date") if isinstance(picked, Mapping) else None
    reason_block = values.get(ME_REASON_BLOCK)
    reason_el = reason_block.get(ME_REASON_ACTION) if isinstance(reason_block, Mapping) else None
    reason_raw = reason_el.get("value") if isinstance(reason_el, Mapping) else None
    reason = " ".join(str(reason_raw or "").split())[:MAX_REASON] or None
    try:
        until = date.fromisoformat(str(raw)) if raw else None
    except ValueError:
        until = None
    last = today + timedelta(days=MAX_PAUSE_DAYS)
    if until is None:
        return None, reason, {ME_AWAY_BLOCK: "Pick the last day you're away."}
    if until < today:
        return None, reason, {ME_AWAY_BLOCK: f"{until:%a %-d %b} has passed — pick today or later."}
    if until > last:
        return (
            None,
            reason,
            {ME_AWAY_BLOCK: f"At most a year ahead — pick {last:%-d %b %Y} or earlier."},
        )
    return until, reason, {}


def away_note(kind_until: Sequence[tuple[str, date, str | None]]) -> str:
    """`A manager marked you away through Fri 4 Dec (conference).` for the forms and Home."""
    parts = []
    for kind, until, reason in kind_until:
        why = f" ({truncate(reason, 80)})" if reason else ""
        who = "A manager marked you away" if kind == "away" else "You're paused"
        parts.append(f"{who} through {until:%a %-d %b}{why}.")
    return " ".join(parts)


def manager_away_context(note: str) -> dict[str, Any]:
    """A context line for the `me` form when a manager marked the rep away."""
    return context(f"🌴 {note} No questions till then; a manager can end it early.")


def saved_text(
    prompt_time: str,
    work_days: Sequence[int],
    tz: str,
    next_at: datetime | None,
    away_until: date | None,
    reason: str | None,
    own: bool,
) -> str:
    """The DM after `/rolesplit me` is saved: the schedule, when the next question comes, away."""
    whose = "your own" if own else "the team's"
    lines = [
        f"✅ Saved — your evening question comes at *{prompt_time}* your time ({tz}) on "
        f"*{days_text(work_days)}* ({whose} schedule)."
    ]
    if away_until:
        why = f" ({truncate(reason, 80)})" if reason else ""
        lines.append(
            f"🌴 Away through *{away_until:%a %-d %b}*{why}: no questions or reminders till "
            "then, and those days don't count as missed."
        )
    if next_at is not None:
        lines.append(f"Next question: {next_at:%a %-d %b at %H:%M}.")
    lines.append("Change it any time with `/rolesplit me`.")
    return "\n".join(lines)
