"""Small pure helpers shared by the view builders."""

from __future__ import annotations

import json
from collections.abc import Mapping
from datetime import time
from decimal import Decimal
from typing import Any

MAX_SECTION_TEXT = 3000
MAX_MESSAGE_BLOCKS = 50
MAX_VIEW_BLOCKS = 100
# a form's answer in place when the database could not take it (the typed values stay)
FORM_NOT_SAVED = (
    "Sorry — I couldn't save this just now, so nothing changed. Everything you typed is "
    "still here: press Save again in a moment."
)


def fmt_time(value: time) -> str:
    """17:30."""
    return value.strftime("%H:%M")


def fmt_hours(value: Decimal | float | int) -> str:
    """2.5 h → '2.5', 4.00 → '4', 0.25 → '0.25'."""
    d = Decimal(str(value)).quantize(Decimal("0.01"))
    text = format(d.normalize(), "f")
    return text


def fmt_pct(share: Decimal | float | None) -> str:
    """A share (0..1) as a whole percentage, or 'no data'."""
    if share is None:
        return "no data"
    return f"{round(Decimal(str(share)) * 100):d}%"


def truncate(text: str, limit: int) -> str:
    """Cut text to Slack's limit with an ellipsis."""
    return text if len(text) <= limit else text[: limit - 1] + "…"


_DANGLING = frozenset({"and", "or", "of", "the", "a", "an", "to", "for", "with", "in", "on", "&"})


def shorten(text: str, limit: int) -> str:
    """Text cut at a word boundary to at most `limit` characters, with an ellipsis (a single
    word longer than the limit is cut inside it); a dangling `and`, `of`… goes too."""
    text = " ".join(text.split())
    if len(text) <= limit:
        return text
    words = text[: limit - 1].split(" ")
    if len(words) > 1 and text[limit - 1] not in " ,;:)":
        words.pop()  # the last word was cut in the middle
        while len(words) > 1 and words[-1].lower() in _DANGLING:
            words.pop()
    return " ".join(words).rstrip(" ,;:-–—(/") + "…"


def section(text: str) -> dict[str, Any]:
    """A mrkdwn section block within Slack's 3,000-character limit."""
    return {"type": "section", "text": {"type": "mrkdwn", "text": truncate(text, MAX_SECTION_TEXT)}}


def context(text: str) -> dict[str, Any]:
    """A context block with one mrkdwn element."""
    return {"type": "context", "elements": [{"type": "mrkdwn", "text": truncate(text, 2000)}]}


def header(text: str) -> dict[str, Any]:
    """A header block (150 characters at most)."""
    return {"type": "header", "text": {"type": "plain_text", "text": truncate(text, 150)}}


def button(text: str, action_id: str, value: str = "", style: str | None = None) -> dict[str, Any]:
    """A button element (text ≤ 75 characters)."""
    b: dict[str, Any] = {
        "type": "button",
        "text": {"type": "plain_text", "text": truncate(text, 75)},
        "action_id": action_id,
    }
    if value:
        b["value"] = value[:2000]
    if style:
        b["style"] = style
    return b


def plain(text: str, limit: int = 75) -> dict[str, Any]:
    """A plain_text object."""
    return {"type": "plain_text", "text": truncate(text, limit)}


def text_input(
    action_id: str,
    max_length: int,
    placeholder: str,
    initial: str | None = None,
    *,
    multiline: bool = False,
) -> dict[str, Any]:
    """A plain_text_input element, its initial value (if any) cut to `max_length`."""
    el: dict[str, Any] = {"type": "plain_text_input", "action_id": action_id}
    if multiline:
        el["multiline"] = True
    el["max_length"] = max_length
    el["placeholder"] = plain(placeholder)
    if initial:
        el["initial_value"] = truncate(initial, max_length)
    return el


def form_modal(
    callback_id: str,
    title: str,
    blocks: list[dict[str, Any]],
    *,
    metadata: Mapping[str, Any],
    submit: str = "Save",
    close: str = "Cancel",
) -> dict[str, Any]:
    """A form modal: title and buttons ≤ 24 characters, `metadata` as JSON (≤ 3,000)."""
    return {
        "type": "modal",
        "callback_id": callback_id,
        "title": plain(title, 24),
        "submit": plain(submit, 24),
        "close": plain(close, 24),
        "private_metadata": json.dumps(dict(metadata))[:3000],
        "blocks": blocks,
    }


def metadata_of(view: Mapping[str, Any]) -> dict[str, Any]:
    """A submitted view's private_metadata as a dict (empty when missing or not JSON)."""
    try:
        meta = json.loads(view.get("private_metadata") or "{}")
    except ValueError:
        return {}
    return meta if isinstance(meta, dict) else {}
