"""The page's parts for one person: top bar with the clock, sidebar, conversation or Home tab,
thread pane and modal — rendered on the server, swapped in by demo.js."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any
from zoneinfo import ZoneInfo

from bot.demo.blocks import blocks_html
from bot.demo.elements import Ctx
from bot.demo.messages import conversation_html, message_html
from bot.demo.mrkdwn import esc, plain_html
from bot.demo.workspace import Workspace

CLOCK_BUTTONS = (
    ("17:30", "to 17:30", "The next work-day evening at 17:30, your time: the evening prompt"),
    ("+1h", "+1 hour", "One hour later"),
    ("+1d", "+1 day", "One day later"),
    ("+1w", "+1 week", "One week later"),
    ("mon09:00", "Monday 09:00", "The next Monday 09:00 (workspace time): the weekly rollup"),
)
TOUR_REP = (
    ("prospecting 2, meetings 1.5, accounts 4", "log today in plain words"),
    ("/rolesplit log yesterday", "correct yesterday"),
    ("/rolesplit pause 3 days", "no prompts while away"),
    ("/rolesplit resume", "prompts on again"),
    ("/rolesplit won Harbor Freight Co", "declare a win (you are the rep)"),
    ("/rolesplit help", "everything you can do"),
)
TOUR_MANAGER = (
    ("/rolesplit report", "this week's split, verdict, capacity"),
    ("/rolesplit report last-month csv", "a month, with the CSV"),
    ("/rolesplit study", "the running time study"),
    ("/rolesplit study result", "the split plan so far"),
    ("/rolesplit handoffs", "open hand-offs and their checklists"),
    ("/rolesplit won Cedar Health", "declare a win (the form)"),
    ("/rolesplit won Pinecrest Hotels am:@lee rep:@priya value:36000", "a win in one line"),
    ("/rolesplit roster", "who is on the roster"),
    ("/rolesplit settings", "the workspace's settings form"),
    ("/rolesplit export @sam", "one person's data as a file"),
    ("/rolesplit help", "everything"),
)


@dataclass
class Where:
    """What the person is looking at."""

    viewer: str
    conversation: str
    tab: str = "messages"  # the app DM: home | messages
    thread: str | None = None


def context_for(ws: Workspace, viewer: str, view_state: Any = None) -> Ctx:
    """Names, pickers' options and file URLs for rendering."""

    def names(ref: str) -> str:
        if ref in ws.users:
            return ws.users[ref].real_name
        channel = ws.channels.get(ref)
        return channel.name if channel and channel.name else ref

    users = [(u.id, u.real_name) for u in ws.people()]
    channels = [(c.id, c.name) for c in ws.channels.values() if c.kind != "im"]
    channels.sort(key=lambda c: c[1])
    ctx = Ctx(
        names, users, channels, file_url=lambda fid: f"/files/{fid}" if fid in ws.files else None
    )
    if view_state is not None:
        ctx.state, ctx.errors = view_state.state, view_state.errors
    return ctx


def topbar_html(ws: Workspace, viewer: str, roles: dict[str, str], workspace_tz: str) -> str:
    """The clock (demo time in the person's zone and the workspace's) and the person switch."""
    me = ws.users[viewer]
    now = ws.clock()
    mine = now.astimezone(ZoneInfo(me.tz))
    office = now.astimezone(ZoneInfo(workspace_tz))
    buttons = "".join(
        f'<button class="clock-btn" data-clock="{esc(k)}" title="{esc(tip)}">{esc(label)}</button>'
        for k, label, tip in CLOCK_BUTTONS
    )
    people = "".join(
        f'<option value="{esc(u.id)}"{" selected" if u.id == viewer else ""}>'
        f"{esc(u.real_name)} — {esc(roles.get(u.id, 'guest'))}</option>"
        for u in ws.people()
    )
    return (
        f'<div class="clock" data-testid="clock"><span class="clock-label">Demo time</span> '
        f'<b>{mine:%a %-d %b, %H:%M}</b> <span class="muted">{esc(me.tz)}</span>'
        f'<span class="muted"> · office {office:%H:%M}</span></div>'
        f'<div class="clock-buttons">{buttons}</div>'
        '<button class="clock-btn hood-btn" data-hood="1" title="What the app and Slack '
        'said to each other">Under the hood</button>'
        f'<label class="you-are">You are <select id="you-are" data-testid="you-are">{people}'
        f"</select></label>"
    )


def _unread(ws: Workspace, viewer: str, channel: str, seen: dict[tuple[str, str], str]) -> int:
    last = seen.get((viewer, channel), "0")
    return sum(
        1 for m in ws.history(channel, viewer) if m.user != viewer and float(m.ts) > float(last)
    )


