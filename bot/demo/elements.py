"""Block Kit elements as HTML form controls (buttons, selects, pickers, inputs, choices)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from bot.demo.mrkdwn import SAFE_URL, Resolver, esc, plain_html, to_html

FileUrl = Callable[[str], str | None]  # a file id → its URL on the page (None: unknown)
USER_PICKERS = ("users_select", "multi_users_select")
CHANNEL_PICKERS = (
    "conversations_select",
    "multi_conversations_select",
    "channels_select",
    "multi_channels_select",
)


@dataclass
class Ctx:
    """What rendering needs besides the blocks."""

    names: Resolver
    users: list[tuple[str, str]] = field(default_factory=list)
    channels: list[tuple[str, str]] = field(default_factory=list)
    state: dict[str, dict[str, dict[str, Any]]] = field(default_factory=dict)
    errors: dict[str, str] = field(default_factory=dict)
    file_url: FileUrl = lambda _id: None


def text_html(obj: Any, names: Resolver) -> str:
    """A text object (mrkdwn or plain_text) as HTML."""
    if not isinstance(obj, dict):
        return esc(str(obj or ""))
    text = str(obj.get("text") or "")
    if obj.get("type") == "mrkdwn":
        return to_html(text, names)
    return plain_html(text, bool(obj.get("emoji", True)))


def options_of(el: dict[str, Any]) -> list[dict[str, Any]]:
    """An element's options, groups flattened."""
    found = list(el.get("options") or [])
    for group in el.get("option_groups") or []:
        found += list(group.get("options") or [])
    return found


def current(el: dict[str, Any], block_id: str, ctx: Ctx) -> list[str]:
    """The element's value(s) now: what the person chose (state) or the initial ones."""
    st = ctx.state.get(block_id, {}).get(str(el.get("action_id") or ""))
    if st is not None:
        for key in ("value", "selected_date", "selected_time", "selected_user"):
            if key in st:
                return [str(st[key])] if st[key] is not None else []
        for key in ("selected_conversation", "selected_channel"):
            if key in st:
                return [str(st[key])] if st[key] else []
        if "selected_option" in st:
            opt = st["selected_option"]
            return [str(opt["value"])] if opt else []
        for key in ("selected_options",):
            if key in st:
                return [str(o["value"]) for o in st[key] or []]
        for key in ("selected_users", "selected_conversations", "selected_channels"):
            if key in st:
                return [str(v) for v in st[key] or []]
    for key in ("initial_value", "initial_date", "initial_time", "initial_user"):
        if el.get(key) is not None:
            return [str(el[key])]
    for key in ("initial_conversation", "initial_channel"):
        if el.get(key):
            return [str(el[key])]
    if el.get("initial_option"):
        return [str(el["initial_option"].get("value"))]
    if el.get("initial_options"):
        return [str(o.get("value")) for o in el["initial_options"]]
    for key in ("initial_users", "initial_conversations", "initial_channels"):
        if el.get(key):
            return [str(v) for v in el[key]]
    return []


def _attrs(el: dict[str, Any], block_id: str) -> str:
    kind, aid = str(el.get("type") or ""), str(el.get("action_id") or "")
    attrs = f'data-type="{esc(kind)}" data-block-id="{esc(block_id)}" data-action-id="{esc(aid)}"'
    confirm = el.get("confirm")
    if isinstance(confirm, dict):
        question = str((confirm.get("text") or {}).get("text") or "Are you sure?")
        attrs += f' data-confirm="{esc(question)}"'
    return attrs


def _button(el: dict[str, Any], block_id: str) -> str:
    style = str(el.get("style") or "")
    css = f"bk-btn bk-{style}" if style in ("primary", "danger") else "bk-btn"
    label = plain_html(str((el.get("text") or {}).get("text") or ""))
    url = str(el.get("url") or "")
    if url and SAFE_URL.match(url):
        return f'<a class="{css}" href="{esc(url)}" target="_blank" rel="noopener">{label}</a>'
    value = esc(str(el.get("value") or ""))
    return (
        f'<button type="button" class="bk-el {css}" {_attrs(el, block_id)} '
        f'data-value="{value}">{label}</button>'
    )


