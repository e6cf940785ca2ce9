"""The one slash command, `/rolesplit`, dispatched to subcommands that features register."""

from __future__ import annotations

import logging
import re
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

from slack_bolt import Ack, BoltContext, Respond
from slack_sdk import WebClient
from sqlalchemy.orm import Session

from bot.services import Services
from bot.slack.context import Request, request_of

log = logging.getLogger(__name__)

COMMAND = "/rolesplit"
MENTION_RE = re.compile(r"<@([UW][A-Z0-9]+)(?:\|[^>]*)?>")
CHANNEL_RE = re.compile(r"<#([CG][A-Z0-9]+)(?:\|[^>]*)?>")


@dataclass
class Command:
    """One `/rolesplit SUB args` invocation, with what a handler needs to answer it."""

    sub: str
    args: str
    request: Request
    services: Services
    team_id: str
    user_id: str
    channel_id: str
    trigger_id: str
    response_url: str
    body: dict[str, Any]
    ack: Ack
    respond: Respond
    client: WebClient
    # the request's read transaction, for handlers that only read (`read_only`)
    session: Session | None = None

    @property
    def mentions(self) -> list[str]:
        """User ids mentioned in the arguments, in order, without repeats."""
        return list(dict.fromkeys(MENTION_RE.findall(self.args)))

    def replace_ack(self, text: str, blocks: list[dict[str, Any]]) -> None:
        """Replace the ephemeral "working on it" answer with the result (through response_url)."""
        self.respond(response_type="ephemeral", replace_original=True, text=text, blocks=blocks)

    @contextmanager
    def reading(self) -> Iterator[Session]:
        """The request's read transaction: the router's for `read_only` handlers, else a new one."""
        if self.session is not None:
            yield self.session
        else:
            with self.request.reading() as session:
                yield session


Handler = Callable[[Command], None]


@dataclass(frozen=True)
class Subcommand:
    """A registered subcommand: its handler, who may use it, and its usage line."""

    name: str
    handler: Handler
    usage: str
    manager_only: bool = False
    order: int = 100
    read_only: bool = False


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
        read_only: bool = False,
    ) -> None:
        """Register a subcommand (one name, one handler).

        A `read_only` handler only reads: it runs inside the read transaction that resolved
        who is asking, so the whole command is one transaction.
        """
        if name in self.subcommands:
            raise ValueError(f"subcommand {name!r} registered twice")
        self.subcommands[name] = Subcommand(name, handler, usage, manager_only, order, read_only)

    def usage(self, *, manager: bool = True) -> str:
        """The usage text, listing what this caller may run."""
        subs = sorted(self.subcommands.values(), key=lambda s: (s.order, s.name))
        lines = [f"`{COMMAND} {s.usage}`" for s in subs if manager or not s.manager_only]
        lines.append(f"`{COMMAND} help` — this list")
        return "*rolesplit* — what you can do:\n" + "\n".join(f"• {line}" for line in lines)

    def on_command(
        self,
        ack: Ack,
        body: dict[str, Any],
        context: BoltContext,
        client: WebClient,
        respond: Respond,
    ) -> None:
        """The `/rolesplit` listener: find the subcommand, check who may run it, run it."""
        sub, _, args = (body.get("text") or "").strip().partition(" ")
        sub = sub.lower()
        spec = self.subcommands.get(sub)
        if spec is None:
            prefix = f"I don't know `{sub}`. " if sub and sub != "help" else ""
            ack(response_type="ephemeral", text=prefix + self.usage())
            return
        req = request_of(context)
        cmd = Command(
            sub=sub,
            args=args.strip(),
            request=req,
            services=req.services,
            team_id=req.team_id,
            user_id=req.user_id,
            channel_id=body.get("channel_id") or "",
            trigger_id=body.get("trigger_id") or "",
            response_url=body.get("response_url") or "",
            body=body,
            ack=ack,
            respond=respond,
            client=client,
        )
        if spec.manager_only or spec.read_only:
            with req.reading() as session:
                if spec.manager_only and not req.is_manager(client):
                    ack(response_type="ephemeral", text=REFUSAL.format(cmd=f"{COMMAND} {sub}"))
                    return
                if spec.read_only:
                    cmd.session = session
                    spec.handler(cmd)
                    return
        spec.handler(cmd)


REFUSAL = (
    "Sorry, `{cmd}` is for managers. Ask a manager to run it, or to add you with "
    "`/rolesplit add @you as manager`."
)
