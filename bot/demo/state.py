"""What the page sends (a value, or a list of values, per element) in Slack's own shapes: the
`actions` of a block_actions payload and a view's `state.values`."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from bot.demo.elements import options_of

Raw = str | list[str] | None  # what the page read from one control
NOT_STATEFUL = ("button", "overflow", "image")


def with_ids(blocks: list[Any]) -> list[Any]:
    """Blocks with a block_id and action_ids everywhere, as Slack fills in missing ones."""
    out = []
    for i, block in enumerate(blocks):
        if not isinstance(block, dict):
            out.append(block)
            continue
        block = dict(block)
        block.setdefault("block_id", f"b{i}")
        if isinstance(block.get("elements"), list) and block.get("type") == "actions":
            block["elements"] = [
                {**el, "action_id": el.get("action_id") or f"a{j}"}
                for j, el in enumerate(block["elements"])
            ]
        for key in ("accessory", "element"):
            if isinstance(block.get(key), dict) and not block[key].get("action_id"):
                block[key] = {**block[key], "action_id": f"{key[:3]}{i}"}
        out.append(block)
    return out


def elements_in(blocks: list[dict[str, Any]]) -> Iterator[tuple[str, dict[str, Any], bool]]:
    """(block_id, element, in an input block) for every interactive element."""
    for block in blocks:
        bid = str(block.get("block_id") or "")
        if block.get("type") == "actions":
            for el in block.get("elements") or []:
                yield bid, el, False
        elif block.get("type") == "section" and isinstance(block.get("accessory"), dict):
            yield bid, block["accessory"], False
        elif block.get("type") == "input" and isinstance(block.get("element"), dict):
            yield bid, block["element"], True


def find(blocks: list[dict[str, Any]], block_id: str, action_id: str) -> dict[str, Any] | None:
    """The element a click or change came from."""
    for bid, el, _ in elements_in(blocks):
        if bid == block_id and el.get("action_id") == action_id:
            return el
    return None


def _option(el: dict[str, Any], value: str) -> dict[str, Any] | None:
    for o in options_of(el):
        if str(o.get("value")) == value:
            return {"text": o.get("text"), "value": o.get("value")}
    return None


def _one(raw: Raw) -> str | None:
    if isinstance(raw, list):
        return raw[0] if raw else None
    return raw or None


def _many(raw: Raw) -> list[str]:
    if raw is None:
        return []
    return [r for r in raw if r] if isinstance(raw, list) else [raw] if raw else []


SINGLE_KEYS = {
    "users_select": "selected_user",
    "conversations_select": "selected_conversation",
    "channels_select": "selected_channel",
    "datepicker": "selected_date",
    "timepicker": "selected_time",
}
MULTI_KEYS = {
    "multi_users_select": "selected_users",
    "multi_conversations_select": "selected_conversations",
    "multi_channels_select": "selected_channels",
}


def value_of(el: dict[str, Any], raw: Raw) -> dict[str, Any]:
    """The state of one element (also what its action carries), e.g.
    `{"type": "datepicker", "selected_date": "2026-03-04"}`."""
    kind = str(el.get("type") or "")
    out: dict[str, Any] = {"type": kind}
    if kind in SINGLE_KEYS:
        out[SINGLE_KEYS[kind]] = _one(raw)
    elif kind in MULTI_KEYS:
        out[MULTI_KEYS[kind]] = _many(raw)
    elif kind in ("static_select", "radio_buttons", "overflow", "external_select"):
        value = _one(raw)
        out["selected_option"] = _option(el, value) if value is not None else None
    elif kind in ("multi_static_select", "checkboxes"):
        out["selected_options"] = [o for o in (_option(el, v) for v in _many(raw)) if o]
    elif kind == "datetimepicker":
        value = _one(raw)
        out["selected_date_time"] = int(value) if value and value.isdigit() else None
    else:
        out["value"] = _one(raw)
    return out


def action(el: dict[str, Any], block_id: str, raw: Raw, action_ts: str) -> dict[str, Any]:
    """One entry of a block_actions payload's `actions`."""
    out: dict[str, Any] = {
        "action_id": el.get("action_id"),
        "block_id": block_id,
        "type": el.get("type"),
        "action_ts": action_ts,
    }
    if el.get("type") == "button":
        out["text"] = el.get("text")
        if el.get("value") is not None:
            out["value"] = el["value"]
        if el.get("style"):
            out["style"] = el["style"]
        return out
    out.update({k: v for k, v in value_of(el, raw).items() if k != "type"})
    return out


def initial_raw(el: dict[str, Any]) -> Raw:
    """An element's initial value(s) as the page would send them untouched."""
    for key in ("initial_value", "initial_date", "initial_time", "initial_user"):
        if el.get(key) is not None:
            return str(el[key])
    for key in ("initial_conversation", "initial_channel"):
        if el.get(key):
            return str(el[key])
    if el.get("initial_option"):
        return str(el["initial_option"].get("value"))
    if el.get("initial_options"):
        return [str(o.get("value")) for o in el["initial_options"]]
    for key in ("initial_users", "initial_conversations", "initial_channels"):
        if el.get(key):
            return [str(v) for v in el[key]]
    return None


def view_state(
    blocks: list[dict[str, Any]], raw: dict[str, dict[str, Raw]]
) -> dict[str, dict[str, dict[str, Any]]]:
    """A view's `state.values`: every input block's element (what was typed, else its initial
    value), and the stateful elements of other blocks that the page sent."""
    values: dict[str, dict[str, dict[str, Any]]] = {}
    for bid, el, in_input in elements_in(blocks):
        kind, aid = str(el.get("type") or ""), str(el.get("action_id") or "")
        if kind in NOT_STATEFUL:
            continue
        sent = raw.get(bid, {})
        if aid in sent:
            values.setdefault(bid, {})[aid] = value_of(el, sent[aid])
        elif in_input:
            values.setdefault(bid, {})[aid] = value_of(el, initial_raw(el))
    return values
