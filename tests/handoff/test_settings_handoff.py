"""The settings modal's hand-off options: public channels and hiding the deal value."""

from __future__ import annotations

from typing import Any

from bot.config import effective, load_settings
from bot.workspace.settings import validate
from bot.workspace.settings_views import read_state, settings_modal

RAW: dict[str, Any] = {
    "prompt_time": "17:30",
    "work_days": ["mon", "tue", "wed", "thu", "fri"],
    "reminder": "120",
    "categories": "| Prospecting | hunting |\n| Accounts | farming |",
    "rollup_day": "mon",
    "rollup_time": "09:00",
    "handoff_mode": "channel",
    "checklist": "Intro call",
    "nudge_days": "1, 7",
    "transfer_days": "182",
}


def options_block(view: dict[str, Any]) -> dict[str, Any]:
    return next(b for b in view["blocks"] if b.get("block_id") == "handoff_options")


def test_private_and_value_shown_unless_a_manager_ticks_otherwise() -> None:
    env = load_settings(_env_file=None)
    cfg = effective(env, {})
    assert (cfg.handoff_public, cfg.hide_deal_value) == (False, False)
    block = options_block(settings_modal(cfg, ""))
    assert block["optional"] and "initial_options" not in block["element"]
    ticked = validate({**RAW, "handoff_options": ["public", "hide_value"]}, set())
    assert ticked.errors == {}
    assert (ticked.overrides["handoff_public"], ticked.overrides["hide_deal_value"]) == (True, True)
    cfg = effective(env, ticked.overrides)
    assert (cfg.handoff_public, cfg.hide_deal_value) == (True, True)
    initial = options_block(settings_modal(cfg, ""))["element"]["initial_options"]
    assert [o["value"] for o in initial] == ["public", "hide_value"]
    # unticking both turns them off again (a submitted empty checkbox group)
    state = {"handoff_options": {"handoff_options": {"type": "checkboxes", "selected_options": []}}}
    cleared = validate({**RAW, **read_state(state)}, set())
    assert (cleared.overrides["handoff_public"], cleared.overrides["hide_deal_value"]) == (
        False,
        False,
    )
