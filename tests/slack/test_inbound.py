"""The edge's pure rules: signatures, bounded JSON, clean text, the shape of a payload."""

from __future__ import annotations

import hashlib
import hmac
import json
from contextlib import suppress
from typing import Any
from urllib.parse import urlencode

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bot.slack.inbound import (
    MAX_DEPTH,
    BadInput,
    clean,
    clean_text,
    load_json,
    nesting_depth,
    parse_slack_body,
    signature_ok,
)
from bot.slack.shape import check_shape

SECRET = "edge-secret"
NOW = 1_800_000_000


def _sign(body: bytes, ts: str, secret: str = SECRET) -> str:
    base = b"v0:" + ts.encode() + b":" + body
    return "v0=" + hmac.new(secret.encode(), base, hashlib.sha256).hexdigest()


def test_a_signature_is_checked_on_the_raw_bytes_and_its_age() -> None:
    body = b"payload=%7Bx"  # malformed, but the signature is all that is looked at
    ts = str(NOW)
    assert signature_ok(SECRET, ts, _sign(body, ts), body, NOW)
    assert not signature_ok(SECRET, ts, _sign(body, ts), body + b" ", NOW)
    assert not signature_ok(SECRET, ts, _sign(body, ts, "other"), body, NOW)
    assert not signature_ok(SECRET, ts, _sign(body, ts), body, NOW + 301)  # stale
    assert not signature_ok("", ts, _sign(body, ts, ""), body, NOW)  # no secret, no entry
    for bad_ts in ("", "abc", "-1", "1e9", "١٨٠٠٠٠٠٠٠٠", "9" * 40, " 1800000000"):
        assert not signature_ok(SECRET, bad_ts, _sign(body, bad_ts), body, NOW), bad_ts
    for bad_sig in ("", "v0=", "v1=" + "0" * 64, "v0=zz", "v0=é"):
        assert not signature_ok(SECRET, ts, bad_sig, body, NOW)


JSON_VALUES = st.recursive(
    st.none() | st.booleans() | st.integers() | st.text(alphabet='[]{}"\\ab'),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=3), inner),
    max_leaves=20,
)


def _depth(value: Any) -> int:
    if isinstance(value, list):
        return 1 + max((_depth(v) for v in value), default=0)
    if isinstance(value, dict):
        return 1 + max((_depth(v) for v in value.values()), default=0)
    return 0


@settings(max_examples=300, deadline=None)
@given(JSON_VALUES)
def test_the_nesting_scan_matches_the_real_depth(value: Any) -> None:
    assert nesting_depth(json.dumps(value)) == _depth(value)


JUNK = st.text(alphabet='[]{}"\\,:a1 ', max_size=40)


@settings(max_examples=200, deadline=None)
@given(JUNK, st.integers(0, 3000), st.sampled_from('[{"'), JUNK)
def test_text_the_scan_passes_never_overflows_the_parser(
    head: str, depth: int, opener: str, tail: str
) -> None:
    """Whatever quotes and escapes come first, a deep run of brackets is caught by the scan."""
    text = head + (opener if opener != "{" else '{"k":') * depth + tail
    # refused before parsing, or a plain syntax error (both a 400); a RecursionError fails
    with suppress(BadInput):
        load_json(text)


def test_deep_nesting_is_refused_before_parsing() -> None:
    assert load_json("[" * MAX_DEPTH + "]" * MAX_DEPTH) is not None
    for deep in ("[" * 10_000 + "]" * 10_000, '{"a":' * 10_000 + "1" + "}" * 10_000, "[" * 100_000):
        with pytest.raises(BadInput, match="deeper than 64"):
            load_json(deep)
    assert load_json('["' + "[" * 10_000 + '"]') == ["[" * 10_000]  # brackets inside text


@pytest.mark.parametrize(
    "text",
    ["{not json", "", "1e999", "-1e400", "NaN", "[Infinity]", "12345678901234567890", "[1,]"],
)
def test_malformed_json_and_numbers_out_of_range_are_refused(text: str) -> None:
    with pytest.raises(BadInput) as err:
        load_json(text)
    assert err.value.field == "body"


def test_text_loses_nul_and_unpaired_surrogates_everywhere() -> None:
    assert clean_text("a\x00b\ud800c\udfffd") == "abcd"
    assert clean_text("😀 ok") == "😀 ok"
    raw = '{"k\\u0000": ["\\ud83d\\ude00", "x\\ud83dy", "\\u0000"], "n": 1.5}'
    assert load_json(raw) == {"k": ["😀", "xy", ""], "n": 1.5}
    assert clean({"a": [{"b\udc00": "\x00"}]}) == {"a": [{"b": ""}]}


