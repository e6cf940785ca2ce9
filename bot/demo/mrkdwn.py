"""Slack's mrkdwn as HTML: everything escaped first, then only Slack's own markup becomes tags.

Text reaches the page from the app, which may echo what people typed (a note, an account
name): `<script>` there is shown as text, never run.
"""

from __future__ import annotations

import html
import re
from collections.abc import Callable

Resolver = Callable[[str], str]  # a user or channel id → the name to show

CODE = re.compile(r"(```[\s\S]*?```|`[^`\n]+`)")
ANGLE = re.compile(r"<([^<>\n]{1,3000})>")
BOLD = re.compile(r"(?<![\w*])\*(?!\s)([^*\n]+?)(?<!\s)\*(?![\w*])")
ITALIC = re.compile(r"(?<![\w_])_(?!\s)([^_\n]+?)(?<!\s)_(?![\w_])")
STRIKE = re.compile(r"(?<![\w~])~(?!\s)([^~\n]+?)(?<!\s)~(?![\w~])")
EMOJI = re.compile(r":([a-z0-9_+\-]{1,40}):")
PLACEHOLDER = re.compile("\x00(\\d+)\x00")
SAFE_URL = re.compile(r"^(https?://|mailto:)[^\s\"'<>]+$", re.IGNORECASE)

EMOJI_CHARS = {
    "palm_tree": "🌴",
    "airplane": "✈️",
    "face_with_thermometer": "🤒",
    "sick": "🤢",
    "white_check_mark": "✅",
    "heavy_check_mark": "✔️",
    "warning": "⚠️",
    "tada": "🎉",
    "wave": "👋",
    "handshake": "🤝",
    "calendar": "📆",
    "date": "📅",
    "spiral_calendar_pad": "🗓️",
    "chart_with_upwards_trend": "📈",
    "bar_chart": "📊",
    "red_circle": "🔴",
    "large_orange_circle": "🟠",
    "large_green_circle": "🟢",
    "white_circle": "⚪",
    "hourglass_flowing_sand": "⏳",
    "bell": "🔔",
    "memo": "📝",
    "clipboard": "📋",
    "thumbsup": "👍",
    "+1": "👍",
    "rocket": "🚀",
    "pushpin": "📌",
    "lock": "🔒",
    "eyes": "👀",
    "test_tube": "🧪",
    "house": "🏠",
    "briefcase": "💼",
    "moneybag": "💰",
    "x": "❌",
    "information_source": "ℹ️",
    "raised_hands": "🙌",
    "coffee": "☕",
    "speech_balloon": "💬",
    "inbox_tray": "📥",
    "busts_in_silhouette": "👥",
}


def esc(text: str) -> str:
    """HTML-escape text (quotes included, so it is safe in attributes too)."""
    return html.escape(text, quote=True)


def unslack(text: str) -> str:
    """Slack's three escapes back to characters."""
    return text.replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&")


def emoji(text: str) -> str:
    """`:palm_tree:` → 🌴 for the shortcodes the demo knows; others stay as typed."""
    return EMOJI.sub(lambda m: EMOJI_CHARS.get(m.group(1), m.group(0)), text)


def plain_html(text: str, with_emoji: bool = True) -> str:
    """A plain_text object as HTML."""
    out = esc(text)
    return emoji(out) if with_emoji else out


def _token(inner: str, names: Resolver) -> str:
    """One `<…>` of Slack's markup as HTML; anything else is shown as the text it is."""
    target, _, label = inner.partition("|")
    if target[:2] in ("@U", "@W"):
        return f'<span class="bk-mention">@{esc(label or names(target[1:]))}</span>'
    if target[:2] in ("#C", "#G", "#D"):
        return f'<span class="bk-mention">#{esc(label or names(target[1:]))}</span>'
    if target in ("!here", "!channel", "!everyone"):
        return f'<span class="bk-mention">@{target[1:]}</span>'
    if target.startswith(("!subteam^", "!date^")):
        return esc(label or target)
    if SAFE_URL.match(target):
        href = esc(unslack(target))
        return (
            f'<a href="{href}" target="_blank" rel="noopener noreferrer">'
            f"{esc(unslack(label or target))}</a>"
        )
    return esc(f"<{unslack(inner)}>")


def _inline(segment: str, names: Resolver) -> str:
    tokens: list[str] = []

    def stash(match: re.Match[str]) -> str:
        tokens.append(_token(match.group(1), names))
        return f"\x00{len(tokens) - 1}\x00"

    text = esc(unslack(ANGLE.sub(stash, segment)))
    text = BOLD.sub(r"<b>\1</b>", text)
    text = ITALIC.sub(r"<i>\1</i>", text)
    text = STRIKE.sub(r"<s>\1</s>", text)
    text = emoji(text)
    lines = [
        f'<span class="bk-quote">{line[5:]}</span>' if line.startswith("&gt; ") else line
        for line in text.split("\n")
    ]
    text = "<br>".join(lines)
    return PLACEHOLDER.sub(lambda m: tokens[int(m.group(1))], text)


def to_html(text: str, names: Resolver) -> str:
    """Slack mrkdwn as HTML: code spans and blocks, *bold*, _italic_, ~strike~, > quotes,
    mentions, links, emoji shortcodes, line breaks."""
    out: list[str] = []
    for i, part in enumerate(CODE.split(text.replace("\x00", ""))):
        if i % 2 == 0:
            out.append(_inline(part, names))
        elif part.startswith("```"):
            out.append(f'<pre class="bk-pre">{esc(unslack(part[3:-3].strip(chr(10))))}</pre>')
        else:
            out.append(f'<code class="bk-code">{esc(unslack(part[1:-1]))}</code>')
    return "".join(out)
