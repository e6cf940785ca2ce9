"""Block Kit for the evening log: the prompt DM, the Log hours modal, confirmations."""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from bot.hours import CategoryRef
from bot.rules import Split, whole_percentages
from bot.views.common import button, context, fmt_hours, plain, section, truncate

OPEN_MODAL = "daylog_open"
SAME_AS_YESTERDAY = "daylog_same"
DAY_OFF = "daylog_off"
MODAL_CALLBACK = "daylog_submit"
DATE_BLOCK, DATE_ACTION = "date", "date"
NOTE_BLOCK, NOTE_ACTION = "note", "note"
HOURS_ACTION = "hours"
CATEGORY_BLOCK = "cat_{}"
WORDS_EXAMPLE = "prospecting 2, meetings 1.5, accounts 4"


@dataclass(frozen=True)
class Week:
    """A member's week so far, for the prompt and the confirmation."""

    split: Split
    days_answered: int


def split_line(s: Split) -> str:
    """`7.5 h — hunting 40% · farming 53% · other 7%` (or `no hours yet`)."""
    pct = whole_percentages(s)
    if pct is None:
        return "no hours yet"
    return (
        f"{fmt_hours(s.total)} h — hunting {pct['hunting']}% · farming {pct['farming']}%"
        f" · other {pct['other']}%"
    )


def day_label(day: date) -> str:
    """`Tue 24 Nov`."""
    return day.strftime("%a %-d %b")


def prompt_blocks(
    user_id: str, day: date, week: Week, *, reminder: bool = False
) -> list[dict[str, Any]]:
    """The evening DM: a question, the week so far, and three buttons."""
    value = day.isoformat()
    if reminder:
        ask = f"Quick reminder, <@{user_id}>: how did {day_label(day)} split? One tap is enough."
    else:
        ask = (
            f"Hi <@{user_id}>! How did your day split between new business and existing "
            f"accounts? ({day_label(day)})"
        )
    return [
        section(ask),
        context(f"This week so far: {split_line(week.split)}"),
        {
            "type": "actions",
            "block_id": "daylog_actions",
            "elements": [
                button("Log hours", OPEN_MODAL, value, style="primary"),
                button("Same as yesterday", SAME_AS_YESTERDAY, value),
                button("Day off", DAY_OFF, value),
            ],
        },
        context(f"Or just reply here in plain words, e.g. `{WORDS_EXAMPLE}`."),
    ]


def answered_blocks(day: date, summary: str) -> list[dict[str, Any]]:
    """The prompt after it was answered (buttons replaced)."""
    return [
        section(f"✅ {day_label(day)}: {summary}"),
        context("To correct it, use `/rolesplit log " + day.isoformat() + "`."),
    ]


def modal(
    day: date,
    categories: Sequence[CategoryRef],
    current: Mapping[str, Decimal],
    note: str | None,
    metadata: dict[str, Any],
) -> dict[str, Any]:
    """The Log hours modal: a date, one hours field per active category, and a note."""
    blocks: list[dict[str, Any]] = [
        {
            "type": "input",
            "block_id": DATE_BLOCK,
            "label": plain("Day"),
            "element": {
                "type": "datepicker",
                "action_id": DATE_ACTION,
                "initial_date": day.isoformat(),
            },
        },
        context(
            "Hours in quarter hours (1.25 or 1:15). Leave a field empty for 0. "
            "Saving again replaces that day."
        ),
    ]
    for cat in categories[:95]:
        element: dict[str, Any] = {
            "type": "plain_text_input",
            "action_id": HOURS_ACTION,
            "placeholder": plain("0"),
        }
        if cat.key in current:
            element["initial_value"] = fmt_hours(current[cat.key])
        blocks.append(
            {
                "type": "input",
                "block_id": CATEGORY_BLOCK.format(cat.key),
                "optional": True,
                "label": plain(cat.label, 2000),
                "element": element,
            }
        )
    note_el: dict[str, Any] = {
        "type": "plain_text_input",
        "action_id": NOTE_ACTION,
        "multiline": True,
        "max_length": 2000,
    }
    if note:
        note_el["initial_value"] = truncate(note, 2000)
    blocks.append(
        {
            "type": "input",
            "block_id": NOTE_BLOCK,
            "optional": True,
            "label": plain("Note (optional)"),
            "element": note_el,
        }
    )
    return {
        "type": "modal",
        "callback_id": MODAL_CALLBACK,
        "title": plain("Log your hours", 24),
        "submit": plain("Save", 24),
        "close": plain("Cancel", 24),
        "private_metadata": json.dumps(metadata)[:3000],
        "blocks": blocks,
    }


def read_modal(
    values: Mapping[str, Any], categories: Sequence[CategoryRef]
) -> tuple[str | None, dict[str, str | None], str | None]:
    """(date text, raw hours per category key, note) from a submitted view's state."""
    day = (values.get(DATE_BLOCK) or {}).get(DATE_ACTION, {}).get("selected_date")
    fields = {
        cat.key: (values.get(CATEGORY_BLOCK.format(cat.key)) or {})
        .get(HOURS_ACTION, {})
        .get("value")
        for cat in categories
    }
    note = (values.get(NOTE_BLOCK) or {}).get(NOTE_ACTION, {}).get("value")
    return day, fields, (note.strip() or None) if note else None


def confirmation_text(
    day: date, day_split: Split, week: Week, *, day_off: bool = False, corrected: bool = False
) -> str:
    """The short DM after each log: the day's split and the week so far."""
    verb = "Updated" if corrected else "Logged"
    if day_off:
        head = f"🌴 {day_label(day)} recorded as a day off — it's left out of your shares."
    else:
        head = f"✅ {verb} {day_label(day)}: {split_line(day_split)}."
    return f"{head}\nThis week so far: {split_line(week.split)}."


def words_help(unreadable: Sequence[str] = ()) -> str:
    """The answer to a DM the app could not read: what went wrong and an example."""
    if unreadable:
        parts = ", ".join(f"“{truncate(p, 60)}”" for p in unreadable[:5])
        first = f"I couldn't read {parts}, so I saved nothing."
    else:
        first = "I couldn't find any hours in that, so I saved nothing."
    return (
        f"{first} Try e.g. `{WORDS_EXAMPLE}` (add `yesterday` in front for yesterday), "
        "or tap *Log hours* on tonight's message."
    )
