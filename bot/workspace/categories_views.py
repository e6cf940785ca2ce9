"""Block Kit for editing categories as a list: the list (pushed from `/rolesplit settings`), the
form for one category, and the checks on it (answered in place)."""

from __future__ import annotations

import json
import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from bot.slack.blocks import MAX_VIEW_BLOCKS, button, context, plain, section, truncate
from bot.split import KINDS as KINDS

OPEN = "settings_categories"  # the button in the settings form
LIST_CALLBACK = "categories_list"
MENU = "category_menu"  # a row's overflow: edit, move up, move down, retire, bring back
ADD = "category_add"
EDIT_CALLBACK = "category_edit"
KEY_BLOCK, LABEL_BLOCK, KIND_BLOCK, ALIASES_BLOCK = (
    "cat_key",
    "cat_label",
    "cat_kind",
    "cat_aliases",
)

KIND_WORDS = {
    "hunting": "hunting (new business)",
    "farming": "farming (existing accounts)",
    "other": "other",
}
MAX_ACTIVE = 40
MAX_ALIASES = 20
MAX_LABEL = 150


@dataclass(frozen=True)
class Cat:
    """A category as the editor shows it."""

    key: str
    label: str
    kind: str
    aliases: tuple[str, ...]
    active: bool


def norm(text: str) -> str:
    """How a typed name is compared: lower case, `_` as a space, single spaces."""
    return " ".join(text.lower().replace("_", " ").split())


def slug(label: str) -> str:
    """A key from a label: `New logos` → `new_logos`."""
    key = re.sub(r"[^a-z0-9]+", "_", label.lower()).strip("_")[:40]
    return key if key and key[0].isalpha() else f"c_{key}"[:40].rstrip("_") or "category"


def summary(cats: Sequence[Cat]) -> str:
    """`6 categories: Prospecting (hunting), …` for the settings form."""
    active = [c for c in cats if c.active]
    names = ", ".join(f"{truncate(c.label, 40)} ({c.kind})" for c in active)
    return truncate(f"*Categories* — {len(active)}: {names}", 3000)


def _menu(cat: Cat, first: bool, last: bool) -> dict[str, Any]:
    options = [("Edit", f"edit:{cat.key}")]
    if cat.active:
        if not first:
            options.append(("Move up", f"up:{cat.key}"))
        if not last:
            options.append(("Move down", f"down:{cat.key}"))
        options.append(("Retire", f"retire:{cat.key}"))
    else:
        options.append(("Bring back", f"restore:{cat.key}"))
    return {
        "type": "overflow",
        "action_id": MENU,
        "options": [{"text": plain(t), "value": v} for t, v in options],
    }


def _row(cat: Cat, first: bool, last: bool) -> dict[str, Any]:
    aliases = ", ".join(cat.aliases) or "none"
    block = section(
        f"*{truncate(cat.label, 150)}* · {cat.kind}\n`{cat.key}` · also typed as: "
        f"{truncate(aliases, 400)}"
    )
    block["accessory"] = _menu(cat, first, last)
    return block


def list_view(cats: Sequence[Cat], notice: str | None = None) -> dict[str, Any]:
    """The categories, one row each with its menu, the retired ones below, and Add category."""
    active = [c for c in cats if c.active]
    retired = [c for c in cats if not c.active]
    blocks: list[dict[str, Any]] = []
    if notice:
        blocks.append(section(notice))
    blocks.append(
        context(
            "What reps log hours against. Changes apply right away; retired categories keep "
            "their hours in every report. Each row's ⋯ menu edits, moves or retires it."
        )
    )
    blocks += [_row(c, i == 0, i == len(active) - 1) for i, c in enumerate(active)]
    blocks.append(
        {
            "type": "actions",
            "block_id": "cat_actions",
            "elements": [button("Add category", ADD, "add", style="primary")],
        }
    )
    if retired:
        blocks.append(context(f"*Retired* ({len(retired)}) — not offered to reps any more:"))
        room = MAX_VIEW_BLOCKS - len(blocks) - 1
        blocks += [_row(c, True, True) for c in retired[:room]]
        if len(retired) > room:
            blocks.append(context(f"… and {len(retired) - room} more"))
    return {
        "type": "modal",
        "callback_id": LIST_CALLBACK,
        "title": plain("Categories", 24),
        "close": plain("Done", 24),
        "blocks": blocks[:MAX_VIEW_BLOCKS],
    }


def _kind_option(kind: str) -> dict[str, Any]:
    return {"text": plain(KIND_WORDS[kind]), "value": kind}


def edit_view(cat: Cat | None, list_view_id: str | None) -> dict[str, Any]:
    """The form for one category (a new one when `cat` is None)."""
    label: dict[str, Any] = {
        "type": "plain_text_input",
        "action_id": LABEL_BLOCK,
        "max_length": MAX_LABEL,
        "placeholder": plain("e.g. Existing accounts: renewals"),
    }
    kind: dict[str, Any] = {
        "type": "static_select",
        "action_id": KIND_BLOCK,
        "options": [_kind_option(k) for k in KINDS],
    }
    aliases: dict[str, Any] = {
        "type": "plain_text_input",
        "action_id": ALIASES_BLOCK,
        "max_length": 1000,
        "placeholder": plain("e.g. renewals, upsell, cross-sell"),
    }
    if cat is not None:
        label["initial_value"] = cat.label
        kind["initial_option"] = _kind_option(cat.kind)
        if cat.aliases:
            aliases["initial_value"] = ", ".join(cat.aliases)
    blocks: list[dict[str, Any]] = []
    if cat is None:
        blocks.append(
            {
                "type": "input",
                "block_id": KEY_BLOCK,
                "optional": True,
                "label": plain("Key"),
                "hint": plain("Lower case, digits and _; made from the label when empty.", 150),
                "element": {"type": "plain_text_input", "action_id": KEY_BLOCK, "max_length": 40},
            }
        )
    else:
        blocks.append(context(f"Key `{cat.key}` (stays the same: history is kept under it)."))
    blocks += [
        {"type": "input", "block_id": LABEL_BLOCK, "label": plain("Label"), "element": label},
        {"type": "input", "block_id": KIND_BLOCK, "label": plain("Kind"), "element": kind},
        {
            "type": "input",
            "block_id": ALIASES_BLOCK,
            "optional": True,
            "label": plain("Also typed as"),
            "hint": plain("Names reps may type in the DM, separated by commas.", 150),
            "element": aliases,
        },
    ]
    meta = {"key": cat.key if cat else None, "list": list_view_id}
    return {
        "type": "modal",
        "callback_id": EDIT_CALLBACK,
        "title": plain("Edit category" if cat else "Add category", 24),
        "submit": plain("Save", 24),
        "close": plain("Back", 24),
        "private_metadata": json.dumps(meta),
        "blocks": blocks,
    }
