"""The one slash command, `/rolesplit`, dispatched to subcommands that features register."""

from __future__ import annotations

import logging
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from slack_bolt import Ack, App, Respond
from slack_sdk import WebClient
from sqlalchemy.orm import Session

from bot.services import Services
from storage import repo
from storage.models import Member, Workspace

log = logging.getLogger(__name__)

COMMAND = "/rolesplit"
MENTION_RE = re.compile(r"<@([UW][A-Z0-9]+)(?:\|[^>]*)?>")
CHANNEL_RE = re.compile(r"<#([CG][A-Z0-9]+)(?:\|[^>]*)?>")


@dataclass
class Command:
    """One `/rolesplit SUB args` invocation, with what a handler needs to answer it."""

    sub: str
    args: str
    team_id: str
    user_id: str
    channel_id: str
    trigger_id: str
    response_url: str
    body: dict[str, Any]
    ack: Ack
    respond: Respond
    client: WebClient
    services: Services

    @property
    def mentions(self) -> list[str]:
        """User ids mentioned in the arguments, in order, without repeats."""
        return list(dict.fromkeys(MENTION_RE.findall(self.args)))


Handler = Callable[[Command], None]


@dataclass(frozen=True)
class Subcommand:
    """A registered subcommand: its handler, who may use it, and its usage line."""

    name: str
    handler: Handler
    usage: str
    manager_only: bool = False
    order: int = 100


@dataclass
class Router:
    """Subcommands by name; `help` and unknown words answer with the usage."""

    subcommands: dict[str, Subcommand] = field(default_factory=dict)

    def add(
        self,
        name: str,
        handler: Handler,
        usage: str,
        *,
        manager_only: bool = False,
        order: int = 100,
    ) -> None:
        """Register a subcommand (one name, one handler)."""
        if name in self.subcommands:
            raise ValueError(f"subcommand {name!r} registered twice")
        self.subcommands[name] = Subcommand(name, handler, usage, manager_only, order)

    def usage(self, *, manager: bool = True) -> str:
        """The usage text, listing what this caller may run."""
        subs = sorted(self.subcommands.values(), key=lambda s: (s.order, s.name))
        lines = [f"`{COMMAND} {s.usage}`" for s in subs if manager or not s.manager_only]
        lines.append(f"`{COMMAND} help` — this list")
        return "*rolesplit* — what you can do:\n" + "\n".join(f"• {line}" for line in lines)


_UNREAD: Any = object()


def is_manager(
    services: Services,
    session: Session,
    ws: Workspace,
    user_id: str,
    client: WebClient,
    member: Member | None = _UNREAD,
) -> bool:
    """ROLESPLIT_MANAGERS, a roster manager, or a workspace admin/owner (users.info, cached).

    Pass `member` when the caller has already read the person's roster entry (or None).
    """
    if user_id in services.settings.managers:
        return True
    if member is _UNREAD:
        member = repo.get_member(session, ws.id, user_id)
    if member is not None and member.active and member.role == "manager":
        return True
    info = services.user_info(client, ws.team_id, user_id)
    return bool(info and (info.get("is_admin") or info.get("is_owner")))


REFUSAL = (
    "Sorry, `{cmd}` is for managers. Ask a manager to run it, or to add you with "
    "`/rolesplit add @you as manager`."
)


def register(app: App, services: Services, router: Router) -> None:
    """Attach the `/rolesplit` listener that dispatches to the router."""

    def handle(ack: Ack, respond: Respond, body: dict[str, Any], client: WebClient) -> None:
        text = (body.get("text") or "").strip()
        sub, _, args = text.partition(" ")
        sub = sub.lower()
        team_id = body.get("team_id") or ""
        user_id = body.get("user_id") or ""
        spec = router.subcommands.get(sub)
        if spec is None:
            prefix = f"I don't know `{sub}`. " if sub and sub != "help" else ""
            ack(response_type="ephemeral", text=prefix + router.usage())
            return
        if spec.manager_only:
            ws_id = services.workspace_id(team_id)
            with services.read() as session:
                ws = session.get(Workspace, ws_id)
                assert ws is not None
                allowed = is_manager(services, session, ws, user_id, client)
            if not allowed:
                ack(response_type="ephemeral", text=REFUSAL.format(cmd=f"{COMMAND} {sub}"))
                return
        cmd = Command(
            sub=sub,
            args=args.strip(),
            team_id=team_id,
            user_id=user_id,
            channel_id=body.get("channel_id") or "",
            trigger_id=body.get("trigger_id") or "",
            response_url=body.get("response_url") or "",
            body=body,
            ack=ack,
            respond=respond,
            client=client,
            services=services,
        )
        spec.handler(cmd)

    app.command(COMMAND)(handle)
