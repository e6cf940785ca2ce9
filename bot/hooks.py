"""In-process hooks between features: one feature reacts to another's event without importing it
(create_app wires them: the App Home refreshes after the time log records a day and after a
rep's own schedule or time away changed; waiting hand-offs go to farmers who join the roster)."""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from bot.services import Services

log = logging.getLogger(__name__)

# fn(services, team_id, user_id) — after a member's day is logged or corrected, or after a
# member's own settings or time away changed
PersonChanged = Callable[[Services, str, str], None]
# fn(services, team_id, user_ids, role) — after people are added to the roster (or change role)
MembersAdded = Callable[[Services, str, list[str], str], Any]


@dataclass
class Hooks:
    """The hooks of one app."""

    day_logged: list[PersonChanged] = field(default_factory=list)
    member_changed: list[PersonChanged] = field(default_factory=list)
    members_added: list[MembersAdded] = field(default_factory=list)

    def fire_day_logged(self, services: Services, team_id: str, user_id: str) -> None:
        """Call each day_logged hook; one failing hook is logged and does not stop the others."""
        _fire(self.day_logged, services, team_id, user_id)

    def fire_member_changed(self, services: Services, team_id: str, user_id: str) -> None:
        """Call each member_changed hook (a rep's schedule or time away changed)."""
        _fire(self.member_changed, services, team_id, user_id)

    def fire_members_added(
        self, services: Services, team_id: str, user_ids: list[str], role: str
    ) -> None:
        """Call each hook after people joined the roster (or changed role)."""
        _fire(self.members_added, services, team_id, user_ids, role)


def _fire(hooks: list[Callable[..., Any]], *args: Any) -> None:
    for hook in list(hooks):
        try:
            hook(*args)
        except Exception:  # a hook is a side effect (e.g. refreshing the Home tab)
            log.exception("hook %s failed", getattr(hook, "__name__", hook))
