"""Conversations as Slack draws them: avatar, name and time per message, day dividers, blocks,
files (images inline), ephemeral notes, thread reply counts."""

from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from bot.demo.blocks import blocks_html
from bot.demo.elements import Ctx
from bot.demo.model import Message, StoredFile, User
from bot.demo.mrkdwn import esc, to_html
from bot.demo.workspace import Workspace

GROUP_SECONDS = 300  # Slack folds a sender's messages within five minutes under one header


def when(ts: str, tz: str) -> datetime:
    """A message ts as a local datetime."""
    return datetime.fromtimestamp(float(ts), ZoneInfo(tz))


def clock_text(moment: datetime) -> str:
    """`4:05 PM`."""
    return moment.strftime("%I:%M %p").lstrip("0")


def day_text(day: datetime, today: datetime) -> str:
    """`Today`, `Yesterday` or `Wednesday, March 4`."""
    if day.date() == today.date():
        return "Today"
    if day.date() == (today - timedelta(days=1)).date():
        return "Yesterday"
    return f"{day:%A, %B} {day.day}"


def avatar(user: User | None) -> str:
    """A square with the person's initials (the app has its own mark)."""
    if user is None:
        return '<div class="avatar">?</div>'
    css = "avatar bot" if user.is_bot else "avatar"
    return f'<div class="{css}" style="background:{esc(user.color)}">{esc(user.initials)}</div>'


def file_html(f: StoredFile) -> str:
    """An image inline, any other file as a card that opens it."""
    url = f"/files/{esc(f.id)}"
    if f.is_image:
        return (
            f'<figure class="file-image"><figcaption>{esc(f.title)}</figcaption>'
            f'<a href="{url}" target="_blank"><img src="{url}" alt="{esc(f.title)}"></a></figure>'
        )
    kind = f.name.rsplit(".", 1)[-1].upper() if "." in f.name else "FILE"
    return (
        f'<a class="file-card" href="{url}" target="_blank"><span class="file-kind">{esc(kind)}'
        f"</span><span><b>{esc(f.title)}</b><br><small>{esc(f.name)} · "
        f"{max(1, len(f.content) // 1024)} KB</small></span></a>"
    )


def body_html(m: Message, ws: Workspace, ctx: Ctx) -> str:
    """A message's blocks (or its text when it has none) and its files."""
    parts = []
    if m.blocks:
        parts.append(blocks_html(m.blocks, ctx))
    elif m.text:
        parts.append(f'<div class="msg-text">{to_html(m.text, ctx.names)}</div>')
    for fid in m.files:
        stored = ws.files.get(fid)
        if stored is not None:
            parts.append(file_html(stored))
    return "".join(parts)


def message_html(
    m: Message, ws: Workspace, ctx: Ctx, tz: str, *, folded: bool, replies: int = 0
) -> str:
    """One message with its header (unless folded under the previous one)."""
    author = ws.users.get(m.user)
    moment = when(m.ts, tz)
    head = ""
    if not folded:
        name = esc(author.real_name if author else m.user)
        badge = '<span class="badge">APP</span>' if author and author.is_bot else ""
        head = (
            f'<div class="msg-head"><span class="msg-name">{name}</span>{badge}'
            f'<span class="msg-time" title="{moment:%Y-%m-%d %H:%M %Z}">'
            f"{clock_text(moment)}</span></div>"
        )
    left = avatar(author) if not folded else f'<div class="gutter">{clock_text(moment)}</div>'
    note = ""
    if m.only_for:
        note = '<div class="eph-note">👁 Only visible to you</div>'
    thread = ""
    if replies:
        word = "reply" if replies == 1 else "replies"
        thread = (
            f'<button class="thread-link" data-thread="{esc(m.ts)}">💬 {replies} {word}</button>'
        )
    css = "msg" + (" folded" if folded else "") + (" ephemeral" if m.only_for else "")
    return (
        f'<div class="{css}" data-channel="{esc(m.channel)}" data-ts="{esc(m.ts)}" '
        f'id="m{esc(m.ts.replace(".", "-"))}">{left}<div class="msg-body">{note}{head}'
        f"{body_html(m, ws, ctx)}{thread}</div></div>"
    )


def conversation_html(
    messages: list[Message], ws: Workspace, ctx: Ctx, tz: str, reply_counts: dict[str, int]
) -> str:
    """Messages with day dividers, consecutive ones of one sender folded."""
    today = ws.clock().astimezone(ZoneInfo(tz))
    out: list[str] = []
    last: Message | None = None
    for m in messages:
        moment = when(m.ts, tz)
        if last is None or when(last.ts, tz).date() != moment.date():
            out.append(f'<div class="day"><span>{day_text(moment, today)}</span></div>')
            last = None
        folded = (
            last is not None
            and last.user == m.user
            and float(m.ts) - float(last.ts) < GROUP_SECONDS
            and not m.only_for
            and not last.only_for
            and not reply_counts.get(last.ts)
        )
        out.append(message_html(m, ws, ctx, tz, folded=folded, replies=reply_counts.get(m.ts, 0)))
        last = m
    if not out:
        out.append('<div class="empty">No messages yet.</div>')
    return "".join(out)
