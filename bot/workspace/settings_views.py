"""Block Kit for `/rolesplit settings`: one modal for everything a workspace tunes."""

from __future__ import annotations

from typing import Any

from bot.config import WEEKDAYS, WorkspaceConfig
from bot.slack.blocks import button, context, plain
from bot.workspace.categories_views import OPEN as CATEGORIES_OPEN

CALLBACK = "settings_submit"
DAY_NAMES = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
CATEGORY_HINT = (
    "One per line: key | label | kind (hunting, farming, other) | aliases. "
    "Change a label to rename; delete a line to retire it (its hours stay in "
    "reports); a new line without a key adds one: | Label | kind | aliases"
)


def _input(
    block: str,
    label: str,
    element: dict[str, Any],
    *,
    optional: bool = False,
    hint: str | None = None,
) -> dict[str, Any]:
    b: dict[str, Any] = {
        "type": "input",
        "block_id": block,
        "label": plain(label, 2000),
        "element": {**element, "action_id": block},
        "optional": optional,
    }
    if hint:
        b["hint"] = plain(hint, 2000)
    return b


def _text(value: str, *, multiline: bool = False) -> dict[str, Any]:
    el: dict[str, Any] = {"type": "plain_text_input", "multiline": multiline}
    if value:
        el["initial_value"] = value[:3000]
    return el


def _option(text: str, value: str) -> dict[str, Any]:
    return {"text": plain(text), "value": value}


def categories_text(rows: list[tuple[str, str, str, list[str]]]) -> str:
    """`key | label | kind | alias, alias` per active category."""
    return "\n".join(
        f"{k} | {label} | {kind} | {', '.join(aliases)}" for k, label, kind, aliases in rows
    )


def _categories(summary: str) -> dict[str, Any]:
    """The categories line with its Edit button (the list is a form of its own)."""
    return {
        "type": "section",
        "block_id": "categories_list",
        "text": {"type": "mrkdwn", "text": summary[:3000]},
        "accessory": button("Edit categories", CATEGORIES_OPEN, "open"),
    }


def settings_modal(cfg: WorkspaceConfig, categories: str) -> dict[str, Any]:
    """The settings modal, prefilled with the workspace's current values.

    `categories` is the categories' summary line (categories_views.summary).
    """
    days = [_option(DAY_NAMES[d], WEEKDAYS[d]) for d in range(7)]
    rollup_channel: dict[str, Any] = {
        "type": "conversations_select",
        "filter": {"include": ["public", "private"], "exclude_bot_users": True},
    }
    if cfg.rollup_channel:
        rollup_channel["initial_conversation"] = cfg.rollup_channel
    handoff_channel = dict(rollup_channel)
    handoff_channel.pop("initial_conversation", None)
    if cfg.handoff_channel:
        handoff_channel["initial_conversation"] = cfg.handoff_channel
    modes = [
        _option("A channel per account", "channel"),
        _option("A thread in the hand-off channel", "thread"),
    ]
    blocks = [
        context("*Time study*"),
        _input(
            "prompt_time",
            "Evening prompt time (each rep's own time zone)",
            {"type": "timepicker", "initial_time": cfg.prompt_time.strftime("%H:%M")},
        ),
        _input(
            "work_days",
            "Work days",
            {
                "type": "checkboxes",
                "options": days,
                "initial_options": [days[d] for d in cfg.work_days],
            },
        ),
        _input("reminder", "Reminder after (minutes)", _text(str(cfg.reminder_after_minutes))),
        _categories(categories),
        context("Category changes apply right away; the rest when you press Save."),
        context("*Weekly rollup*"),
        _input(
            "rollup_channel",
            "Rollup channel",
            rollup_channel,
            optional=True,
            hint="Empty: no weekly rollup.",
        ),
        _input(
            "rollup_day",
            "Rollup day",
            {"type": "static_select", "options": days, "initial_option": days[cfg.rollup_weekday]},
        ),
        _input(
            "rollup_time",
            "Rollup time (workspace time zone)",
            {"type": "timepicker", "initial_time": cfg.rollup_time.strftime("%H:%M")},
        ),
        context("*Hand-offs*"),
        _input(
            "handoff_mode",
            "Hand-off space",
            {
                "type": "static_select",
                "options": modes,
                "initial_option": modes[0 if cfg.handoff_mode == "channel" else 1],
            },
        ),
        _input(
            "handoff_channel",
            "Hand-off channel (thread mode, and the fallback)",
            handoff_channel,
            optional=True,
        ),
        _input(
            "checklist",
            "Checklist (one item per line)",
            _text("\n".join(label for _k, label in cfg.checklist), multiline=True),
        ),
        _input(
            "nudge_days",
            "Nudges, days after the win",
            _text(", ".join(str(d) for d in cfg.nudge_days)),
            hint="Then the transfer date, then a partner check-in every 90 days.",
        ),
        _input("transfer_days", "Ownership moves after (days)", _text(str(cfg.transfer_days))),
        _handoff_options(cfg),
    ]
    return {
        "type": "modal",
        "callback_id": CALLBACK,
        "title": plain("rolesplit settings", 24),
        "submit": plain("Save", 24),
        "close": plain("Cancel", 24),
        "blocks": blocks,
    }


HANDOFF_OPTIONS = (
    ("public", "Public hand-off channels (anyone can find and join them)"),
    ("hide_value", "Hide the deal value in hand-off spaces"),
)


def _handoff_options(cfg: WorkspaceConfig) -> dict[str, Any]:
    """Checkboxes: hand-off channels are private unless ticked; the value shown unless ticked."""
    options = [_option(label, value) for value, label in HANDOFF_OPTIONS]
    chosen = {"public": cfg.handoff_public, "hide_value": cfg.hide_deal_value}
    element: dict[str, Any] = {"type": "checkboxes", "options": options}
    initial = [o for o in options if chosen[o["value"]]]
    if initial:  # Slack refuses an empty initial_options
        element["initial_options"] = initial
    return _input(
        "handoff_options",
        "Hand-off spaces",
        element,
        optional=True,
        hint="Unticked: private channels with the deal's people, and the deal value shown.",
    )


def read_state(values: dict[str, Any]) -> dict[str, Any]:
    """The raw submitted values by block id."""
    out: dict[str, Any] = {}
    for block, actions in values.items():
        for el in actions.values():
            kind = el.get("type")
            if kind == "timepicker":
                out[block] = el.get("selected_time")
            elif kind == "checkboxes":
                out[block] = [o["value"] for o in el.get("selected_options") or []]
            elif kind == "static_select":
                out[block] = (el.get("selected_option") or {}).get("value")
            elif kind == "conversations_select":
                out[block] = el.get("selected_conversation")
            else:
                out[block] = el.get("value")
    return out
