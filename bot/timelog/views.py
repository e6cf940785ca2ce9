"""Block Kit for the evening log: the prompt DM, the Log hours modal, confirmations, help texts."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from bot.slack.blocks import MAX_VIEW_BLOCKS, button, context, fmt_hours, section, truncate
from bot.split import Split, whole_percentages
from bot.timelog.parse import (
    EXAMPLE,
    Unreadable,
    format_entries,
)

# ids shared by the builders and the listeners (kept from the first release: old prompts work)
OPEN_MODAL = "daylog_open"
SAME_AS_YESTERDAY = "daylog_same"
DAY_OFF = "daylog_off"
MODAL_CALLBACK = "daylog_submit"
ACTIONS_BLOCK = "daylog_actions"
DATE_BLOCK, DATE_ACTION = "daylog_date", "daylog_date"
NOTE_BLOCK, NOTE_ACTION = "daylog_note", "daylog_note"
HOURS_ACTION = "hours"
CATEGORY_BLOCK = "cat_{}"  # + ".<day>" once the date was changed: a new id re-applies the prefill
MAX_CATEGORIES = MAX_VIEW_BLOCKS - 4  # date, hint, note and one spare
WORDS_EXAMPLE = EXAMPLE
NOT_ON_ROSTER = (
    "You're not on the rolesplit roster, so there's nothing to log for you yet. "
    "Ask a manager to add you with `/rolesplit add @you as hunter` (or farmer, hybrid)."
)
NOT_A_REP = (
    "You're on the roster as a manager, and only reps (hunter, farmer, hybrid) log hours. "
    "Ask a manager to change your role if you sell too."
)


@dataclass(frozen=True)
class Week:
    """A member's week so far, for the prompt and the confirmation."""

    split: Split
    days_answered: int


def day_label(day: date) -> str:
    """`Tue 24 Nov`."""
    return day.strftime("%a %-d %b")


def split_line(s: Split) -> str:
    """`7.5 h — hunting 40% · farming 53% · other 7%` (or `no hours yet`)."""
    pct = whole_percentages(s)
    if pct is None:
        return "no hours yet"
    return (
        f"{fmt_hours(s.total)} h — hunting {pct['hunting']}% · farming {pct['farming']}%"
        f" · other {pct['other']}%"
    )


def week_line(week: Week) -> str:
    """`15 h over 2 days — hunting 40% · …`."""
    if week.split.total == 0:
        return "no hours yet" + (
            f" ({week.days_answered} day{'s' * (week.days_answered != 1)} answered)"
            if week.days_answered
            else ""
        )
    days = f" over {week.days_answered} day{'s' * (week.days_answered != 1)}"
    head, _, shares = split_line(week.split).partition(" — ")
    return f"{head}{days if week.days_answered else ''} — {shares}"


# ---------------------------------------------------------------- the evening DM


def prompt_text(day: date, *, reminder: bool = False) -> str:
    """The notification text of a prompt or its reminder."""
    if reminder:
        return f"Quick reminder: how did {day_label(day)} split? One tap or one line is enough."
    return f"How did {day_label(day)} split? Tap Log hours or reply in plain words."


def prompt_blocks(
    user_id: str, day: date, week: Week, *, reminder: bool = False
) -> list[dict[str, Any]]:
    """The evening DM: a question, the week so far, and Log hours / Same as yesterday / Day off."""
    value = day.isoformat()
    if reminder:
        ask = (
            f"Quick reminder, <@{user_id}>: how did *{day_label(day)}* split between new "
            "business and existing accounts? One tap is enough."
        )
    else:
        ask = (
            f"Hi <@{user_id}>! How did your day (*{day_label(day)}*) split between new business "
            "and existing accounts?"
        )
    return [
        section(ask),
        context(f"This week so far: {week_line(week)}"),
        {
            "type": "actions",
            "block_id": ACTIONS_BLOCK,
            "elements": [
                button("Log hours", OPEN_MODAL, value, style="primary"),
                button("Same as yesterday", SAME_AS_YESTERDAY, value),
                button("Day off", DAY_OFF, value),
            ],
        },
        context(f"Or reply here in plain words, e.g. `{WORDS_EXAMPLE}`."),
    ]


