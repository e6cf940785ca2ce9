"""In-process hooks between features: one feature reacts to another's event without importing it
(create_app wires them: the App Home refreshes after the time log records a day)."""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass, field

from bot.services import Services

log = logging.getLogger(__name__)

# fn(services, team_id, user_id) — after a member's day is logged or corrected
DayLogged = Callable[[Services, str, str], None]


@dataclass
class Hooks:
    """The hooks of one app."""

    day_logged: list[DayLogged] = field(default_factory=list)

    def fire_day_logged(self, services: Services, team_id: str, user_id: str) -> None:
        """Call each hook; one failing hook is logged and does not stop the others."""
        for hook in list(self.day_logged):
            try:
                hook(services, team_id, user_id)
            except Exception:  # a hook is a side effect (e.g. refreshing the Home tab)
                log.exception("hook %s failed", getattr(hook, "__name__", hook))
