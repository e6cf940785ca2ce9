"""Block Kit as HTML, looking like Slack: sections (with fields and an accessory), headers,
dividers, context, actions, images, rich text and the inputs of modals.

Interactive elements carry `data-block-id`, `data-action-id` and `data-type`; the page's
script turns clicks and changes on them into Slack's payloads.
"""

from __future__ import annotations

from typing import Any

from bot.demo.elements import Ctx, element_html, text_html
from bot.demo.mrkdwn import esc, plain_html


def image_html(block: dict[str, Any], ctx: Ctx, css: str = "bk-image") -> str:
    """An image from the workspace's files or a data URL; other URLs are not fetched."""
    alt = str(block.get("alt_text") or "")
    url = str(block.get("image_url") or "")
    slack_file = block.get("slack_file") or {}
    src = ctx.file_url(str(slack_file.get("id") or "")) if slack_file else None
    if src is None and url.startswith(("data:image/png", "data:image/jpeg", "data:image/gif")):
        src = url
    if src is None and url.startswith("/files/"):
        src = url
    if src is None:
        return f'<span class="bk-image-missing" title="{esc(url)}">🖼 {esc(alt or "image")}</span>'
    return f'<img class="{css}" src="{esc(src)}" alt="{esc(alt)}">'


def _section(block: dict[str, Any], ctx: Ctx) -> str:
    bid = str(block.get("block_id") or "")
    body = ""
    if block.get("text"):
        body += f'<div class="bk-text">{text_html(block["text"], ctx.names)}</div>'
    if block.get("fields"):
        cells = "".join(
            f'<div class="bk-field">{text_html(f, ctx.names)}</div>' for f in block["fields"]
        )
        body += f'<div class="bk-fields">{cells}</div>'
    accessory = block.get("accessory")
    side = ""
    if isinstance(accessory, dict):
        if accessory.get("type") == "image":
            side = image_html(accessory, ctx, "bk-thumb")
        else:
            side = element_html(accessory, bid, ctx)
        side = f'<div class="bk-accessory">{side}</div>'
    return f'<div class="bk-section"><div class="bk-main">{body}</div>{side}</div>'


def _context(block: dict[str, Any], ctx: Ctx) -> str:
    parts = []
    for el in block.get("elements") or []:
        if el.get("type") == "image":
            parts.append(image_html(el, ctx, "bk-context-img"))
        else:
            parts.append(f"<span>{text_html(el, ctx.names)}</span>")
    return f'<div class="bk-context">{"".join(parts)}</div>'


def _actions(block: dict[str, Any], ctx: Ctx) -> str:
    bid = str(block.get("block_id") or "")
    els = "".join(element_html(el, bid, ctx) for el in block.get("elements") or [])
    return f'<div class="bk-actions" data-block-id="{esc(bid)}">{els}</div>'


def _input(block: dict[str, Any], ctx: Ctx) -> str:
    bid = str(block.get("block_id") or "")
    el = block.get("element") or {}
    optional = ' <span class="bk-optional">(optional)</span>' if block.get("optional") else ""
    label = plain_html(str((block.get("label") or {}).get("text") or ""))
    hint = block.get("hint")
    hint_html = f'<div class="bk-hint">{plain_html(str(hint.get("text")))}</div>' if hint else ""
    err = ctx.errors.get(bid)
    err_html = f'<div class="bk-error" role="alert">⚠ {esc(err)}</div>' if err else ""
    dispatch = ' data-dispatch="1"' if block.get("dispatch_action") else ""
    return (
        f'<div class="bk-input{" has-error" if err else ""}" data-block-id="{esc(bid)}"{dispatch}>'
        f'<label class="bk-label">{label}{optional}</label>'
        f"{element_html(el, bid, ctx, in_input=True)}{err_html}{hint_html}</div>"
    )


def _rich_text(block: dict[str, Any], ctx: Ctx) -> str:
    """rich_text as people's messages carry it (sections, lists, quotes, code)."""

    def inline(elements: list[dict[str, Any]]) -> str:
        out = []
        for e in elements:
            kind = e.get("type")
            if kind == "text":
                t = esc(str(e.get("text") or "")).replace("\n", "<br>")
                style = e.get("style") or {}
                if style.get("bold"):
                    t = f"<b>{t}</b>"
                if style.get("italic"):
                    t = f"<i>{t}</i>"
                if style.get("code"):
                    t = f'<code class="bk-code">{t}</code>'
                out.append(t)
            elif kind == "user":
                out.append(
                    f'<span class="bk-mention">@{esc(ctx.names(str(e.get("user_id"))))}</span>'
                )
            elif kind == "link":
                out.append(esc(str(e.get("text") or e.get("url") or "")))
            elif kind == "emoji":
                out.append(plain_html(f":{e.get('name')}:"))
        return "".join(out)

    html_parts = []
    for el in block.get("elements") or []:
        kind = el.get("type")
        inner = el.get("elements") or []
        if kind == "rich_text_list":
            items = "".join(f"<li>{inline(i.get('elements') or [])}</li>" for i in inner)
            tag = "ol" if el.get("style") == "ordered" else "ul"
            html_parts.append(f"<{tag}>{items}</{tag}>")
        elif kind == "rich_text_preformatted":
            html_parts.append(f'<pre class="bk-pre">{inline(inner)}</pre>')
        elif kind == "rich_text_quote":
            html_parts.append(f'<span class="bk-quote">{inline(inner)}</span>')
        else:
            html_parts.append(f"<div>{inline(inner)}</div>")
    return f'<div class="bk-rich">{"".join(html_parts)}</div>'


def block_html(block: dict[str, Any], ctx: Ctx) -> str:
    """One block as HTML."""
    kind = block.get("type")
    if kind == "section":
        return _section(block, ctx)
    if kind == "divider":
        return '<hr class="bk-divider">'
    if kind == "header":
        text = plain_html(str((block.get("text") or {}).get("text") or ""))
        return f'<div class="bk-header">{text}</div>'
    if kind == "context":
        return _context(block, ctx)
    if kind == "actions":
        return _actions(block, ctx)
    if kind == "image":
        title = block.get("title")
        cap = f'<div class="bk-caption">{plain_html(str(title.get("text")))}</div>' if title else ""
        return f'<div class="bk-image-block">{cap}{image_html(block, ctx)}</div>'
    if kind == "input":
        return _input(block, ctx)
    if kind == "rich_text":
        return _rich_text(block, ctx)
    return f'<div class="bk-unsupported">[{esc(str(kind))} block]</div>'


def blocks_html(blocks: list[dict[str, Any]], ctx: Ctx) -> str:
    """A list of blocks as HTML."""
    return "".join(block_html(b, ctx) for b in blocks if isinstance(b, dict))