def answered_blocks(day: date, summary: str) -> list[dict[str, Any]]:
    """The prompt after it was answered: the buttons give way to what was recorded."""
    return [
        section(f"✅ *{day_label(day)}*: {summary}"),
        context(f"To correct it: `/rolesplit log {day.isoformat()}`, or reply with new hours."),
    ]


# ---------------------------------------------------------------- answers


def shares_line(s: Split) -> str:
    """`hunting 3.5 h (47%) · farming 4 h (53%) · other 0 h (0%)`."""
    pct = whole_percentages(s) or {"hunting": 0, "farming": 0, "other": 0}
    return " · ".join(
        f"{kind} {fmt_hours(getattr(s, kind))} h ({pct[kind]}%)"
        for kind in ("hunting", "farming", "other")
    )


def confirmation(
    day: date,
    day_split: Split,
    week: Week,
    by_category: Sequence[tuple[str, Decimal]],
    *,
    day_off: bool = False,
    replaced: bool = False,
) -> tuple[str, list[dict[str, Any]]]:
    """The DM after each log: the day's split and the week so far (text and blocks)."""
    if day_off:
        head = f"🌴 *{day_label(day)}* recorded as a day off — it's left out of your shares."
    else:
        verb = "Updated" if replaced else "Logged"
        head = f"✅ {verb} *{day_label(day)}*: {fmt_hours(day_split.total)} h — " + shares_line(
            day_split
        )
    week_text = f"This week so far: {week_line(week)}"
    blocks = [section(head)]
    if by_category and not day_off:
        blocks.append(
            context(" · ".join(f"{truncate(n, 40)} {fmt_hours(h)}" for n, h in by_category))
        )
    blocks.append(context(week_text))
    return f"{head}\n{week_text}".replace("*", ""), blocks


def words_help(unreadable: Sequence[Unreadable] = ()) -> str:
    """The answer to a reply that could not be read: which part, why, and an example."""
    if unreadable:
        parts = []
        for u in unreadable[:5]:
            why = f" ({u.reason})" if u.reason else ""
            parts.append(f"“{truncate(u.part, 60)}”{why}")
        first = f"I couldn't read {', '.join(parts)}, so I saved nothing."
    else:
        first = "I couldn't find any hours in that, so I saved nothing."
    return (
        f"{first} Try e.g. `{WORDS_EXAMPLE}` — put `yesterday` or a date like "
        "`2026-11-20` first for another day, or reply `day off`. "
        "`/rolesplit log` opens the form."
    )


def too_many_hours(total: Decimal) -> str:
    """A plain-words day over 24 hours."""
    return (
        f"That adds up to {fmt_hours(total)} h, and a day has at most 24 — I saved nothing. "
        "Send the corrected hours in one message."
    )


def no_hours() -> str:
    """A plain-words reply whose hours are all zero."""
    return (
        "That's 0 hours in total, so I saved nothing. If you were off, reply `day off`; "
        f"otherwise e.g. `{WORDS_EXAMPLE}`."
    )


def form_failed(day: date, error: str) -> str:
    """A DM when the Log hours form could not be opened: why, and two ways on."""
    return (
        f"Sorry — I couldn't open the form for {day_label(day)} (Slack said `{error}`). "
        f"Tap *Log hours* again, or reply here in plain words, e.g. `{WORDS_EXAMPLE}`."
    )


def save_failed(day: date, hours: Mapping[str, Decimal], note: str | None) -> str:
    """A DM when a submitted day could not be saved: what was entered, so nothing is lost."""
    entered = format_entries((key.replace("_", " "), h) for key, h in hours.items())
    lines = [
        f"Sorry — I couldn't save {day_label(day)} just now, so nothing changed. You entered:",
        f"`{day.isoformat()} {entered}`",
    ]
    if note:
        lines.append(f"Note: {truncate(note, 500)}")
    lines.append("Reply with that line here to log it, or tap *Log hours* again.")
    return "\n".join(lines)