@pytest.mark.parametrize(
    ("body", "ctype", "field"),
    [
        ("{not json", "application/json", "body"),
        ("[1]", "application/json", "body"),
        ("null", "application/json", "body"),
        ("payload={x", "application/x-www-form-urlencoded", "payload"),
        ("payload=[1]", "application/x-www-form-urlencoded", "payload"),
        ("payload=null", "application/x-www-form-urlencoded", "payload"),
        ("&".join(f"f{i}=1" for i in range(500)), "application/x-www-form-urlencoded", "body"),
    ],
)
def test_malformed_slack_bodies_name_what_is_wrong(body: str, ctype: str, field: str) -> None:
    with pytest.raises(BadInput) as err:
        parse_slack_body(body, ctype)
    assert err.value.field == field


def test_slack_bodies_parse_as_bolt_parses_them_only_cleaned() -> None:
    command = urlencode({"command": "/rolesplit", "text": "won Acme\x00 Corp", "team_id": "T1"})
    assert parse_slack_body(command, "application/x-www-form-urlencoded") == {
        "command": "/rolesplit",
        "text": "won Acme Corp",
        "team_id": "T1",
    }
    payload = urlencode({"payload": json.dumps({"type": "block_actions", "x": "\ud800"})})
    assert parse_slack_body(payload, None) == {"type": "block_actions", "x": ""}
    assert parse_slack_body('{"type": "url_verification"}', None) == {"type": "url_verification"}
    assert parse_slack_body("", "application/json") == {}


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"type": 5}, "type"),
        ({"event": "message"}, "event"),
        ({"event": {"type": ["message"]}}, "event.type"),
        ({"team": 7}, "team"),
        ({"user": ["U1"]}, "user"),
        ({"user": {"id": {"x": 1}}}, "user.id"),
        ({"actions": {"action_id": "a"}}, "actions"),
        ({"actions": [{"action_id": 1}]}, "actions[0].action_id"),
        ({"actions": ["a"]}, "actions[0]"),
        (
            {"view": {"state": {"values": {"b": {"a": {"value": 3}}}}}},
            "view.state.values.b.a.value",
        ),
        ({"authorizations": [{"is_bot": 1}]}, "authorizations[0].is_bot"),
    ],
)
def test_fields_slack_never_sends_in_that_shape_are_refused(body: Any, field: str) -> None:
    with pytest.raises(BadInput) as err:
        check_shape(body)
    assert err.value.field == field


def test_payloads_as_slack_sends_them_pass_the_shape_check() -> None:
    check_shape(
        {
            "type": "block_actions",
            "team": {"id": "T1", "domain": "acme"},
            "user": {"id": "U1", "team_id": "T1"},
            "trigger_id": "1.2.3",
            "enterprise": None,
            "is_enterprise_install": False,
            "actions": [{"action_id": "a", "selected_option": {"value": "v"}, "extra": [1]}],
            "view": {"state": {"values": {"b": {"a": {"type": "datepicker", "value": None}}}}},
        }
    )
    event = {"type": "user_change", "user": {"id": "U"}}
    check_shape({"type": "event_callback", "team_id": "T1", "event": event})
    command = {"command": "/rolesplit", "is_enterprise_install": "false", "text": ""}
    check_shape(
        {**command, "team_id": "T", "user_id": "U", "channel_id": "D", "trigger_id": "t"}
        | {"response_url": "https://hooks.slack.com/x"}
    )


@pytest.mark.parametrize(
    ("body", "field", "words"),
    [
        ({"type": "block_actions", "actions": None}, "actions", "must not be null"),
        ({"type": "block_actions", "actions": []}, "actions", "must not be empty"),
        ({"type": "block_actions", "actions": [{"action_id": "a"}]}, "team.id", "required"),
        ({"type": "view_submission", "team": "T1"}, "team.id", "required"),
        ({"type": "event_callback", "team_id": "T1"}, "event.type", "required"),
        (
            {"type": "event_callback", "team_id": "T", "event": {"type": "app_home_opened"}},
            "event.user",
            "required",
        ),
        ({"command": "/rolesplit", "team_id": "T1"}, "user_id", "required"),
        ({"view": {"state": None}}, "view.state", "must not be null"),
        ({"response_url": "javascript:x"}, "response_url", "http(s) URL"),
        (
            {"type": "view_submission", "team": {"id": "T"}, "user": {"id": "U"}}
            | {"trigger_id": "t", "view": {"id": "V", "callback_id": "c", "state": {}}},
            "view.type",
            "required",
        ),
        (
            {"type": "event_callback", "team_id": "T"}
            | {"event": {"type": "app_home_opened", "user": {"id": "U1"}}},
            "event.user",
            "must be str",
        ),
        (
            {"type": "block_actions", "team": {"id": "T"}, "user": {"id": "U"}}
            | {"trigger_id": "t", "actions": [{"action_id": "a"}]}
            | {"container": {"type": "message"}},
            "response_url",
            "required",
        ),
    ],
)
def test_nulls_and_missing_ids_a_listener_needs_are_refused(
    body: dict[str, Any], field: str, words: str
) -> None:
    with pytest.raises(BadInput) as err:
        check_shape(body)
    assert err.value.field == field and words in err.value.message
