"""Block Kit for the Log hours form: one number field per active category, and its reading."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Any

from bot.slack.blocks import (
    MAX_VIEW_BLOCKS,
    context,
    fmt_hours,
    form_modal,
    plain,
    section,
    truncate,
)
from bot.timelog.parse import MAX_DAY, CategoryRef, HoursError, parse_hours

# ids shared by the builders and the listeners (kept from the first release: old forms work)
MODAL_CALLBACK = "daylog_submit"
DATE_BLOCK, DATE_ACTION = "daylog_date", "daylog_date"
NOTE_BLOCK, NOTE_ACTION = "daylog_note", "daylog_note"
HOURS_ACTION = "hours"
CATEGORY_BLOCK = "cat_{}"  # + ".<day>" once the date was changed: a new id re-applies the prefill
MAX_CATEGORIES = MAX_VIEW_BLOCKS - 4  # date, hint, note and one spare
MAX_NOTE = 2000


def hours_input(initial: Decimal | None = None) -> dict[str, Any]:
    """A number_input for hours: decimals allowed, 0 to 24 (Slack checks the range as typed)."""
    element: dict[str, Any] = {
        "type": "number_input",
        "action_id": HOURS_ACTION,
        "is_decimal_allowed": True,
        "min_value": "0",
        "max_value": fmt_hours(MAX_DAY),
        "placeholder": plain("0"),
    }
    if initial:
        element["initial_value"] = fmt_hours(initial)
    return element


def modal(
    day: date,
    categories: Sequence[CategoryRef],
    current: Mapping[str, Decimal],
    note: str | None,
    metadata: Mapping[str, Any],
    *,
    notice: str | None = None,
    reload: bool = False,
) -> dict[str, Any]:
    """The Log hours modal: the day, one hours field per active category, an optional note.

    `reload` (after the date was changed) gives the fields new block ids: Slack keeps what was
    typed into a block it already knows, and the new date's logged hours must show instead.
    """
    blocks: list[dict[str, Any]] = []
    if notice:
        blocks.append(section(notice))
    blocks += [
        {
            "type": "input",
            "block_id": DATE_BLOCK,
            "dispatch_action": True,  # a new date reloads what is logged for it
            "label": plain("Day"),
            "element": {
                "type": "datepicker",
                "action_id": DATE_ACTION,
                "initial_date": day.isoformat(),
            },
        },
        context(
            "Hours in quarter hours: 1.25 is 1 h 15 min, 0.5 is half an hour; empty means 0. "
            "Saving again replaces the day — it's a correction, not an addition."
        ),
    ]
    for cat in categories[:MAX_CATEGORIES]:
        blocks.append(
            {
                "type": "input",
                "block_id": CATEGORY_BLOCK.format(cat.key) + (f".{day}" if reload else ""),
                "optional": True,
                "label": plain(cat.label, 2000),
                "element": hours_input(current.get(cat.key)),
            }
        )
    note_el: dict[str, Any] = {
        "type": "plain_text_input",
        "action_id": NOTE_ACTION,
        "multiline": True,
        "max_length": MAX_NOTE,
    }
    if note:
        note_el["initial_value"] = truncate(note, MAX_NOTE)
    blocks.append(
        {
            "type": "input",
            "block_id": NOTE_BLOCK,
            "optional": True,  # Slack shows "(optional)" beside the label itself
            "label": plain("Note"),
            "element": note_el,
        }
    )
    return form_modal(
        MODAL_CALLBACK,
        "Log your hours",
        blocks,
        metadata=metadata,
    )


@dataclass
class ModalReading:
    """A submitted modal: its date text, hours per category key, note, and errors by block id."""

    day: str | None
    hours: dict[str, Decimal] = field(default_factory=dict)
    note: str | None = None
    errors: dict[str, str] = field(default_factory=dict)


def field_value(state: Mapping[str, Any] | None) -> str | None:
    """The typed value of one hours field.

    A number_input sends `{"type": "number_input", "value": "2.5"}` (None when empty); a form
    opened before the fields became number inputs sends a plain_text_input the same way.
    """
    value = (state or {}).get("value")
    return value if isinstance(value, str) else None


def read_modal(values: Mapping[str, Any], categories: Sequence[CategoryRef]) -> ModalReading:
    """Read and check the submitted state (per field, then the day's total)."""
    day = (values.get(DATE_BLOCK) or {}).get(DATE_ACTION, {}).get("selected_date")
    raw_note = (values.get(NOTE_BLOCK) or {}).get(NOTE_ACTION, {}).get("value")
    reading = ModalReading(day, note=(raw_note or "").strip() or None)
    known = {cat.key for cat in categories}
    filled: list[str] = []
    first_block: str | None = None
    for block_id, actions in values.items():
        key = _category_of(block_id)
        if key is None or key not in known:
            continue
        first_block = first_block or block_id
        try:
            value = parse_hours(field_value(actions.get(HOURS_ACTION)))
        except HoursError as err:
            reading.errors[block_id] = str(err)
            continue
        if value:
            reading.hours[key] = value
            filled.append(block_id)
    total = sum(reading.hours.values(), Decimal(0))
    if not reading.errors and total > MAX_DAY:
        reading.errors[filled[-1]] = f"These add up to {fmt_hours(total)} h — a day has at most 24."
    if not reading.errors and total == 0:
        reading.errors[first_block or DATE_BLOCK] = (
            "Enter the hours of at least one category (or use Day off on the evening message)."
        )
    return reading


def _category_of(block_id: str) -> str | None:
    """The category key of an hours block id (`cat_<key>` or `cat_<key>.<YYYY-MM-DD>`)."""
    if not block_id.startswith("cat_"):
        return None
    key = block_id[4:]
    if len(key) > 11 and key[-11] == "." and key[-10:-6].isdigit():
        key = key[:-11]
    return key or None


def info_modal(title: str, text: str) -> dict[str, Any]:
    """A modal that only explains (e.g. why there is nothing to log)."""
    return {
        "type": "modal",
        "title": plain(title, 24),
        "close": plain("OK", 24),
        "blocks": [section(text)],
    }