def _select(el: dict[str, Any], block_id: str, ctx: Ctx) -> str:
    kind = str(el.get("type") or "")
    chosen = set(current(el, block_id, ctx))
    if kind in USER_PICKERS:
        opts = ctx.users
    elif kind in CHANNEL_PICKERS:
        opts = ctx.channels
    else:
        opts = [
            (str(o.get("value")), str((o.get("text") or {}).get("text") or ""))
            for o in options_of(el)
        ]
    multi = kind.startswith("multi_")
    placeholder = str((el.get("placeholder") or {}).get("text") or "Select an item")
    html = [] if multi else [f'<option value="">{esc(placeholder)}</option>']
    for value, label in opts:
        sel = " selected" if value in chosen else ""
        html.append(f'<option value="{esc(value)}"{sel}>{plain_html(label)}</option>')
    disabled = " disabled" if kind == "external_select" else ""
    size = f' multiple size="{min(5, max(2, len(opts)))}"' if multi else ""
    return (
        f'<select class="bk-el bk-select" {_attrs(el, block_id)}{size}{disabled}>'
        f"{''.join(html)}</select>"
    )


def _choices(el: dict[str, Any], block_id: str, ctx: Ctx) -> str:
    kind = str(el.get("type") or "")
    box = "checkbox" if kind == "checkboxes" else "radio"
    chosen = set(current(el, block_id, ctx))
    name = esc(f"{block_id}/{el.get('action_id')}")
    items = []
    for o in options_of(el):
        value = str(o.get("value"))
        mark = " checked" if value in chosen else ""
        desc = o.get("description")
        desc_html = f'<span class="bk-desc">{text_html(desc, ctx.names)}</span>' if desc else ""
        items.append(
            f'<label class="bk-choice"><input type="{box}" name="{name}" value="{esc(value)}"'
            f"{mark}><span>{text_html(o.get('text'), ctx.names)}{desc_html}</span></label>"
        )
    return f'<div class="bk-el bk-choices" {_attrs(el, block_id)}>{"".join(items)}</div>'


def _overflow(el: dict[str, Any], block_id: str) -> str:
    items = "".join(
        f'<button type="button" class="bk-el bk-menu-item" {_attrs(el, block_id)} '
        f'data-value="{esc(str(o.get("value")))}">'
        f"{plain_html(str((o.get('text') or {}).get('text') or ''))}</button>"
        for o in options_of(el)
    )
    return (
        f'<details class="bk-overflow"><summary title="More actions">⋯</summary>'
        f'<div class="bk-menu">{items}</div></details>'
    )


INPUT_TYPES = {
    "plain_text_input": "text",
    "email_text_input": "email",
    "url_text_input": "url",
    "number_input": "number",
    "datepicker": "date",
    "timepicker": "time",
}


def _text_input(el: dict[str, Any], block_id: str, ctx: Ctx) -> str:
    kind = str(el.get("type") or "")
    value = esc((current(el, block_id, ctx) or [""])[0])
    placeholder = esc(str((el.get("placeholder") or {}).get("text") or ""))
    extra = f' placeholder="{placeholder}"' if placeholder else ""
    if el.get("max_length"):
        extra += f' maxlength="{int(el["max_length"])}"'
    if kind == "number_input":
        extra += ' step="any"' if el.get("is_decimal_allowed") else ' step="1"'
        for key, attr in (("min_value", "min"), ("max_value", "max")):
            if el.get(key) is not None:
                extra += f' {attr}="{esc(str(el[key]))}"'
    if kind == "plain_text_input" and el.get("multiline"):
        return (
            f'<textarea class="bk-el bk-textarea" rows="4" {_attrs(el, block_id)}{extra}>'
            f"{value}</textarea>"
        )
    return (
        f'<input class="bk-el bk-field-input" type="{INPUT_TYPES[kind]}" '
        f'{_attrs(el, block_id)} value="{value}"{extra}>'
    )


def element_html(el: dict[str, Any], block_id: str, ctx: Ctx, *, in_input: bool = False) -> str:
    """One interactive element as HTML (inputs are only read, not sent, unless dispatched)."""
    kind = str(el.get("type") or "")
    if kind == "button":
        return _button(el, block_id)
    if kind.endswith("_select"):
        return _select(el, block_id, ctx)
    if kind in ("checkboxes", "radio_buttons"):
        return _choices(el, block_id, ctx)
    if kind == "overflow":
        return _overflow(el, block_id)
    if kind in INPUT_TYPES:
        return _text_input(el, block_id, ctx)
    if kind == "image":
        return f'<span class="bk-image-missing">🖼 {esc(str(el.get("alt_text") or ""))}</span>'
    return f'<span class="bk-unsupported">[{esc(kind)}]</span>'
