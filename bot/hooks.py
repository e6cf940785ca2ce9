"""In-process hooks between features, so one feature can react to another without importing it."""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

log = logging.getLogger(__name__)

# fn(services, team_id, user_id) — after a member's day is logged or corrected
DAY_LOGGED: list[Callable[..., Any]] = []
# fn(services, team_id, user_id) — after a member's own settings or time away changed
MEMBER_CHANGED: list[Callable[..., Any]] = []


def fire(hooks: list[Callable[..., Any]], *args: Any) -> None:
    """Call each hook; one failing hook is logged and does not stop the others."""
    for hook in list(hooks):
        try:
            hook(*args)
        except Exception:  # a hook is a side effect (e.g. refreshing the Home tab)
            log.exception("hook %s failed", getattr(hook, "__name__", hook))
