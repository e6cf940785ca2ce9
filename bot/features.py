"""The feature modules, in one list: each has `register(app, services, router)` and may have
`JOBS`, a tuple of `(name, fn(services, now) -> int)` that the scheduler's tick runs."""

from __future__ import annotations

import importlib
from types import ModuleType

FEATURE_MODULES: tuple[str, ...] = (
    "bot.roster",
    "bot.lifecycle",
    "bot.timelog",
    "bot.prompts",
    "bot.teamreport",
    "bot.apphome",
    "bot.wins",
    "bot.handoff_nudges",
    "bot.deal_webhook",
    "bot.settings_modal",
    "bot.privacy",
    "bot.study",
)


def load() -> list[ModuleType]:
    """Import every feature module."""
    return [importlib.import_module(name) for name in FEATURE_MODULES]
