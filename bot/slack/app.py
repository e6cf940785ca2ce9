"""The Bolt App rolesplit runs, and `Wiring`: what create_app wires into it, typed.

`RolesplitApp` is Bolt's App that tells its listener pool while a request is being answered,
and runs the listeners marked inline in the request's own thread. Everything else the app is
built with (services, the /rolesplit router, hooks, plain HTTP routes) lives in its `Wiring`.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from slack_bolt import App, BoltRequest, BoltResponse

from bot.hooks import Hooks
from bot.services import Services
from bot.slack.context import RequestContext
from bot.slack.kinds import classify
from bot.slack.pool import ListenerPool
from bot.slack.router import Router
from bot.slack.routes import Route


@dataclass
class Wiring:
    """The app's parts: services, router, hooks, listener pool, inline listeners, HTTP routes."""

    services: Services
    router: Router = field(default_factory=Router)
    hooks: Hooks = field(default_factory=Hooks)
    pool: ListenerPool | None = None
    # (request type, callback or action id, or "/cmd sub") of listeners run in the request's thread
    inline: set[tuple[str, str]] = field(default_factory=set)
    # (method, path) → (route, body limit in bytes)
    routes: dict[tuple[str, str], tuple[Route, int]] = field(default_factory=dict)

    def acks_inline(
        self,
        *,
        views: Iterable[str] = (),
        actions: Iterable[str] = (),
        commands: Iterable[str] = (),
    ) -> None:
        """Listeners whose ack is their last step, or that hand the rest on (`after_ack`, `soon`).

        They run in the request's own thread, so the answer goes out as soon as they return
        instead of at Bolt's next 10 ms poll for the ack. Commands are `"/cmd subcommand"`.
        """
        self.inline.update(("view_submission", v) for v in views)
        self.inline.update(("block_actions", a) for a in actions)
        self.inline.update(("command", c) for c in commands)

    def add_route(self, method: str, path: str, route: Route, limit: int) -> None:
        """A plain HTTP route served beside /slack/events, with its body limit."""
        if (method, path) in self.routes:
            raise ValueError(f"route {method} {path} added twice")
        self.routes[(method, path)] = (route, limit)


class RolesplitApp(App):
    """Bolt's App with its wiring; counts requests being answered for the listener pool."""

    def __init__(self, wiring: Wiring, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.wiring = wiring
        self.use(RequestContext(wiring.services, wiring.hooks))

    def dispatch(self, req: BoltRequest) -> BoltResponse:
        """Bolt's dispatch, counted so post-ack work yields to the acks in flight."""
        pool = self.wiring.pool
        if pool is None:
            return super().dispatch(req)
        with pool.answering(), pool.inline(classify(req.body).key in self.wiring.inline):
            return super().dispatch(req)


def wiring_of(app: App) -> Wiring | None:
    """The wiring of a RolesplitApp (None for a plain Bolt App, like the benchmark's baseline)."""
    return app.wiring if isinstance(app, RolesplitApp) else None


def pool_of(app: App) -> ListenerPool | None:
    """The listener pool of a RolesplitApp (None without one: a plain Bolt App, or an app built
    with Bolt's own executor)."""
    wiring = wiring_of(app)
    return wiring.pool if wiring else None
