"""In-process hooks between features: one feature reacts to another's event without importing it
(create_app wires them: the App Home refreshes after the time log records a day, and after a
rep's own schedule or time away changed)."""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass, field

from bot.services import Services

log = logging.getLogger(__name__)

# fn(services, team_id, user_id) — after a member's day is logged or corrected, or after a
# member's own settings or time away changed
PersonChanged = Callable[[Services, str, str], None]


@dataclass
class Hooks:
    """The hooks of one app."""

    day_logged: list[PersonChanged] = field(default_factory=list)
    member_changed: list[PersonChanged] = field(default_factory=list)

    def fire_day_logged(self, services: Services, team_id: str, user_id: str) -> None:
        """Call each day_logged hook; one failing hook is logged and does not stop the others."""
        _fire(self.day_logged, services, team_id, user_id)

    def fire_member_changed(self, services: Services, team_id: str, user_id: str) -> None:
        """Call each member_changed hook (a rep's schedule or time away changed)."""
        _fire(self.member_changed, services, team_id, user_id)


def _fire(hooks: list[PersonChanged], services: Services, team_id: str, user_id: str) -> None:
    for hook in list(hooks):
        try:
            hook(services, team_id, user_id)
        except Exception:  # a hook is a side effect (e.g. refreshing the Home tab)
            log.exception("hook %s failed", getattr(hook, "__name__", hook))
