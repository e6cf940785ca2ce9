"""The shape of a Slack payload: the fields Bolt and the listeners read, with Slack's types.

A payload Slack would never send — a field of another type, a null where Slack always gives
a value, a missing id a listener needs — is refused at the edge (400) instead of failing
deep inside Bolt or a listener (500).

The spec: a tuple of types is "one of these"; a dict is an object whose listed keys are
checked; a one-item list is an array of that; `Map` is an object of arbitrary keys; `OneOf`
is a string or an object. Other keys are not checked. A field may be absent; it may be null
only when its name is in NULLABLE (Slack's own nulls: an empty input, no enterprise).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from bot.slack.inbound import BadInput


class Map:
    """An object with arbitrary keys whose values all match `spec`."""

    def __init__(self, spec: Any) -> None:
        self.spec = spec


class OneOf:
    """A string, or an object matching `spec` (Slack's `team`, `user`, `channel`)."""

    def __init__(self, spec: dict[str, Any]) -> None:
        self.spec = spec


class Url:
    """An http(s) URL Slack gives the app to answer on (`response_url`)."""


S = (str,)
URL = Url()
FLAG = (bool, str)
_ID = {"id": S, "team_id": S, "enterprise_id": S, "name": S, "domain": S}
_OPTION = {"value": S}
_ACTION = {
    "action_id": S,
    "block_id": S,
    "type": S,
    "value": S,
    "action_ts": S,
    "selected_option": _OPTION,
    "selected_options": [_OPTION],
    "selected_user": S,
    "selected_users": [S],
    "selected_conversation": S,
    "selected_channel": S,
    "selected_date": S,
    "selected_time": S,
}
_VIEW = {
    "id": S,
    "type": S,
    "callback_id": S,
    "private_metadata": S,
    "hash": S,
    "team_id": S,
    "app_installed_team_id": S,
    "external_id": S,
    "root_view_id": S,
    "previous_view_id": S,
    "state": {"values": Map(Map(_ACTION))},
}
_MESSAGE = {
    "type": S,
    "subtype": S,
    "text": S,
    "user": S,
    "bot_id": S,
    "ts": S,
    "thread_ts": S,
    "team": S,
    "user_team": S,
    "channel": S,
}
_EVENT = {
    **_MESSAGE,
    "user": OneOf(_ID),
    "channel": OneOf(_ID),
    "team": OneOf(_ID),
    "channel_type": S,
    "tab": S,
    "event_ts": S,
    "user_id": S,
    "bot_access_token": S,
    "function_execution_id": S,
    "message": _MESSAGE,
    "previous_message": _MESSAGE,
    "item": {"type": S, "channel": S, "ts": S},
    "assistant_thread": {"channel_id": S, "thread_ts": S},
    "view": _VIEW,
    "tokens": {"oauth": [S], "bot": [S]},
    "files": [{"id": S, "name": S}],
}
SLACK_PAYLOAD: dict[str, Any] = {
    "type": S,
    "command": S,
    "text": S,
    "token": S,
    "team_id": S,
    "team_domain": S,
    "user_id": S,
    "user_name": S,
    "channel_id": S,
    "channel_name": S,
    "enterprise_id": S,
    "api_app_id": S,
    "trigger_id": S,
    "response_url": URL,
    "callback_id": S,
    "challenge": S,
    "event_id": S,
    "thread_ts": S,
    "ssl_check": S,
    "context_team_id": S,
    "context_enterprise_id": S,
    "function_execution_id": S,
    "bot_access_token": S,
    "is_enterprise_install": FLAG,
    "is_ext_shared_channel": FLAG,
    "team": OneOf(_ID),
    "user": OneOf(_ID),
    "channel": OneOf(_ID),
    "enterprise": OneOf(_ID),
    "event": _EVENT,
    "view": _VIEW,
    "actions": [_ACTION],
    "container": {
        "type": S,
        "view_id": S,
        "message_ts": S,
        "channel_id": S,
        "thread_ts": S,
        "is_ephemeral": FLAG,
    },
    "message": _MESSAGE,
    "previous_message": _MESSAGE,
    "state": {"values": Map(Map(_ACTION))},
    "authorizations": [
        {
            "team_id": S,
            "enterprise_id": S,
            "user_id": S,
            "is_bot": FLAG,
            "is_enterprise_install": FLAG,
        }
    ],
    "response_urls": [{"response_url": URL, "block_id": S, "action_id": S, "channel_id": S}],
    "function_data": {"execution_id": S, "inputs": Map(object)},
}


NULLABLE = frozenset(
    {
        "enterprise",
        "enterprise_id",
        "is_enterprise_install",
        "root_view_id",
        "previous_view_id",
        "external_id",
        "app_installed_team_id",
        "private_metadata",
        "value",
        "selected_option",
        "selected_options",
        "selected_user",
        "selected_users",
        "selected_conversation",
        "selected_channel",
        "selected_date",
        "selected_time",
        "thread_ts",
        "bot_id",
        "subtype",
        "user_team",
        "context_team_id",
        "context_enterprise_id",
        "response_urls",
    }
)
# what each kind of request must carry (the listeners read these without a fallback)
REQUIRED: dict[str, tuple[str, ...]] = {
    "block_actions": ("team.id", "user.id", "trigger_id", "actions.0.action_id"),
    "view_submission": (
        "team.id",
        "user.id",
        "trigger_id",
        "view.id",
        "view.type",  # Bolt reads it to tell a workflow step from a modal
        "view.callback_id",
        "view.state.values",
    ),
    "view_closed": ("team.id", "user.id", "view.id", "view.type", "view.callback_id"),
    # a click on a message can be answered in place: Slack always sends where to
    "block_actions in message": ("response_url",),
    "event_callback": ("team_id", "event.type"),
    "command": ("team_id", "user_id", "channel_id", "trigger_id", "response_url"),
    "app_home_opened": ("event.user",),
    "user_change": ("event.user.id",),
}


# where an event's type decides between Slack's string and object forms
EVENT_SPECS: dict[str, dict[str, Any]] = {
    "message": {"user": S, "channel": S},
    "app_home_opened": {"user": S, "channel": S},
    "user_change": {"user": {**_ID, "tz": S}},
}


def check_shape(value: Any) -> None:
    """Raise BadInput naming the first field that is not what Slack sends."""
    _check(value, SLACK_PAYLOAD, "body")
    kind = "command" if "command" in value else str(value.get("type") or "")
    event, container = value.get("event"), value.get("container")
    event_type = str(event.get("type") or "") if isinstance(event, dict) else ""
    where = container.get("type") if isinstance(container, dict) else None
    if event_type in EVENT_SPECS:
        _check(event, EVENT_SPECS[event_type], "event")
    also = REQUIRED.get(event_type, ()) + REQUIRED.get(f"{kind} in {where}", ())
    for path in REQUIRED.get(kind, ()) + also:
        node: Any = value
        for step in path.split("."):
            if isinstance(node, list) and step.isdigit() and int(step) < len(node):
                node = node[int(step)]
            elif isinstance(node, dict) and node.get(step) is not None:
                node = node[step]
            else:
                raise BadInput(path, "is required")


def _check(value: Any, spec: Any, where: str) -> None:
    if spec is object:
        return
    if value is None:
        if where.rpartition(".")[2] not in NULLABLE:
            raise BadInput(where, "must not be null")
        return
    if isinstance(spec, Url):
        if not (isinstance(value, str) and value.startswith(("https://", "http://"))):
            raise BadInput(where, "must be an http(s) URL")
    elif isinstance(spec, tuple):
        if not isinstance(value, spec):
            raise BadInput(where, f"must be {' or '.join(t.__name__ for t in spec)}")
    elif isinstance(spec, OneOf):
        if not isinstance(value, str):
            _check(value, spec.spec, where)
    elif isinstance(spec, Map):
        if not isinstance(value, dict):
            raise BadInput(where, "must be an object")
        for key, item in value.items():
            _check(item, spec.spec, f"{where}.{key}")
    elif isinstance(spec, list):
        if not isinstance(value, list):
            raise BadInput(where, "must be an array")
        if where == "actions" and not value:
            raise BadInput(where, "must not be empty")
        for i, item in enumerate(value):
            _check(item, spec[0], f"{where}[{i}]")
    else:
        if not isinstance(value, Mapping):
            raise BadInput(where, "must be an object")
        for key, sub in spec.items():
            if key in value:
                _check(value[key], sub, f"{where}.{key}" if where != "body" else key)
