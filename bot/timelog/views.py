"""Block Kit for the evening log: the prompt DM, confirmations and help texts (form: logform)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from bot.slack.blocks import (
    MAX_MESSAGE_BLOCKS,
    button,
    context,
    fmt_hours,
    section,
    shorten,
    truncate,
)
from bot.split import Split, whole_percentages

# the Log hours form lives in logform; its ids and builders are used through this module too
from bot.timelog.logform import CATEGORY_BLOCK as CATEGORY_BLOCK
from bot.timelog.logform import DATE_ACTION as DATE_ACTION
from bot.timelog.logform import DATE_BLOCK as DATE_BLOCK
from bot.timelog.logform import HOURS_ACTION as HOURS_ACTION
from bot.timelog.logform import MAX_CATEGORIES as MAX_CATEGORIES
from bot.timelog.logform import MODAL_CALLBACK as MODAL_CALLBACK
from bot.timelog.logform import NOTE_ACTION as NOTE_ACTION
from bot.timelog.logform import NOTE_BLOCK as NOTE_BLOCK
from bot.timelog.logform import ModalReading as ModalReading
from bot.timelog.logform import info_modal as info_modal
from bot.timelog.logform import modal as modal
from bot.timelog.logform import read_modal as read_modal
from bot.timelog.names import category_names, norm
from bot.timelog.parse import EXAMPLE, CategoryRef, Unreadable

# ids shared by the builders and the listeners (kept from the first release: old prompts work)
OPEN_MODAL = "daylog_open"
SAME_AS_YESTERDAY = "daylog_same"
DAY_OFF = "daylog_off"
ACTIONS_BLOCK = "daylog_actions"
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
        day_buttons(day),
        context(f"Or reply here in plain words, e.g. `{WORDS_EXAMPLE}`."),
    ]


def day_buttons(day: date) -> dict[str, Any]:
    """Log hours / Same as yesterday / Day off for one day."""
    value = day.isoformat()
    return {
        "type": "actions",
        "block_id": ACTIONS_BLOCK,
        "elements": [
            button("Log hours", OPEN_MODAL, value, style="primary"),
            button("Same as yesterday", SAME_AS_YESTERDAY, value),
            button("Day off", DAY_OFF, value),
        ],
    }


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
            context(" · ".join(f"{shorten(n, 40)} {fmt_hours(h)}" for n, h in by_category))
        )
    blocks.append(context(week_text))
    return f"{head}\n{week_text}".replace("*", ""), blocks


def words_help(
    unreadable: Sequence[Unreadable] = (), choices: str = "", example: str = WORDS_EXAMPLE
) -> str:
    """The answer to a reply that could not be read: which part, why, and an example.

    `choices` names the categories (WordsReading.choices), `example` is in their names.
    """
    unknown = list(dict.fromkeys(u.unknown for u in unreadable if u.unknown))
    others = [u for u in unreadable if not u.unknown]
    said = []
    if others:
        parts = [f"“{truncate(u.part, 60)}” ({u.reason})" for u in others[:5]]
        said.append(f"I couldn't read {', '.join(parts)}.")
    if unknown:
        words = " or ".join(f"“{truncate(w, 40)}”" for w in unknown[:5])
        known = f" — the categories are {choices}" if choices else ""
        said.append(f"I don't know {words}{known}.")
    if not said:
        said.append("I couldn't find any hours in that, so")
    head = " ".join(said) + " I saved nothing."
    return (
        f"{head} Try e.g. `{example}` — put `yesterday` or a date like "
        "`2026-11-20` first for another day, or reply `day off`. "
        "`/rolesplit log` opens the form; reply `help` for everything you can type."
    )


def example_line(categories: Sequence[CategoryRef]) -> str:
    """`prospecting 2, meetings 1.5, accounts 4` from the workspace's own categories."""
    names = category_names(categories)
    picks = sorted({0, 1, len(categories) // 2} & set(range(len(categories))))
    amounts = ("2", "1.5", "4")
    return ", ".join(
        f"{names.typeable[categories[i].key]} {h}" for i, h in zip(picks, amounts, strict=False)
    )


def dm_help(categories: Sequence[CategoryRef], day: date) -> tuple[str, list[dict[str, Any]]]:
    """The answer to `help` (or `hi`, `?`) in the DM: what can be typed there, and the buttons."""
    names = category_names(categories)
    keys = [c.key for c in categories]
    example = example_line(categories) or WORDS_EXAMPLE
    typed = [names.typeable[k] for k in keys] or ["prospecting"]
    first, other = typed[0], typed[len(typed) // 2]
    how = (
        "*Reply here in plain words* — a category and its hours, as many as you like, "
        "separated by commas, `and`, new lines or just spaces:\n"
        f"• `{example}`\n"
        f"• `2h {first}, 1.5 {other}` or `{first} 3 {other} 4`\n"
        f"• `yesterday: {first} 2` or `2026-11-20 {other} 3` for an earlier day\n"
        "• `day off` when you weren't working\n"
        "Hours in quarter hours: `1.5`, `1:30`, `90m` and `1h30` all work. "
        "Logging a day again replaces it."
    )
    lines: list[str] = []
    for n, cat in enumerate(categories):
        usable = [a for a in cat.aliases if names.table.get(norm(a)) == cat.key]
        said = ", ".join(dict.fromkeys([names.typeable[cat.key], *map(norm, usable)]))
        line = f"• *{truncate(cat.label, 80)}*: {truncate(said, 300)}"
        if sum(len(x) + 1 for x in lines) + len(line) > 2800:  # one section holds 3000
            lines.append(f"… and {len(categories) - n} more")
            break
        lines.append(line)
    blocks = [
        section(how),
        section("*Names you can use*\n" + "\n".join(lines)),
        context(f"Or tap a button for {day_label(day)}:"),
        day_buttons(day),
        context(
            "`/rolesplit log yesterday` opens the form for an earlier day · `/rolesplit me` "
            "sets your prompt time, work days and time away · `/rolesplit pause` stops prompts."
        ),
    ]
    text = f"What you can type here: e.g. `{example}`, `yesterday: {first} 2` or `day off`."
    return text, blocks[:MAX_MESSAGE_BLOCKS]


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


def click_not_saved(day: date) -> str:
    """When a button's day could not be saved: nothing changed, and what to do."""
    return (
        f"Sorry — I couldn't save {day_label(day)} just now, so nothing changed. "
        "Tap the button again in a moment."
    )
