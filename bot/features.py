"""The feature modules, in one list: each has `register(app, services, router)` and may have
`JOBS`, a tuple of `(name, fn(services, now) -> int)` that the scheduler's tick runs."""

from __future__ import annotations

import importlib
from types import ModuleType

FEATURE_MODULES: tuple[str, ...] = (
    "bot.workspace.roster",
    "bot.workspace.lifecycle",
    "bot.workspace.welcome",  # its job runs before the prompts: welcomed before the evening
    "bot.workspace.me",
    "bot.workspace.pause",
    "bot.workspace.away",
    "bot.timelog.listeners",
    "bot.timelog.prompts",
    "bot.reports.command",
    "bot.home.tab",
    "bot.handoff.wins",
    "bot.handoff.nudges",
    "bot.handoff.webhook",
    "bot.workspace.settings",
    "bot.workspace.categories",
    "bot.workspace.privacy",
    "bot.study.commands",
)


def load() -> list[ModuleType]:
    """Import every feature module."""
    return [importlib.import_module(name) for name in FEATURE_MODULES]