def sidebar_html(
    ws: Workspace, where: Where, seen: dict[tuple[str, str], str], manager: bool
) -> str:
    """Workspace name, the app, the person's channels, and things to try."""
    dm = ws.dm(where.viewer)

    def item(cid: str, label: str, icon: str) -> str:
        count = _unread(ws, where.viewer, cid, seen) if cid != where.conversation else 0
        css = (
            "nav" + (" active" if cid == where.conversation else "") + (" unread" if count else "")
        )
        badge = f'<span class="count">{count}</span>' if count else ""
        return (
            f'<button class="{css}" data-nav="{esc(cid)}" data-testid="nav-{esc(label)}">'
            f'<span class="icon">{icon}</span>{esc(label)}{badge}</button>'
        )

    channels = "".join(
        item(c.id, c.name, "🔒" if c.kind == "private" else "#")
        for c in ws.visible_channels(where.viewer)
    )
    tour = TOUR_MANAGER if manager else TOUR_REP
    me = ws.users[where.viewer]
    special = (
        '<button class="tip special" data-crm="1"><code>CRM: Lakeside Manufacturing won</code>'
        "<span>a deal-won webhook from the CRM</span></button>"
        if manager
        else '<button class="tip special" data-status="1">'
        f"<code>{'Clear my status' if me.status_emoji else 'Set my status: 🌴 On vacation'}</code>"
        "<span>away: no evening prompt</span></button>"
    )
    tips = special + "".join(
        f'<button class="tip" data-fill="{esc(cmd)}"><code>{esc(cmd)}</code>'
        f"<span>{esc(why)}</span></button>"
        for cmd, why in tour
    )
    return (
        f'<div class="ws-name">{esc(ws.team_name)}</div>'
        f'<div class="section-title">Apps</div>{item(dm.id, "rolesplit", "◆")}'
        f'<div class="section-title">Channels</div>{channels or "<div class=muted>none</div>"}'
        f'<details class="tour" open><summary>Try it</summary>{tips}</details>'
    )


def main_html(ws: Workspace, where: Where, ctx: Ctx, tz: str) -> str:
    """The open conversation (or the app's Home tab) with its header and message box."""
    channel = ws.channels.get(where.conversation)
    if channel is None:
        return '<div class="empty">Pick a conversation.</div>'
    if channel.kind == "im":
        tabs = "".join(
            f'<button class="tab{" active" if where.tab == t else ""}" data-tab="{t}" '
            f'data-testid="tab-{t}">{label}</button>'
            for t, label in (("home", "Home"), ("messages", "Messages"))
        )
        head = f'<div class="conv-head"><b>◆ rolesplit</b><div class="tabs">{tabs}</div></div>'
    else:
        icon = "🔒" if channel.kind == "private" else "#"
        people = len([m for m in channel.members if m != ws.bot.id])
        head = (
            f'<div class="conv-head"><b>{icon} {esc(channel.name)}</b>'
            f'<span class="muted">{people} member{"s" if people != 1 else ""}'
            f"{' · ' + esc(channel.topic) if channel.topic else ''}</span></div>"
        )
    if channel.kind == "im" and where.tab == "home":
        home = ws.home(where.viewer)
        if home is None:
            body = '<div class="empty">Opening the Home tab…</div>'
        else:
            hctx = context_for(ws, where.viewer, home)
            body = (
                f'<div class="home" data-view-id="{esc(home.id)}">'
                f"{blocks_html(home.spec.get('blocks') or [], hctx)}</div>"
            )
        return f'{head}<div class="scroll" id="scroll">{body}</div>'
    messages = ws.history(channel.id, where.viewer)
    counts = {m.ts: len(ws.replies(channel.id, m.ts, where.viewer)) for m in messages}
    placeholder = (
        "Message rolesplit, or type /rolesplit help"
        if channel.kind == "im"
        else f"Message #{channel.name}, or type /rolesplit …"
    )
    return (
        f'{head}<div class="scroll" id="scroll" data-testid="messages">'
        f"{conversation_html(messages, ws, ctx, tz, counts)}</div>"
        f'<form class="composer" id="composer"><textarea id="composer-text" rows="1" '
        f'data-testid="composer" placeholder="{esc(placeholder)}"></textarea>'
        f'<button type="submit" class="send" title="Send">➤</button></form>'
    )


def thread_html(ws: Workspace, where: Where, ctx: Ctx, tz: str) -> str:
    """The thread pane: the parent and its replies."""
    if not where.thread:
        return ""
    parent = ws.message(where.conversation, where.thread)
    if parent is None:
        return ""
    replies = ws.replies(where.conversation, parent.ts, where.viewer)
    items = [message_html(parent, ws, ctx, tz, folded=False)]
    items += [message_html(r, ws, ctx, tz, folded=False) for r in replies]
    return (
        '<div class="thread-head"><b>Thread</b><button class="x" data-close-thread="1" '
        'title="Close">✕</button></div>'
        f'<div class="thread-scroll" data-testid="thread">{"".join(items)}</div>'
    )


def modal_html(ws: Workspace, viewer: str) -> tuple[str, str]:
    """The person's top modal and its key (the page redraws it only when the key changes)."""
    view = ws.top_modal(viewer)
    if view is None:
        return "", ""
    ctx = context_for(ws, viewer, view)
    spec = view.spec
    title = plain_html(str((spec.get("title") or {}).get("text") or ""))
    close = plain_html(str((spec.get("close") or {}).get("text") or "Cancel"))
    submit = spec.get("submit")
    submit_html = (
        f'<button class="bk-btn bk-primary" data-submit="1" data-testid="modal-submit">'
        f"{plain_html(str(submit.get('text')))}</button>"
        if submit
        else ""
    )
    back = len(ws.modal_stack(viewer)) > 1
    return (
        f'<div class="modal" role="dialog" data-view-id="{esc(view.id)}" data-testid="modal">'
        f'<div class="modal-head">{"<span class=back>‹</span>" if back else ""}'
        f'<span class="modal-title">{title}</span>'
        f'<button class="x" data-dismiss="1" title="Close">✕</button></div>'
        f'<div class="modal-body">{blocks_html(spec.get("blocks") or [], ctx)}</div>'
        f'<div class="modal-foot"><button class="bk-btn" data-dismiss="1">{close}</button>'
        f"{submit_html}</div></div>",
        view.key,
    )
