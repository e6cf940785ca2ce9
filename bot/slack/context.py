"""The request context: who is asking, in which workspace, with which settings, on which date.

A Bolt middleware (`RequestContext`) puts a `Request` on every request's context; listeners
read it with `request_of(context)` and never look these up again. The workspace row, the
person's roster entry, the workspace's effective settings and "today" are resolved together, in
one read transaction without writes, the first time anything asks (so events that only ack pay
nothing), and kept for the rest of the request. The workspace row is created only when an
effect needs it (`workspace_id()`).
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date

from slack_bolt import BoltContext, BoltRequest, BoltResponse
from slack_bolt.middleware import Middleware
from slack_sdk import WebClient
from sqlalchemy.orm import Session

from bot.config import WorkspaceConfig, effective
from bot.hooks import Hooks
from bot.services import Services
from bot.timecalc import local_today
from storage import repo
from storage.models import Member

KEY = "rolesplit_request"


@dataclass(frozen=True)
class Resolved:
    """What one read resolved for a request."""

    workspace: repo.WorkspaceLine | None
    member: Member | None
    settings: WorkspaceConfig
    today: date  # the workspace's local date
    member_today: date  # the person's local date (the workspace's when not on the roster)


class Request:
    """One Slack request as every listener sees it (resolved once, on first use)."""

    def __init__(
        self, services: Services, team_id: str, user_id: str, hooks: Hooks | None = None
    ) -> None:
        self.services, self.hooks = services, hooks or Hooks()
        self.team_id, self.user_id = team_id, user_id
        self._resolved: Resolved | None = None
        self._workspace_id: int | None = None
        self._manager: bool | None = None
        self._lock = threading.Lock()

    def fresh(self) -> Request:
        """The same person and workspace, to be resolved anew (for work that runs again)."""
        return Request(self.services, self.team_id, self.user_id, self.hooks)

    def resolve(self, session: Session | None = None) -> Resolved:
        """Resolve the context (once), inside the caller's read transaction when one is given."""
        with self._lock:
            if self._resolved is None:
                if session is not None:
                    self._resolved = self._read(session)
                else:
                    with self.services.read() as s:
                        self._resolved = self._read(s)
            return self._resolved

    def _read(self, session: Session) -> Resolved:
        ws, member = repo.workspace_and_member(session, self.team_id, self.user_id)
        cfg = effective(self.services.settings, ws.settings if ws else None)
        now = self.services.now()
        today = local_today(now, cfg.timezone)
        mine = local_today(now, member.tz) if member is not None else today
        return Resolved(ws, member, cfg, today, mine)

    @contextmanager
    def reading(self) -> Iterator[Session]:
        """A read transaction in which the context is resolved (if it was not yet)."""
        with self.services.read() as session:
            self.resolve(session)
            yield session

    @property
    def workspace(self) -> repo.WorkspaceLine | None:
        """The workspace's row, or None before anything created it."""
        return self.resolve().workspace

    @property
    def member(self) -> Member | None:
        """The person's roster entry (maybe inactive), or None."""
        return self.resolve().member

    @property
    def settings(self) -> WorkspaceConfig:
        """The workspace's effective settings."""
        return self.resolve().settings

    @property
    def today(self) -> date:
        """Today in the workspace's time zone (periods and studies are workspace dates)."""
        return self.resolve().today

    @property
    def member_today(self) -> date:
        """Today in the person's own time zone (the day they log)."""
        return self.resolve().member_today

    def workspace_id(self) -> int:
        """The workspace's row id, creating the row (and its categories) when an effect needs it."""
        ws = self.workspace
        if ws is not None:
            return ws.id
        with self._lock:
            if self._workspace_id is None:
                with self.services.Session.begin() as s:
                    self._workspace_id = repo.ensure_workspace(s, self.team_id).id
            return self._workspace_id

    def is_manager(self, client: WebClient) -> bool:
        """ROLESPLIT_MANAGERS, a roster manager, or a workspace admin/owner (users.info, cached)."""
        if self._manager is None:
            member = self.member
            self._manager = (
                self.user_id in self.services.settings.managers
                or (member is not None and member.active and member.role == "manager")
                or _admin(self.services.user_info(client, self.team_id, self.user_id))
            )
        return self._manager


def _admin(info: dict[str, object] | None) -> bool:
    return bool(info and (info.get("is_admin") or info.get("is_owner")))


class RequestContext(Middleware):
    """Global middleware: puts the request's `Request` on its context (nothing is read yet)."""

    def __init__(self, services: Services, hooks: Hooks) -> None:
        self.services, self.hooks = services, hooks

    def process(
        self,
        *,
        req: BoltRequest,
        resp: BoltResponse,
        next: Callable[[], BoltResponse],
    ) -> BoltResponse | None:
        """Attach the Request, then go on to the listeners."""
        ctx = req.context
        ctx[KEY] = Request(self.services, ctx.team_id or "", ctx.user_id or "", self.hooks)
        return next()


def request_of(context: BoltContext) -> Request:
    """The request's context, as the middleware attached it."""
    req = context.get(KEY)
    assert isinstance(req, Request), "create_app installs the RequestContext middleware"
    return req
