"""What the demo's parts need of the running demo (bot.demo.runner.Demo), as a Protocol: the
page, the seeding, the colleagues and the actions depend on this, never on the runner itself."""

from __future__ import annotations

from collections import deque
from datetime import datetime
from typing import Any, Protocol

from bot.demo.clock import DemoClock
from bot.demo.driver import Driver
from bot.demo.webapi import WebAPI
from bot.demo.workspace import Workspace
from bot.services import Services


class DemoHost(Protocol):
    """The running demo: its simulated workspace, its Web API, its clock and its app."""

    ws: Workspace
    api: WebAPI
    driver: Driver
    clock: DemoClock
    url: str
    fresh: bool
    services: Services | None
    activity: deque[str]
    seen: dict[tuple[str, str], str]

    def note(self, text: str) -> None: ...
    def settle(self) -> None: ...
    def move_clock(self, to: str, viewer: str) -> dict[str, int]: ...
    def tick_at(self, when: datetime, tick: Any = None) -> dict[str, int]: ...
    def roles(self) -> dict[str, str]: ...
    def render(self, query: dict[str, str]) -> dict[str, Any]: ...
    def act(self, data: dict[str, Any]) -> dict[str, Any]: ...
