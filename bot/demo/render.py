"""What /demo/render answers: the page's parts for one person, as HTML fragments."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from bot.demo import agency
from bot.demo.mrkdwn import esc
from bot.demo.page import (
    Where,
    context_for,
    main_html,
    modal_html,
    sidebar_html,
    thread_html,
    topbar_html,
)

if TYPE_CHECKING:
    from bot.demo.host import DemoHost as Demo

DEFAULT_VIEWER = "U0SAM"


def viewer_of(demo: Demo, wanted: str | None) -> str:
    """A person of the workspace (not a bot); the default rep otherwise."""
    user = demo.ws.users.get(wanted or "")
    if user is None or user.is_bot:
        return DEFAULT_VIEWER if DEFAULT_VIEWER in demo.ws.users else demo.ws.people()[0].id
    return user.id


def where_of(demo: Demo, query: dict[str, str]) -> Where:
    """The person, and a conversation they can see (their DM with the app otherwise)."""
    viewer = viewer_of(demo, query.get("as"))
    dm = demo.ws.dm(viewer).id
    channel = demo.ws.channels.get(query.get("c") or "")
    visible = channel is not None and (
        channel.id == dm or (channel.kind != "im" and viewer in channel.members)
    )
    conversation = channel.id if channel is not None and visible else dm
    tab = "home" if query.get("tab") == "home" and conversation == dm else "messages"
    thread = query.get("thread") or None
    if thread and demo.ws.message(conversation, thread) is None:
        thread = None
    return Where(viewer, conversation, tab, thread)


def render(demo: Demo, query: dict[str, str]) -> dict[str, Any]:
    """Top bar, sidebar, main area, thread pane, modal and the activity log, for one person."""
    ws = demo.ws
    version = ws.version
    where = where_of(demo, query)
    roles = demo.roles()
    me = ws.users[where.viewer]
    ctx = context_for(ws, where.viewer)
    main = main_html(ws, where, ctx, me.tz)
    if where.tab == "messages":
        shown = ws.history(where.conversation, where.viewer)
        if shown:
            demo.seen[(where.viewer, where.conversation)] = shown[-1].ts
    manager = roles.get(where.viewer) == "manager" or me.is_admin
    modal, modal_key = modal_html(ws, where.viewer)
    lines = list(demo.activity)[-80:]
    return {
        "version": version,
        "viewer": where.viewer,
        "conversation": where.conversation,
        "tab": where.tab,
        "thread": where.thread or "",
        "top": topbar_html(ws, where.viewer, roles, agency.WORKSPACE_TZ),
        "sidebar": sidebar_html(ws, where, demo.seen, manager),
        "main": main,
        "thread_html": thread_html(ws, where, ctx, me.tz),
        "modal": modal,
        "modal_key": modal_key,
        "activity": "".join(f"<div>{esc(line)}</div>" for line in reversed(lines)),
    }
